import { principalOf, spiffeId } from '../../model/index.ts';
import type { InboundMtlsMode } from '../../model/index.ts';
import type { PodRuntime, ProxyRuntime, World } from './World.ts';

/** `spiffe://<trust domain>/ns/<namespace>/sa/<service account>` (§6.3), made once per pod. */
export function spiffeOfPod(w: World, pod: PodRuntime): string {
  return (pod.spiffe ??= spiffeId(w.scenario.mesh.trustDomain, pod.pod.namespace, pod.pod.serviceAccount));
}

/** The principal AuthorizationPolicy matches: the SPIFFE ID without its scheme (§6.3), made once per pod. */
export function principalOfPod(w: World, pod: PodRuntime): string {
  return (pod.principal ??= principalOf(w.scenario.mesh.trustDomain, pod.pod.namespace, pod.pod.serviceAccount));
}

/** The PeerAuthentication mode a pod's sidecar applies on a container port (§6.1). */
export function inboundMtlsMode(w: World, pod: string, port: number): InboundMtlsMode {
  return mtlsModeOf(w.proxies[pod], port);
}

/** The same, for a sidecar already in hand. */
export function mtlsModeOf(proxy: ProxyRuntime | undefined, port: number): InboundMtlsMode {
  const mtls = proxy?.xds.inbound.mtls;
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
