/** The tables `istioctl proxy-config` prints for a pod, by its own names (`meshviz proxy-config` prints the same). */
export const PROXY_CONFIG_TABLES = ['clusters', 'listeners', 'routes', 'endpoints'] as const;
export type ProxyConfigTable = (typeof PROXY_CONFIG_TABLES)[number];
