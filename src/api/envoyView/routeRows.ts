import type { ProxyXds, RouteXds, Scenario, VirtualHostXds } from '../../model/index.ts';
import { gatewayRouteConfigName, isCatchAll } from './envoyNames.ts';
import { virtualHostDomains } from './routeDomains.ts';
import { outboundRouteConfigName, servicePortView } from './servicePort.ts';

export interface ProxyConfigRoute {
  /** The route configuration's name: the port (`9080`), a sniffed port's `host:port`, a gateway's `http.8080`. */
  name: string;
  virtualHost: string;
  /** Every domain of the virtual host, as Envoy has them (the table abbreviates them as istioctl does). */
  domains: string[];
  match: string;
  /** `name.namespace` of the VirtualService (or HTTPRoute) the route came from. */
  virtualService: string | undefined;
}

/**
 * The rows of `istioctl proxy-config routes` (Istio src
 * `istioctl/pkg/writer/envoy/configdump/route.go`): one per route of each
 * HTTP virtual host. A TCP port (a gateway's TLS passthrough or TCP
 * server too) has no route config; istiod's catch-all
 * under REGISTRY_ONLY is one `block_all` virtual host per route config
 * (domain `*`), and under ALLOW_ANY its `allow_any` route goes to
 * PassthroughCluster, which istioctl leaves out.
 */
export function routeRows(scenario: Scenario, namespace: string, proxy: ProxyXds): ProxyConfigRoute[] {
  const vhosts = Object.values(proxy.virtualHosts).sort((a, b) => a.port - b.port || a.host.localeCompare(b.host));
  const rows: ProxyConfigRoute[] = [];
  const blocked = new Set<string>();
  for (const vhost of vhosts) {
    if (proxy.gateway) {
      // A TLS passthrough or TCP server's chains are TCP proxies: no route config.
      if (vhost.tcpProxy) continue;
      rows.push(...vhost.routes.map((route) => row(gatewayRouteConfigName(proxy, vhost.port), `${vhost.host}:${vhost.port}`, [vhost.host], route)));
      continue;
    }
    if (isCatchAll(vhost)) {
      const route = vhost.routes[0];
      if (route?.action.kind === 'directResponse' && !blocked.has(String(vhost.port))) {
        blocked.add(String(vhost.port));
        rows.push(row(String(vhost.port), 'block_all', ['*'], route));
      }
      continue;
    }
    const view = servicePortView(scenario, vhost.host, vhost.port);
    if (view.kind === 'tcp') continue;
    const domains = virtualHostDomains(vhost.host, namespace, scenario.mesh.clusterDomain, view.address);
    rows.push(...vhost.routes.map((route) => row(outboundRouteConfigName(view, vhost.host, vhost.port), vhostName(vhost), domains, route)));
  }
  return rows;
}

function vhostName(vhost: VirtualHostXds): string {
  return `${vhost.host}:${vhost.port}`;
}

function row(name: string, virtualHost: string, domains: string[], route: RouteXds): ProxyConfigRoute {
  return { name, virtualHost, domains, match: matchText(route), virtualService: sourceOf(route) };
}

function matchText(route: RouteXds): string {
  const path = route.match.path;
  if (!path) return '/*';
  if (path.kind === 'prefix') return `${path.value}*`;
  if (path.kind === 'exact') return path.value;
  return `regex ${path.value}`;
}

/** `name.namespace` of the resource a route came from (VirtualService/ns/name → name.ns); none for istiod's defaults. */
function sourceOf(route: RouteXds): string | undefined {
  const origin = route.origin;
  if (origin.kind !== 'virtualService' && origin.kind !== 'httpRoute') return undefined;
  const [, ns, name] = origin.resource.split('/');
  return name !== undefined && ns !== undefined ? `${name}.${ns}` : origin.resource;
}
