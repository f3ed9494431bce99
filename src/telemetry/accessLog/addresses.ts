/**
 * The addresses an access-log line shows that a scenario does not carry:
 * Services' cluster IPs, clients' ephemeral ports, the SNI of a cluster.
 */

/** Where callers from outside the mesh (`external`) connect from: TEST-NET-1 (RFC 5737), an address no real client has. */
export const OUTSIDE = '192.0.2.1';
/** Istio's inbound passthrough connects to the app from 127.0.0.6. */
export const INBOUND_PASSTHROUGH = '127.0.0.6';

/** The SNI Istio's client sidecar sends under mTLS: `outbound_.9080_.v1_.reviews.default.svc.cluster.local`. */
export function sniOf(cluster: string): string {
  const [, port, subset, host] = cluster.split('|');
  return `outbound_.${port}_.${subset ?? ''}_.${host}`;
}

const EPHEMERAL_FIRST = 32_768;
const EPHEMERAL_PORTS = 28_232;

/** A client's source port for a request's connection, in Linux's ephemeral range (32768–60999); deterministic. */
export function ephemeralPort(requestId: number, salt: number): number {
  return EPHEMERAL_FIRST + ((Math.imul(requestId * 4 + salt, 0x9e37_79b1) >>> 0) % EPHEMERAL_PORTS);
}

/**
 * A Service's cluster IP: meshviz's scenarios carry none, so one is made
 * from the host name in Kubernetes' default service range 10.96.0.0/12.
 */
export function serviceAddress(host: string): string {
  let h = 0x811c_9dc5;
  for (let i = 0; i < host.length; i++) h = Math.imul(h ^ host.charCodeAt(i), 0x0100_0193);
  h >>>= 0;
  return `10.${96 + ((h >>> 16) & 0x0f)}.${(h >>> 8) & 0xff}.${Math.max(1, h & 0xff)}`;
}
