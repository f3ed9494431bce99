import { principalOf, spiffeId } from '../../model/index.ts';
import type { InboundMtlsMode, Pod } from '../../model/index.ts';
import type { World } from './World.ts';

/** `spiffe://<trust domain>/ns/<namespace>/sa/<service account>` (§6.3). */
export function spiffeOfPod(w: World, pod: Pod): string {
  return spiffeId(w.scenario.mesh.trustDomain, pod.namespace, pod.serviceAccount);
}

/** The principal AuthorizationPolicy matches: the SPIFFE ID without its scheme (§6.3). */
export function principalOfPod(w: World, pod: Pod): string {
  return principalOf(w.scenario.mesh.trustDomain, pod.namespace, pod.serviceAccount);
}

/** The PeerAuthentication mode a pod's sidecar applies on a container port (§6.1). */
export function inboundMtlsMode(w: World, pod: string, port: number): InboundMtlsMode {
  const mtls = w.proxies[pod]?.xds.inbound.mtls;
  return mtls?.ports[port] ?? mtls?.default ?? 'PERMISSIVE';
}

/** Whether the endpoint's side of a new connection speaks TLS at all (a sidecar not set to DISABLE). */
export function tlsAccepted(w: World, pod: string, port: number): boolean {
  return Boolean(w.pods[pod]?.pod.sidecar) && inboundMtlsMode(w, pod, port) !== 'DISABLE';
}

/** A sidecar's workload certificate is still within its validity (it was renewed in time). */
export function certValid(w: World, pod: string): boolean {
  const cert = w.pods[pod]?.cert;
  return !cert || w.now < cert.notAfter;
}
