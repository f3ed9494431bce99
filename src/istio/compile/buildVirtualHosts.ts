import { istioProtocolOf, isTcpProxied, isTlsProtocol } from '../../model/index.ts';
import type { IstioProtocol, VirtualHostXds } from '../../model/index.ts';
import { buildDefaultRoute } from './buildDefaultRoute.ts';
import { buildSidecarL4Route, l4DependsOnSource, l4VirtualServices } from './buildSidecarL4Route.ts';
import { unregisteredAddresses, unregisteredVirtualHost } from './buildUnregisteredHosts.ts';
import { buildVirtualServiceRoutes } from './buildVirtualServiceRoutes.ts';
import type { RouteSource, RoutingContext } from './RoutingContext.ts';
import { resourceRef } from './DiagnosticSink.ts';
import { sourceKey } from './sourceKey.ts';

/** Builds a proxy's outbound virtual hosts; reuses everything that does not depend on the proxy. */
export type VirtualHostBuilder = (source: RouteSource) => Record<string, VirtualHostXds>;

/**
 * One virtual host per service port of the mesh (`fqdn:port`, ServiceEntry
 * hosts included), and one for each host outside the registry the apps
 * dial (the outbound traffic policy's catch-all), routed by the
 * host's VirtualService or the default route; a port Istio carries as TCP
 * gets a TCP proxy instead (`buildSidecarL4Route`). Routes only vary between
 * proxies through `sourceLabels` / `sourceNamespace`, so a virtual host whose
 * VirtualService uses neither is built once and shared, and when no selected
 * VirtualService uses them every proxy shares one table.
 */
export function createVirtualHostBuilder(ctx: RoutingContext): VirtualHostBuilder {
  const shared = new Map<string, VirtualHostXds>();
  const tables = new Map<string, Record<string, VirtualHostXds>>();
  const unregistered = unregisteredAddresses(ctx.scenario, ctx.services);
  const mode = ctx.scenario.mesh.outboundTrafficPolicy;
  const l4 = l4VirtualServices(ctx);
  const l4PerSource = l4DependsOnSource(l4);
  const anySourceDependent = l4PerSource || ctx.sidecarScope !== undefined || ctx.services.all.some((entry) => entry.exportTo !== undefined) || ctx.services.all.some((entry) => {
    const vs = ctx.virtualServices.forHost(entry.fqdn);
    return vs !== undefined && ctx.virtualServices.dependsOnSource(vs);
  });

  const tcpVirtualHost = (host: string, port: number, protocol: IstioProtocol, source: RouteSource): VirtualHostXds => {
    const name = `${host}:${port}`;
    const cached = l4PerSource ? undefined : shared.get(name);
    if (cached) return cached;
    const { route, tlsChains } = buildSidecarL4Route(ctx, l4, host, port, protocol, source);
    const built: VirtualHostXds = { name, host, port, routes: [route], tcpProxy: true, ...(isTlsProtocol(protocol) ? { clientTls: true as const } : {}), ...(tlsChains ? { tlsChains } : {}) };
    if (!l4PerSource) shared.set(name, built);
    return built;
  };

  const virtualHost = (host: string, port: number, protocol: IstioProtocol, source: RouteSource): VirtualHostXds => {
    if (isTcpProxied(protocol)) return tcpVirtualHost(host, port, protocol, source);
    const name = `${host}:${port}`;
    const vs = ctx.virtualServices.forHost(host);
    const gamma = ctx.gamma?.forPort(host, port);
    if (gamma && gamma.length > 0) {
      if (vs) ctx.diagnostics.report('HttpRouteOverVirtualService', { resource: vs, path: 'spec.hosts' }, { host: name, virtualService: resourceRef(vs) });
      const cached = shared.get(name);
      if (cached) return cached;
      const built: VirtualHostXds = { name, host, port, routes: gamma };
      shared.set(name, built);
      return built;
    }
    const perSource = vs !== undefined && ctx.virtualServices.dependsOnSource(vs);
    const cached = perSource ? undefined : shared.get(name);
    if (cached) return cached;
    const routes = vs ? buildVirtualServiceRoutes(ctx, vs, port, source) : [];
    const built: VirtualHostXds = {
      name,
      host,
      port,
      // No route from the VirtualService for this proxy and port: istiod drops it and uses the default.
      routes: routes.length > 0 ? routes : [buildDefaultRoute(ctx, host, port)],
    };
    if (!perSource) shared.set(name, built);
    return built;
  };

  return (source) => {
    const key = anySourceDependent ? sourceKey(source.namespace, source.labels) : '';
    let table = tables.get(key);
    if (!table) {
      table = {};
      // A host outside the proxy's Sidecar egress is one it has no service for (Istio src pilot/pkg/model/sidecar.go).
      const scope = ctx.sidecarScope?.(source);
      const policy = scope?.mode ?? mode;
      for (const entry of ctx.services.all) {
        for (const servicePort of entry.service.ports) {
          const port = servicePort.port;
          const name = `${entry.fqdn}:${port}`;
          if (name in table) continue;
          // A ServiceEntry not exported to the proxy's namespace is not in its registry (Istio src pilot/pkg/model/push_context.go, exportTo).
          const hidden = (scope !== undefined && !scope.sees(entry.fqdn, entry.service.namespace, port)) || (entry.exportTo !== undefined && !entry.exportTo.has(source.namespace));
          if (!hidden) table[name] = virtualHost(entry.fqdn, port, istioProtocolOf(servicePort), source);
          else if (!entry.covers) table[name] = unregisteredVirtualHost(entry.fqdn, port, policy);
          // A hidden wildcard: each host dialled under it meets the catch-all of its own.
          else for (const covered of entry.covers) table[`${covered.host}:${port}`] ??= unregisteredVirtualHost(covered.host, port, policy);
        }
      }
      for (const { external, port, http } of unregistered) table[`${external.host}:${port}`] = unregisteredVirtualHost(external.host, port, policy, http);
      tables.set(key, table);
    }
    return table;
  };
}
