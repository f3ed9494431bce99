import { parseClusterName } from '../../model/index.ts';
import type { MeshEvent, MeshEventOf, ProxyXds, RouteXds, Scenario, VirtualHostXds } from '../../model/index.ts';
import { envoyRouteName, gatewayListenerName, gatewayRouteConfigName, isCatchAll, tlsMatchSni } from '../envoyView/envoyNames.ts';
import { HTTP_CHAIN_MATCH, outboundListenerName, outboundRouteConfigName, servicePortView } from '../envoyView/servicePort.ts';
import { emptyHop, SIMULATION_ERRORS } from './SendExplanation.ts';
import type { ExplainHop, ExplainRole } from './SendExplanation.ts';

/** What one client-side pass saw: the request as it started, and its events at that proxy (route-level and the last attempt's). */
export interface ClientPass {
  start: MeshEventOf<'request.start'>;
  events: MeshEvent[];
}

/**
 * The pass of the proxy that routes the request — a caller's sidecar
 * (outbound), a gateway, or a waypoint — through Envoy's stages with the
 * names its config has: a sidecar's listener `0.0.0.0_9080` (a TCP or
 * sniffed port's on the service's address), its HTTP chain, route config
 * `9080`, virtual host `reviews.default.svc.cluster.local:9080`, the route,
 * the cluster and the endpoint; a gateway's `0.0.0.0_8080` and `http.8080`;
 * a waypoint's `main_internal` listener and its `inbound-vip|…` chain,
 * route config and clusters (istiod `listener_waypoint.go`,
 * `cluster_waypoint.go`). Names agree with `proxyConfig`'s tables.
 */
export function clientHop(scenario: Scenario, role: ExplainRole, name: string, proxy: ProxyXds, pass: ClientPass): ExplainHop {
  const hop = emptyHop(role, name);
  const { host, port } = pass.start;
  const matched = pass.events.find((e): e is MeshEventOf<'route.match'> | MeshEventOf<'route.none'> => e.kind === 'route.match' || e.kind === 'route.none');
  const vhost = matched ? proxy.virtualHosts[matched.virtualHost] : undefined;
  const route = matched?.kind === 'route.match' ? vhost?.routes.find((r) => r.name === matched.route) : undefined;
  if (role === 'waypoint') waypointStages(hop, host, port);
  else if (role === 'gateway') gatewayStages(scenario, hop, proxy, port, vhost);
  else if (!outboundStages(scenario, hop, proxy, host, port, vhost, route)) return hop;
  if (!matched || hop.error) return hop;
  // A TCP proxy (a TCP port, a gateway's TLS passthrough, the virtual outbound catch-all) has no route config: straight to its cluster.
  if (hop.routeConfigMatched === null && role !== 'waypoint') return matched.kind === 'route.none' ? stop(hop, 'virtualHost', SIMULATION_ERRORS.noVirtualHost, `this proxy has no virtual host for ${host}:${port}: 404 NR`) : attemptStages(hop, proxy, pass.events, false);
  if (matched.kind === 'route.none') {
    if (!vhost) return stop(hop, 'virtualHost', SIMULATION_ERRORS.noVirtualHost, `no virtual host of ${hop.routeConfigMatched ?? 'the route config'} has a domain for ${host}:${port}: Envoy answers 404 NR`);
    hop.virtualHostMatched = role === 'waypoint' ? hop.virtualHostMatched : vhost.name;
    const misses = matched.misses.map((m) => `${m.route}: ${m.reason}`);
    return stop(hop, 'route', SIMULATION_ERRORS.noRoute, `none of the ${vhost.routes.length} routes of ${vhost.name} matches${misses.length ? ` (${misses.join('; ')})` : ''}: Envoy answers 404 NR`);
  }
  if (role !== 'waypoint' && vhost && !isCatchAll(vhost)) hop.virtualHostMatched ??= vhost.name;
  if (route?.origin.kind === 'gatewayServer') return stop(hop, 'virtualHost', SIMULATION_ERRORS.tlsRedirect, `${route.origin.resource} ${route.origin.path}: the virtual host requires TLS, a plain-HTTP request gets 301 to https`);
  hop.routeMatched ??= route ? envoyRouteName(route) : matched.route;
  if (route && route.origin.kind !== 'default' && route.origin.kind !== 'outboundTrafficPolicy') hop.notes.push(`route from ${routeSource(route)}`);
  if (route?.action.kind === 'directResponse') return stop(hop, 'route', `direct response ${route.action.status}`, route.origin.kind === 'outboundTrafficPolicy' ? `REGISTRY_ONLY: ${host} is no service of the mesh, so the catch-all ${route.name} answers ${route.action.status}` : 'the route answers itself');
  if (route?.action.kind === 'redirect') return stop(hop, 'route', `redirect ${route.action.status}`, `to ${route.action.location}`);
  return attemptStages(hop, proxy, pass.events, role === 'waypoint');
}

/** The caller's sidecar up to the virtual host; false when the pass ends before HTTP (a TCP proxy to BlackHoleCluster). */
function outboundStages(scenario: Scenario, hop: ExplainHop, proxy: ProxyXds, host: string, port: number, vhost: VirtualHostXds | undefined, route: RouteXds | undefined): boolean {
  if (!vhost || isCatchAll(vhost)) {
    const http = httpListenerOn(scenario, proxy, port);
    if (!http || route?.action.kind === 'reset') {
      hop.listenerMatched = 'virtualOutbound';
      hop.filterChainMatched = 'virtualOutbound-catchall-tcp';
      hop.notes.push(`no listener for port ${port}: the connection meets the virtual outbound listener's catch-all TCP proxy`);
      if (route?.action.kind !== 'reset') return true;
      hop.clusterMatched = 'BlackHoleCluster';
      stop(hop, 'cluster', 'BlackHoleCluster', route.action.detail);
      return false;
    }
    hop.listenerMatched = `0.0.0.0_${port}`;
    hop.filterChainMatched = HTTP_CHAIN_MATCH;
    hop.routeConfigMatched = String(port);
    if (vhost) hop.virtualHostMatched = route?.name ?? vhost.routes[0]?.name ?? null;
    return true;
  }
  const view = servicePortView(scenario, host, port);
  hop.listenerMatched = outboundListenerName(view, port);
  if (view.kind === 'tcp') {
    hop.notes.push(`port ${port} is ${view.protocol}: a TCP proxy, no route config`);
    if (route?.action.kind === 'reset') {
      stop(hop, 'filterChain', SIMULATION_ERRORS.noFilterChain, route.action.detail);
      return false;
    }
    const sniHosts = route ? tlsMatchSni(scenario, route) : undefined;
    hop.filterChainMatched = sniHosts ? `SNI: ${sniHosts.join(',')}` : 'ALL';
    if (route?.origin.kind === 'l4Route') hop.notes.push(`route from ${routeSource(route)}`);
    return true;
  }
  hop.filterChainMatched = HTTP_CHAIN_MATCH;
  hop.routeConfigMatched = outboundRouteConfigName(view, host, port);
  if (view.kind === 'auto') hop.notes.push(`port ${port} names no protocol: Envoy sniffs HTTP on the service's own listener`);
  return true;
}

function gatewayStages(scenario: Scenario, hop: ExplainHop, proxy: ProxyXds, port: number, vhost: VirtualHostXds | undefined): void {
  hop.listenerMatched = gatewayListenerName(proxy, port);
  const server = proxy.gateway?.servers.find((s) => s.port === port && (!vhost || vhost.tcpProxy !== true || s.sniHosts !== undefined));
  // A TCP proxy's chain is its tls match block's (istiod gateway.go buildGatewayNetworkFiltersFromTLSRoutes); an HTTPS server's, the server's names.
  const route = vhost?.tcpProxy ? vhost.routes[0] : undefined;
  const sniHosts = route ? tlsMatchSni(scenario, route) : server?.sniHosts;
  hop.filterChainMatched = sniHosts ? `SNI: ${sniHosts.join(',')}` : 'ALL';
  if (server) hop.notes.push(`${server.gateway} ${server.path} (${server.protocol}${server.tls ? `, tls ${server.tls}` : ''})`);
  if (vhost?.tcpProxy) hop.notes.push('a TCP proxy: no route config');
  else hop.routeConfigMatched = gatewayRouteConfigName(proxy, port);
}

/** A waypoint's names: its internal listener, the service VIP's chain and route config, the virtual host by port (istiod `listener_waypoint.go`). */
function waypointStages(hop: ExplainHop, host: string, port: number): void {
  hop.listenerMatched = 'main_internal';
  hop.filterChainMatched = `inbound-vip|${port}|http|${host}`;
  hop.routeConfigMatched = `inbound-vip|${port}|http|${host}`;
  hop.virtualHostMatched = `inbound|http|${port}`;
}

/** The cluster the router drew and the last attempt: the endpoint picked, or where it stopped. */
function attemptStages(hop: ExplainHop, proxy: ProxyXds, events: MeshEvent[], waypoint: boolean): ExplainHop {
  for (const e of events) {
    if (e.kind === 'fault.abort') return stop(hop, 'route', 'fault filter abort', `the route's fault injection aborts ${e.percent}% with ${e.status} (FI)`);
    if (e.kind === 'route.cluster') {
      hop.clusterMatched = waypoint ? waypointCluster(e.cluster) : e.cluster;
      if (e.weights.length > 1) hop.notes.push(`cluster drawn by weight: ${e.weights.map((w) => `${w.cluster} ${w.weight}`).join(', ')}`);
    }
    if (e.kind === 'cluster.missing') return stop(hop, 'cluster', 'cluster not found', `${e.cluster} is in no config of this proxy (no DestinationRule defines that subset): 503 NC`);
    if (e.kind === 'lb.noHealthy') return stop(hop, 'endpoint', 'no healthy upstream', `${e.ejected} of ${e.total} endpoints of ${e.cluster} are ejected: 503 UH`);
    if (e.kind === 'pool.overflow') return stop(hop, 'endpoint', 'upstream overflow', `${e.cluster}'s ${e.limit} is reached: 503 UO`);
    if (e.kind === 'lb.pick') {
      const endpoint = proxy.clusters[e.cluster]?.endpoints.find((p) => p.pod === e.endpoint);
      hop.endpointMatched = endpoint ? `${endpoint.address}:${endpoint.port}` : e.endpoint;
      hop.notes.push(`endpoint ${e.endpoint}: ${e.policy} chose it (${e.healthy}/${e.total} available)`);
    }
  }
  return hop;
}

/** A waypoint's cluster for a service subset: `inbound-vip|8080|http/v1|users.default.svc.cluster.local` (istiod `portToSubset`). */
function waypointCluster(cluster: string): string {
  const parts = parseClusterName(cluster);
  return parts ? `inbound-vip|${parts.port}|http${parts.subset ? `/${parts.subset}` : ''}|${parts.host}` : cluster;
}

function httpListenerOn(scenario: Scenario, proxy: ProxyXds, port: number): boolean {
  return Object.values(proxy.virtualHosts).some((v) => v.port === port && !isCatchAll(v) && servicePortView(scenario, v.host, v.port).kind === 'http');
}

function routeSource(route: RouteXds): string {
  const o = route.origin;
  if (o.kind === 'virtualService' || o.kind === 'httpRoute') return `${o.resource} ${o.kind === 'virtualService' ? 'http' : 'rules'}[${o.ruleIndex}]`;
  if (o.kind === 'l4Route') return `${o.resource} ${o.section}[${o.ruleIndex}]`;
  return route.name;
}

export function stop(hop: ExplainHop, stage: NonNullable<ExplainHop['error']>['stage'], message: string, detail: string): ExplainHop {
  hop.error = { stage, message, detail };
  return hop;
}
