import { parseClusterName, waypointLabel } from '../../model/index.ts';
import type { MeshEvent, MeshEventOf } from '../../model/index.ts';
import { ApiError } from '../ApiError.ts';
import { gatewayListenerName } from '../envoyView/envoyNames.ts';
import type { SendResult } from '../send.ts';
import type { Session } from '../Session.ts';
import { clientHop, stop } from './clientHop.ts';
import { emptyHop, SIMULATION_ERRORS } from './SendExplanation.ts';
import type { ExplainHop, SendExplanation } from './SendExplanation.ts';
import { sidecarInboundHop, ztunnelInboundHop } from './serverHop.ts';

/**
 * `send --explain`: the request's path through each proxy it passed, in the
 * stages and names of Istio's config simulator (`pilot/pkg/simulation`),
 * read from the compiled config and the request's own events — the route
 * its proxy matched, the cluster it drew, the endpoint the balancer picked
 * on the last attempt, what the callee's sidecar decided — or the named
 * failure at the stage where it stopped. A request a gateway forwards (an
 * egress gateway) is followed through the gateway's own pass.
 */
export function explainSend(session: Session, result: SendResult): SendExplanation {
  if (session.scenario.simulation.flavor === 'linkerd') {
    throw new ApiError(
      '--explain names Envoy\'s stages (listener, filter chain, route config, virtual host, cluster), and linkerd-proxy has none of them',
      'send without --explain shows the route (HTTPRoute or ServiceProfile) and backend each request took',
    );
  }
  const hops: ExplainHop[] = [];
  follow(session, result.events, result.requestId, hops);
  return { requestId: result.requestId, status: result.status, flags: [...result.flags], hops };
}

function follow(session: Session, all: MeshEvent[], id: number, hops: ExplainHop[]): void {
  const { scenario, xds } = session;
  const own = all.filter((e) => e.requestId === id);
  const start = own.find((e): e is MeshEventOf<'request.start'> => e.kind === 'request.start');
  if (!start) return;
  const last = Math.max(0, ...own.map((e) => e.attempt));
  const events = own.filter((e) => e.attempt === 0 || e.attempt === last);
  const routed = events.find((e) => e.kind === 'route.match' || e.kind === 'route.none');
  if (!start.viaSidecar) {
    const hop = emptyHop('no proxy', start.fromPod);
    hop.notes.push('the caller has no sidecar: kube-proxy picks a pod of the Service, and no Envoy routes the request');
    hops.push(hop);
  } else if (!routed) {
    if (start.ingress) hops.push(refusedAtGateway(session, start));
    return;
  } else if (routed.where.kind === 'ztunnel') {
    hops.push(ztunnelOutboundHop(session, start, events, routed.where.node));
  } else if (routed.where.kind === 'waypoint') {
    const name = routed.where.name;
    const caller = events.find((e) => e.kind === 'ambient.hop' && e.where.kind === 'ztunnel');
    if (caller?.where.kind === 'ztunnel') {
      const l4 = emptyHop('ztunnel', `ztunnel ${caller.where.node}`);
      l4.notes.push(`L4: ${start.host}:${start.port} is bound to ${waypointLabel(name)}: HBONE (mTLS) to it on 15008`);
      hops.push(l4);
    }
    if (!waypointHop(session, name, start, events, hops)) return;
  } else if (routed.where.kind === 'sidecar') {
    const pod = routed.where.pod;
    const proxy = xds.proxies[pod];
    if (!proxy) return;
    // istio.io/ingress-use-waypoint: the gateway routes, then hands the request to the Service's waypoint, which routes it again.
    const toWaypoint = proxy.gateway ? events.find((e) => e.kind === 'ambient.hop' && e.direction === 'request' && e.where.kind === 'waypoint') : undefined;
    if (toWaypoint?.where.kind === 'waypoint') {
      const name = toWaypoint.where.name;
      const hop = clientHop(scenario, 'gateway', pod, proxy, { start, events: events.filter((e) => e.where.kind === 'sidecar' && e.where.pod === pod) });
      hop.endpointMatched = waypointLabel(name);
      hop.notes.push(`istio.io/ingress-use-waypoint: the cluster's endpoints are ${waypointLabel(name)}'s, reached over HBONE (mTLS) on 15008 (istiod endpoint_builder.go findServiceWaypoint)`);
      hops.push(hop);
      // The gateway tunnels to the waypoint with the Service's address and port as the target (buildEnvoyLbEndpoint): the waypoint routes that.
      const drawn = events.find((e) => e.kind === 'route.cluster' && e.where.kind === 'sidecar' && e.where.pod === pod);
      const service = drawn?.kind === 'route.cluster' ? parseClusterName(drawn.cluster) : undefined;
      const target = service ? { ...start, host: service.host, port: service.port } : start;
      if (hop.error || !waypointHop(session, name, target, events, hops)) return;
    } else hops.push(clientHop(scenario, proxy.gateway ? 'gateway' : 'outbound', pod, proxy, { start, events: events.filter((e) => e.where.kind !== 'sidecar' || e.where.pod === pod) }));
  }
  if (hops.at(-1)?.error) return;
  arrive(session, all, id, start, events, hops);
}

/** The waypoint's own pass (its listener, chain, route and cluster, or its 403); false when it has no config to read. */
function waypointHop(session: Session, name: string, start: MeshEventOf<'request.start'>, events: MeshEvent[], hops: ExplainHop[]): boolean {
  const proxy = session.xds.proxies[name];
  if (!proxy) return false;
  const hop = clientHop(session.scenario, 'waypoint', waypointLabel(name), proxy, { start, events: events.filter((e) => e.where.kind === 'waypoint') });
  const denied = events.find((e) => e.kind === 'authz.deny' && e.where.kind === 'waypoint');
  hops.push(denied?.kind === 'authz.deny' ? stop(hop, 'authorization', 'RBAC: access denied', `${denied.policy}: ${denied.reason}; the waypoint answers 403`) : hop);
  return true;
}

/** The callee's side of the last attempt: its sidecar, its node's ztunnel, a gateway that forwards it, or an app without a proxy. */
function arrive(session: Session, all: MeshEvent[], id: number, start: MeshEventOf<'request.start'>, events: MeshEvent[], hops: ExplainHop[]): void {
  const { scenario, xds } = session;
  const reached = events.find((e) => e.kind === 'hop.arrive' || e.kind === 'mtls.reject');
  if (reached?.kind !== 'hop.arrive' && reached?.kind !== 'mtls.reject') return;
  const pod = reached.pod;
  const picked = events.find((e): e is MeshEventOf<'lb.pick'> => e.kind === 'lb.pick');
  const client = picked && picked.where.kind !== 'app' ? xds.proxies[picked.where.kind === 'waypoint' ? picked.where.name : picked.where.kind === 'sidecar' || picked.where.kind === 'ztunnel' ? picked.where.pod : ''] : undefined;
  const endpoint = (picked ? client?.clusters[picked.cluster]?.endpoints.find((e) => e.pod === pod) : undefined) ?? xds.kubeServices[`${start.host}:${start.port}`]?.endpoints.find((e) => e.pod === pod);
  const at = { pod, targetPort: endpoint?.port ?? start.port, servicePort: (picked ? parseClusterName(picked.cluster)?.port : undefined) ?? start.port, mtls: reached.kind === 'hop.arrive' && reached.mtls };
  const mine = events.filter((e) => (e.kind === 'mtls.reject' || e.kind === 'authz.deny' || e.kind === 'authz.allow') && e.pod === pod);
  if (reached.where.kind === 'ztunnel') return void hops.push(ztunnelInboundHop(scenario, reached.where.node, at, mine));
  if (reached.where.kind === 'app') {
    const hop = emptyHop('no proxy', pod);
    const outside = scenario.pods.find((p) => p.name === pod)?.external === true;
    hop.notes.push(outside ? 'a host outside the mesh: no proxy of the mesh on this side' : 'the callee has no sidecar: the request reaches its app directly');
    return void hops.push(hop);
  }
  const forwarded = all.find((e) => e.kind === 'request.start' && e.origin.kind === 'app' && e.origin.parentId === id && e.origin.call === -1);
  if (xds.proxies[pod]?.gateway && forwarded) return follow(session, all, forwarded.requestId, hops);
  hops.push(sidecarInboundHop(scenario, xds, at, mine));
}

/** A caller's ztunnel that routes the request itself (no waypoint): L4, a service and an endpoint, none of Envoy's stages. */
function ztunnelOutboundHop(session: Session, start: MeshEventOf<'request.start'>, events: MeshEvent[], node: string): ExplainHop {
  const hop = emptyHop('ztunnel', `ztunnel ${node}`);
  hop.notes.push(`L4: no waypoint for ${start.host}:${start.port}: ztunnel picks an endpoint of the service itself (no routes, retries or timeouts)`);
  const picked = events.find((e): e is MeshEventOf<'lb.pick'> => e.kind === 'lb.pick');
  if (!picked) return stop(hop, 'endpoint', 'no healthy upstream', `no endpoint of ${start.host}:${start.port} to connect to`);
  const endpoint = session.xds.proxies[start.fromPod]?.clusters[picked.cluster]?.endpoints.find((e) => e.pod === picked.endpoint);
  hop.endpointMatched = endpoint ? `${endpoint.address}:${endpoint.port}` : picked.endpoint;
  hop.notes.push(`endpoint ${picked.endpoint}`);
  return hop;
}

/**
 * An outside client's connection the gateway closed before any HTTP: no
 * filter chain for its SNI (Istio's simulator: `ErrNoFilterChain`), or a
 * server that wants a client certificate it does not present (Istio's
 * `ISTIO_MUTUAL`, or `MUTUAL` without one: the handshake fails, `ErrMTLSError`).
 */
function refusedAtGateway(session: Session, start: MeshEventOf<'request.start'>): ExplainHop {
  const hop = emptyHop('gateway', start.fromPod);
  const proxy = session.xds.proxies[start.fromPod];
  if (proxy) hop.listenerMatched = gatewayListenerName(proxy, start.port);
  const resolved = session.resolve('default', start.host, start.port, true);
  const refused = resolved?.refused;
  if (refused?.flag === 'NR') return stop(hop, 'filterChain', SIMULATION_ERRORS.noFilterChain, refused.detail);
  if (refused) return stop(hop, 'filterChain', SIMULATION_ERRORS.mtlsError, refused.detail);
  if (resolved?.clientCertificate) return stop(hop, 'filterChain', SIMULATION_ERRORS.mtlsError, 'the gateway server requires a client certificate (MUTUAL), and this client presents none: the TLS handshake fails');
  return stop(hop, 'listener', SIMULATION_ERRORS.noListener, `the gateway takes no connection for ${start.host}:${start.port}`);
}
