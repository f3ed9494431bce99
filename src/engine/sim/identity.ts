import { linkerdIdentity, principalOf, spiffeId } from '../../model/index.ts';
import type { InboundMtlsMode } from '../../model/index.ts';
import type { PodRuntime, ProxyRuntime, World } from './World.ts';

/**
 * The identity a pod's proxy presents, made once per pod: Istio's
 * `spiffe://<trust domain>/ns/<namespace>/sa/<service account>` (§6.3), or
 * for linkerd-proxy Linkerd's DNS-like identity name (§6.4).
 */
export function spiffeOfPod(w: World, pod: PodRuntime): string {
  return (pod.spiffe ??= identityOf(w, pod));
}

function identityOf(w: World, pod: PodRuntime): string {
  const { namespace, serviceAccount } = pod.pod;
  if (pod.proxy?.xds.dataPlane === 'linkerd-proxy') return linkerdIdentity(w.scenario.mesh.trustDomain, namespace, serviceAccount);
  return spiffeId(w.scenario.mesh.trustDomain, namespace, serviceAccount);
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
  const runtime = w.pods[pod];
  // A gateway proxy ends Istio mTLS itself on a server whose tls mode is ISTIO_MUTUAL (the mesh's certificate), and on no other.
  if (runtime?.pod.gateway) return gatewayServerTls(runtime, port) === 'ISTIO_MUTUAL';
  return Boolean(runtime?.pod.sidecar) && inboundMtlsMode(w, pod, port) !== 'DISABLE';
}

/** The tls mode of the gateway server listening on `port` (its own port, or the Service targetPort it is bound to). */
function gatewayServerTls(gateway: PodRuntime, port: number): string | undefined {
  for (const s of gateway.proxy?.xds.gateway?.servers ?? []) if (s.port === port || s.listenPorts.includes(port)) return s.tls;
  return undefined;
}

/** A sidecar's workload certificate is still within its validity (it was renewed in time). */
export function certValid(w: World, pod: string): boolean {
  const cert = w.pods[pod]?.cert;
  return !cert || w.now < cert.notAfter;
}
