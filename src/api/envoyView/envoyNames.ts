import { resourceRef } from '../../istio/index.ts';
import { boundGatewayPort, clusterName } from '../../model/index.ts';
import type { ProxyXds, RouteXds, Scenario, TCPRoute, TLSRoute, VirtualHostXds } from '../../model/index.ts';

/** The port Envoy binds: a gateway server's (`boundGatewayPort`); a sidecar's outbound listener is the service port itself. */
export function boundPort(proxy: ProxyXds, port: number): number {
  return boundGatewayPort(proxy.gateway, port);
}

/** A gateway's listener and its HTTP route config: `0.0.0.0_8080`, `http.8080` (istiod `gateway.go`). */
export function gatewayListenerName(proxy: ProxyXds, port: number): string {
  return `0.0.0.0_${boundPort(proxy, port)}`;
}

/**
 * The route config of the gateway server on `port`: HTTP servers share
 * `http.<bound port>`; an HTTPS server that ends TLS has its own,
 * `https.443.https.<gateway>.<namespace>` (Istio src `pilot/pkg/model/gateway.go`,
 * `gatewayRDSRouteName`). Of several servers on one port, the first.
 */
export function gatewayRouteConfigName(proxy: ProxyXds, port: number): string {
  const server = proxy.gateway?.servers.find((s) => s.port === port && s.routeConfig !== undefined);
  return server?.routeConfig ?? `http.${boundPort(proxy, port)}`;
}

/**
 * A route's name in Envoy's config as istiod sets it (Istio src
 * `pilot/pkg/networking/core/route/route.go`): the VirtualService rule's
 * `name` (`.`-joined with its match's), `default` for the route istiod
 * makes without one, `allow_any` / `block_all` for its catch-alls; a rule
 * without a name gives a route without one ('').
 */
export function envoyRouteName(route: RouteXds): string {
  const origin = route.origin;
  switch (origin.kind) {
    case 'virtualService':
      return origin.ruleName !== undefined ? route.name : '';
    case 'default':
    case 'outboundTrafficPolicy':
      return route.name;
    case 'httpRoute':
    case 'l4Route':
    case 'gatewayServer':
      return '';
    default: {
      const never: never = origin;
      return never;
    }
  }
}

/** Whether a virtual host is istiod's catch-all for a host it has no service for (`allow_any` / `block_all`). */
export function isCatchAll(vhost: VirtualHostXds): boolean {
  return vhost.routes[0]?.origin.kind === 'outboundTrafficPolicy';
}

/** The SNI names of the `tls` match block a TCP proxy took the connection by (its filter chain's `server_names`). */
export function tlsMatchSni(scenario: Scenario, route: RouteXds): string[] | undefined {
  const o = route.origin;
  if (o.kind !== 'l4Route' || o.section !== 'tls') return undefined;
  // A route from the tls section: its rule is a TLSRoute.
  const names = (l4Rule(scenario, route) as TLSRoute | undefined)?.match?.[o.matchIndex]?.sniHosts;
  return names && names.length > 0 ? names : undefined;
}

/**
 * The cluster `istioctl proxy-config listeners` shows for a TCP proxy
 * (`TcpProxy.GetCluster()`): the rule's destination when it has one;
 * empty when it has several, as istiod then writes `weighted_clusters`
 * (Istio src `pilot/pkg/networking/core/networkfilter.go`,
 * `buildOutboundNetworkFilters`); the service's own cluster when no rule
 * took the connection.
 */
export function tcpProxyCluster(scenario: Scenario, route: RouteXds | undefined, host: string, port: number): string {
  if (route && (l4Rule(scenario, route)?.route?.length ?? 0) > 1) return '';
  const action = route?.action;
  if (action?.kind === 'route' && action.clusters.length === 1 && action.clusters[0]) return action.clusters[0].cluster;
  return clusterName(port, undefined, host);
}

/** The VirtualService `tls` or `tcp` rule a route was made from. */
function l4Rule(scenario: Scenario, route: RouteXds): TLSRoute | TCPRoute | undefined {
  const o = route.origin;
  if (o.kind !== 'l4Route') return undefined;
  const vs = scenario.virtualServices.find((v) => resourceRef(v) === o.resource);
  return vs?.spec[o.section]?.[o.ruleIndex];
}
