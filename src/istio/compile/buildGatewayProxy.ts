import { gammaRoutes } from './buildGammaRoutes.ts';
import { oldestFirst, type GatewayServer, type GatewayServerXds, type GatewayXds, type Pod, type RouteXds, type VirtualHostXds } from '../../model/index.ts';
import { buildVirtualServiceRoutes } from './buildVirtualServiceRoutes.ts';
import { buildGatewayL4Routes } from './buildGatewayL4Routes.ts';
import { boundGateways, clientPorts, gatewayKey, listenPorts, gatewaysFor, intersectHosts, routesHttp, serverHostsFor, sniHostsOf } from './gatewayBinding.ts';
import type { RoutingContext } from './RoutingContext.ts';
import { isCatchAll } from './toRouteMatch.ts';

/**
 * A gateway proxy's listeners and routes (istiod
 * `buildGatewayHTTPRouteConfig`, Istio src
 * `pilot/pkg/networking/core/gateway.go`): for each HTTP server of the
 * Gateways that select the pod, every VirtualService bound to one of them
 * (oldest first) adds its routes to a virtual host per host it shares with
 * the server (the more specific of the two); routes of several
 * VirtualServices for one host are appended in that order, then catch-all
 * routes move to the end (`CombineVHostRoutes`). A plain-HTTP server with
 * `tls.httpsRedirect` answers every request with a 301 to https. No
 * virtual host for a host: Envoy answers 404 NR. A server of another kind
 * (TLS passthrough, TCP) gets TCP proxies instead (`buildGatewayL4Routes`),
 * one virtual host per SNI name (`*` for TCP) holding its one route.
 */
export function buildGatewayProxy(ctx: RoutingContext, pod: Pod): { virtualHosts: Record<string, VirtualHostXds>; gateway: GatewayXds } {
  const gateways = gatewaysFor(ctx.scenario, pod);
  const names = new Set(gateways.map(gatewayKey));
  const onGateway = [...ctx.scenario.virtualServices].sort(oldestFirst).filter((vs) => boundGateways(vs).some((g) => names.has(g)));
  const bound = onGateway.filter((vs) => (vs.spec.http?.length ?? 0) > 0);
  const l4Hosts: Array<{ host: string; port: number; route: RouteXds }> = [];
  const servers: GatewayServerXds[] = [];
  const routesByHost = new Map<string, { host: string; port: number; routes: RouteXds[]; redirect: { resource: string; path: string } | undefined }>();
  for (const gateway of gateways) {
    const key = gatewayKey(gateway);
    (gateway.spec.servers ?? []).forEach((server, index) => {
      const port = server.port.number;
      const protocol = (server.port.protocol ?? 'HTTP').toUpperCase();
      const sniHosts = sniHostsOf(server);
      // An HTTPS server that terminates TLS has a route config of its own; HTTP servers share http.<port>.
      const routeConfig = protocol === 'HTTPS' && server.tls !== undefined && server.tls.mode !== 'PASSTHROUGH' ? `https.${port}.${server.port.name ?? ''}.${gateway.metadata.name}.${gateway.metadata.namespace}` : undefined;
      // A Gateway API listener is shown as the user wrote it: its Gateway and `spec.listeners[i]`.
      servers.push({ gateway: gateway.listener?.gateway ?? `Gateway/${key}`, path: gateway.listener?.path ?? `spec.servers[${index}]`, port, clientPorts: clientPorts(ctx.scenario, pod, port), listenPorts: listenPorts(ctx.scenario, pod, port), protocol, hosts: server.hosts, ...(server.tls?.mode ? { tls: server.tls.mode } : {}), ...(sniHosts ? { sniHosts } : {}), ...(routeConfig ? { routeConfig } : {}) });
      if (!routesHttp(server)) {
        for (const chain of buildGatewayL4Routes(ctx, { server, gateway: key, gatewayNamespace: gateway.metadata.namespace }, onGateway)) l4Hosts.push({ host: chain.host, port, route: chain.route });
        return;
      }
      const redirect = protocol === 'HTTP' && server.tls?.httpsRedirect === true ? { resource: `Gateway/${key}`, path: `spec.servers[${index}].tls.httpsRedirect` } : undefined;
      const add = (host: string, routes: RouteXds[]): void => {
        const name = `${host}:${port}`;
        const entry = routesByHost.get(name);
        if (entry) entry.routes.push(...routes);
        else routesByHost.set(name, { host, port, routes: [...routes], redirect });
      };
      for (const vs of bound) {
        if (!boundGateways(vs).includes(key)) continue;
        const vsHosts = (vs.spec.hosts ?? []).map((h) => ctx.hosts.resolve(h, vs.metadata.namespace));
        const shared = intersectHosts(serverHostsFor(server, gateway.metadata.namespace, vs.metadata.namespace), vsHosts);
        if (shared.length === 0) continue;
        const routes = buildVirtualServiceRoutes(ctx, vs, port, { namespace: pod.namespace, labels: pod.labels, gateways: new Set([key]) });
        for (const host of shared) add(host, routes);
      }
      for (const { host, routes } of gatewayApiHosts(ctx, key, server, gateway.metadata.namespace, port)) add(host, routes);
    });
  }
  const virtualHosts: Record<string, VirtualHostXds> = {};
  const wildcardDomains: Record<number, string[]> = {};
  for (const [name, { host, port, routes, redirect }] of routesByHost) {
    virtualHosts[name] = { name, host, port, routes: redirect ? [httpsRedirect(host, redirect)] : combineRoutes(routes) };
    if (host.includes('*')) (wildcardDomains[port] ??= []).push(host);
  }
  for (const { host, port, route } of l4Hosts) {
    const name = `${host}:${port}`;
    if (virtualHosts[name]) continue;
    const passthrough = route.origin.kind === 'l4Route' && route.origin.section === 'tls';
    virtualHosts[name] = { name, host, port, routes: [route], tcpProxy: true, ...(passthrough ? { clientTls: true as const } : {}) };
    if (host.includes('*')) (wildcardDomains[port] ??= []).push(host);
  }
  return { virtualHosts, gateway: { servers, wildcardDomains } };
}

/**
 * The HTTPRoutes attached to a listener, one entry per hostname they route
 * (`*` without any), each hostname's routes merged across routes by the
 * Gateway API's precedence (istiod: one VirtualService per listener and
 * hostname, `mergeHTTPRoutes`), on the host it shares with the listener.
 */
function gatewayApiHosts(ctx: RoutingContext, key: string, server: GatewayServer, gatewayNamespace: string, port: number): Array<{ host: string; routes: RouteXds[] }> {
  const attached = ctx.gatewayRoutes?.get(key) ?? [];
  const byHostname = new Map<string, Array<(typeof attached)[number]>>();
  for (const route of attached) {
    for (const hostname of route.spec.hostnames?.length ? route.spec.hostnames : ['*']) byHostname.set(hostname, [...(byHostname.get(hostname) ?? []), route]);
  }
  const out: Array<{ host: string; routes: RouteXds[] }> = [];
  for (const [hostname, routes] of byHostname) {
    const shared = intersectHosts(serverHostsFor(server, gatewayNamespace, (routes[0] as (typeof attached)[number]).metadata.namespace), [hostname]);
    for (const host of shared) out.push({ host, routes: gammaRoutes(ctx, routes, host, port, 'gateway') });
  }
  return out;
}

/** istiod `CombineVHostRoutes`: catch-all routes go last, the others keep their order. */
function combineRoutes(routes: RouteXds[]): RouteXds[] {
  return [...routes.filter((r) => !isCatchAll(r.match)), ...routes.filter((r) => isCatchAll(r.match))];
}

/** Envoy's `require_tls: ALL` on a plain-HTTP virtual host: 301 to the same URL over https. */
function httpsRedirect(host: string, origin: { resource: string; path: string }): RouteXds {
  return {
    name: 'https-redirect',
    origin: { kind: 'gatewayServer', ...origin },
    match: { headers: [], queryParams: [] },
    action: { kind: 'redirect', status: 301, location: `https://${host}` },
  };
}
