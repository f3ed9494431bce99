/** Envoy cluster name Istio gives an outbound service port (and subset): `outbound|<port>|<subset>|<fqdn>`. */
export function clusterName(port: number, subset: string | undefined, host: string): string {
  return `outbound|${port}|${subset ?? ''}|${host}`;
}

/** The parts of a name `clusterName` made; undefined for any other name. */
export function parseClusterName(name: string): { port: number; subset?: string; host: string } | undefined {
  const [direction, port, subset, host, ...rest] = name.split('|');
  if (direction !== 'outbound' || !port || !host || rest.length > 0) return undefined;
  return subset ? { port: Number(port), subset, host } : { port: Number(port), host };
}
