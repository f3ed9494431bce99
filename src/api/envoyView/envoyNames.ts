import { resourceRef } from '../../istio/index.ts';
import { boundGatewayPort } from '../../model/index.ts';
import type { ProxyXds, RouteXds, Scenario, VirtualHostXds } from '../../model/index.ts';

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

/** The SNI names of the `tls` match block a sidecar's TCP proxy took the connection by (its filter chain's `server_names`). */
export function tlsMatchSni(scenario: Scenario, route: RouteXds): string[] | undefined {
  const o = route.origin;
  if (o.kind !== 'l4Route' || o.section !== 'tls') return undefined;
  const vs = scenario.virtualServices.find((v) => resourceRef(v) === o.resource);
  const names = vs?.spec.tls?.[o.ruleIndex]?.match?.[o.matchIndex]?.sniHosts;
  return names && names.length > 0 ? names : undefined;
}
