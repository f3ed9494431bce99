import type { Scenario } from '../../model/index.ts';

/** Turns the host names people write into the FQDNs the mesh keys everything by. */
export interface HostResolver {
  readonly clusterDomain: string;
  /** `name.namespace.svc.<clusterDomain>` */
  fqdn(name: string, namespace: string): string;
  /**
   * A VirtualService / DestinationRule host, relative to the resource's
   * namespace: `reviews` → `reviews.<ns>.svc.<domain>`, `reviews.prod` →
   * `reviews.prod.svc.<domain>` (when `prod` is a namespace of the scenario),
   * `reviews.prod.svc` → `reviews.prod.svc.<domain>`; wildcards and other
   * names are kept as written.
   */
  resolve(host: string, namespace: string): string;
}

export function createHostResolver(scenario: Scenario): HostResolver {
  const clusterDomain = scenario.mesh.clusterDomain;
  const namespaces = new Set<string>([
    ...scenario.namespaces.map((n) => n.name),
    ...scenario.services.map((s) => s.namespace),
    ...scenario.pods.map((p) => p.namespace),
  ]);
  const fqdn = (name: string, namespace: string): string => `${name}.${namespace}.svc.${clusterDomain}`;
  return {
    clusterDomain,
    fqdn,
    resolve(host, namespace) {
      const name = host.trim().toLowerCase();
      if (name.includes('*')) return name;
      const labels = name.split('.');
      if (labels.length === 1) return fqdn(name, namespace);
      // Istio itself only expands dot-less names; `name.namespace` is expanded
      // here too because that is how people write it (and how kube-dns resolves it).
      if (labels.length === 2 && namespaces.has(labels[1] as string)) return `${name}.svc.${clusterDomain}`;
      if (labels.length === 3 && labels[2] === 'svc') return `${name}.${clusterDomain}`;
      return name;
    },
  };
}

/** Whether a (resolved) host pattern covers a service FQDN: exact, `*`, or `*.suffix`. */
export function hostMatches(pattern: string, host: string): boolean {
  if (pattern === '*') return true;
  if (pattern.startsWith('*')) return host.endsWith(pattern.slice(1));
  return pattern === host;
}

export function isWildcardHost(host: string): boolean {
  return host.startsWith('*');
}
