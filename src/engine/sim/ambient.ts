import type { ClusterXds, Where } from '../../model/index.ts';
import { authorize } from '../proxy/index.ts';
import { onOutbound } from './outbound.ts';
import { emitFor, finishRequest, NONE, watching } from './request.ts';
import { principalOfPod } from './identity.ts';
import { principalOf, spiffeId } from '../../model/index.ts';
import { Task } from './Task.ts';
import type { PodRuntime, ProxyRuntime, RequestState, World } from './World.ts';

/**
 * Istio's ambient mode (§11) in the engine. Which path a request takes is
 * read from the compiled config: a caller whose proxy is `dataPlane:
 * ztunnel` starts here instead of at a sidecar, and its config says which
 * hosts are tunnelled to a waypoint. Only requests of ambient callers come
 * through these handlers; sidecar requests never do.
 *
 * The bytes' path: app → its node's ztunnel (captured in the pod's network
 * namespace: the loopback cost, then a ztunnel pass) → HBONE (mTLS, HTTP
 * CONNECT, port 15008) → [the destination's waypoint: Envoy, where the
 * routes, retries, balancing and L7 policy are; it becomes the request's
 * client proxy] → HBONE → the destination node's ztunnel (PeerAuthentication,
 * L4 policy; inbound.ts) → app; the answer comes back the same way.
 * HBONE connections are pooled and long-lived in ztunnel, so the hop to the
 * waypoint costs one wire latency; the connections of the attempt itself
 * (ztunnel or waypoint → destination) go through the pools as any other.
 */

/** The HBONE port (§11). */
export const HBONE_PORT = 15008;
/** ztunnel's outbound capture port (what the pod's redirection sends the app's connection to). */
const ZTUNNEL_OUTBOUND_PORT = 15001;

/** Whether the request's client proxy is an ambient one (ztunnel or waypoint): a property read, for branches sidecars skip. */
export function isAmbientProxy(proxy: ProxyRuntime | undefined): boolean {
  const plane = proxy?.xds.dataPlane;
  return plane === 'ztunnel' || plane === 'waypoint';
}

/** The caller's ztunnel has the request: tunnel it to its waypoint, or (no waypoint) be its L4 client proxy. */
export function onZtunnelOutbound(w: World, req: RequestState): void {
  const proxy = req.sidecar;
  const node = proxy?.xds.ztunnel?.node ?? '';
  if (watching(w)) emitFor(w, req, ztunnelWhere(node, req.from), { kind: 'ambient.hop', from: `app ${req.from}`, to: `ztunnel ${node}`, direction: 'request', hbone: false, port: ZTUNNEL_OUTBOUND_PORT });
  const key = proxy?.xds.ztunnel?.waypoints[req.host];
  const waypoint = key === undefined ? undefined : w.proxies[key];
  if (!waypoint) return onOutbound(w, req);
  req.sidecar = waypoint;
  w.queue.push(w.now + w.costs.wire, Task.waypointArrive, req.id);
}

/**
 * A gateway's cluster whose endpoints istiod pointed at the Service's
 * waypoint (`istio.io/ingress-use-waypoint`, compiled into `waypoint`):
 * after the gateway's own route, fault and weighted pick, the request
 * crosses HBONE to the waypoint, addressed to the Service's port (istiod
 * tunnels to the waypoint with the Service VIP and port as the target,
 * `buildEnvoyLbEndpoint`), and the waypoint becomes its client proxy, as
 * for an ambient caller. Simplified: the gateway's own retries, route
 * timeout and outlier detection around that hop are not applied (MV0707).
 */
export function ingressToWaypoint(w: World, req: RequestState, cluster: ClusterXds): void {
  const waypoint = w.proxies[cluster.waypoint as string];
  if (!waypoint) return finishRequest(w, req, 503, NONE, 'no waypoint config');
  req.host = cluster.host;
  req.port = cluster.port;
  req.cr = undefined;
  req.sidecar = waypoint;
  w.queue.push(w.now + w.costs.wire, Task.waypointArrive, req.id);
}

/**
 * The request reaches its waypoint: the AuthorizationPolicies attached to
 * it for this service decide first (a denial is Envoy's local 403), then
 * the waypoint routes it as a sidecar would (after its pass).
 */
export function onWaypointArrive(w: World, req: RequestState): void {
  const waypoint = req.sidecar;
  const info = waypoint?.xds.waypoint;
  if (!waypoint || !info) return finishRequest(w, req, 503, NONE, 'no waypoint config');
  const where: Where = { kind: 'waypoint', name: waypoint.pod };
  if (watching(w)) emitFor(w, req, where, { kind: 'ambient.hop', from: callerProxyName(req), to: `waypoint ${info.namespace}/${info.name}`, direction: 'request', hbone: true, port: HBONE_PORT });
  const policies = info.authz[req.host];
  if (policies && policies.length > 0) {
    const client = req.caller;
    const decision = authorize(policies, {
      ...(client ? { principal: principalOfPod(w, client), namespace: client.pod.namespace, sourceIp: client.pod.ip } : {}),
      method: req.head.method,
      path: req.head.path,
      host: req.head.authority,
      port: req.port,
      headers: req.head.headers,
      mtls: client !== undefined,
    });
    if (watching(w)) {
      if (decision.allowed) emitFor(w, req, where, { kind: 'authz.allow', pod: waypoint.pod, reason: decision.reason });
      else emitFor(w, req, where, { kind: 'authz.deny', pod: waypoint.pod, policy: decision.policy, reason: decision.reason });
    }
    if (!decision.allowed) return finishRequest(w, req, 403, NONE, 'RBAC: access denied');
  }
  w.queue.push(w.now + w.costs.proxyProcessing, Task.requestOutbound, req.id);
}

/**
 * The answer is decided at the request's ambient client proxy. From a
 * waypoint it passes the waypoint, the HBONE tunnel and the caller's
 * ztunnel; from the caller's own ztunnel only that ztunnel. ztunnel makes
 * no HTTP answers and has no response flags: an answer it decided (a reset,
 * no endpoint) keeps its status and words, without Envoy's flags.
 */
export function finishAmbient(w: World, req: RequestState): void {
  const back = req.origin.kind === 'mirror' ? 0 : w.costs.ztunnelProcessing + w.costs.loopback;
  if (req.sidecar?.xds.dataPlane === 'waypoint') {
    w.queue.push(w.now + w.costs.proxyProcessing + w.costs.wire, Task.ztunnelReturn, req.id);
    return;
  }
  const result = req.result;
  if (result && result.flags.length > 0) req.result = { status: result.status, flags: NONE, detail: `ztunnel: ${result.detail} (${result.flags.join(',')} in Envoy's words)` };
  w.queue.push(w.now + back, Task.requestDeliver, req.id);
}

/**
 * The waypoint's answer reaches the caller's ztunnel, which hands it to the
 * app; or (ingress through the waypoint) the gateway, which answers its
 * client over the network.
 */
export function onZtunnelReturn(w: World, req: RequestState): void {
  const z = req.caller?.proxy?.xds.ztunnel;
  const from = req.sidecar?.xds.waypoint;
  if (watching(w)) emitFor(w, req, z ? ztunnelWhere(z.node, req.from) : { kind: 'sidecar', pod: req.from }, { kind: 'ambient.hop', from: from ? `waypoint ${from.namespace}/${from.name}` : 'waypoint', to: callerProxyName(req), direction: 'response', hbone: true, port: HBONE_PORT });
  const back = req.origin.kind === 'mirror' ? 0 : z ? w.costs.ztunnelProcessing + w.costs.loopback : w.costs.proxyProcessing + (req.origin.kind === 'traffic' ? w.costs.wire : 0);
  w.queue.push(w.now + back, Task.requestDeliver, req.id);
}

/** What hands a request to a waypoint: the caller's node ztunnel, or a gateway proxy (built only for a reader). */
function callerProxyName(req: RequestState): string {
  const z = req.caller?.proxy?.xds.ztunnel;
  return z ? `ztunnel ${z.node}` : `gateway ${req.from}`;
}

export function ztunnelWhere(node: string, pod: string): Where {
  return { kind: 'ztunnel', node, pod };
}

/** Where a request's client proxy makes its decisions (built only for a reader of events): the caller's sidecar, or an ambient proxy. */
export function clientProxyWhere(req: RequestState): Where {
  const proxy = req.sidecar;
  return proxy !== undefined && isAmbientProxy(proxy) ? proxyWhere(proxy) : { kind: 'sidecar', pod: req.from };
}

/** Who counts the request's endpoint results (outlier detection): the caller's sidecar, or the ambient proxy by its key. */
export function clientPodOf(req: RequestState): string {
  const proxy = req.sidecar;
  return proxy !== undefined && isAmbientProxy(proxy) ? proxy.pod : req.from;
}

/** Where a proxy stands: a pod's sidecar, the ztunnel acting for a pod, or a waypoint. */
export function proxyWhere(proxy: ProxyRuntime): Where {
  const xds = proxy.xds;
  if (xds.dataPlane === 'waypoint') return { kind: 'waypoint', name: proxy.pod };
  if (xds.ztunnel) return ztunnelWhere(xds.ztunnel.node, proxy.pod);
  return { kind: 'sidecar', pod: proxy.pod };
}

/** Where a pod's inbound proxy is: its sidecar, or under ambient its node's ztunnel (built only for a reader). */
export function inboundWhere(pod: PodRuntime): Where {
  const z = pod.proxy?.xds.ztunnel;
  return z ? ztunnelWhere(z.node, pod.pod.name) : { kind: 'sidecar', pod: pod.pod.name };
}

/** Where a proxy that is not a pod's sidecar stands, by its key (outlier ticks name their proxy by key). */
export function proxyKeyWhere(w: World, key: string): Where {
  const proxy = w.proxies[key];
  return proxy !== undefined && isAmbientProxy(proxy) ? proxyWhere(proxy) : { kind: 'sidecar', pod: key };
}

/** Whether the request's client proxy is a waypoint (so the destination sees the waypoint's identity). */
export function viaWaypoint(req: RequestState): boolean {
  return req.sidecar?.xds.dataPlane === 'waypoint';
}

/** The waypoint's peer identity as the destination's ztunnel sees it: its service account in its namespace (§6.3, §11). */
export function waypointPeer(w: World, req: RequestState): { principal: string; namespace: string } {
  const info = req.sidecar?.xds.waypoint;
  if (!info) return { principal: '', namespace: '' };
  return { principal: principalOf(w.scenario.mesh.trustDomain, info.namespace, info.serviceAccount), namespace: info.namespace };
}

export function waypointSpiffe(w: World, req: RequestState): string {
  const info = req.sidecar?.xds.waypoint;
  return info ? spiffeId(w.scenario.mesh.trustDomain, info.namespace, info.serviceAccount) : '';
}
