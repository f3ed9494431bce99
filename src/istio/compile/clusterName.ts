/** Envoy cluster name Istio gives an outbound service port (and subset): `outbound|<port>|<subset>|<fqdn>`. */
export function clusterName(port: number, subset: string | undefined, host: string): string {
  return `outbound|${port}|${subset ?? ''}|${host}`;
}
