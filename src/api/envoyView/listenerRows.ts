import { clusterName } from '../../model/index.ts';
import type { ProxyXds, Scenario } from '../../model/index.ts';
import { boundPort, gatewayRouteConfigName, isCatchAll, tlsMatchSni } from './envoyNames.ts';
import { HTTP_CHAIN_MATCH, outboundRouteConfigName, servicePortView } from './servicePort.ts';

export interface ProxyConfigListener {
  address: string;
  port: number;
  match: string;
  destination: string;
}

/**
 * The rows of `istioctl proxy-config listeners` (Istio src
 * `istioctl/pkg/writer/envoy/configdump/listener.go`): per filter chain, the
 * listener's address and port, the chain's match and where it sends —
 * `Route: <route config>` for an HTTP connection manager, `Cluster: <name>`
 * for a TCP proxy. A sidecar has one `0.0.0.0` listener per HTTP port, one
 * on the service's address per TCP or sniffed port (`servicePortView`),
 * then its two virtual listeners; istiod's catch-alls for unknown hosts
 * add no listener of their own.
 */
export function listenerRows(scenario: Scenario, proxy: ProxyXds, inboundPorts: number[]): ProxyConfigListener[] {
  if (proxy.gateway) {
    const byBound = new Map<number, number>();
    for (const v of Object.values(proxy.virtualHosts)) if (!byBound.has(boundPort(proxy, v.port))) byBound.set(boundPort(proxy, v.port), v.port);
    return [...byBound].sort(([a], [b]) => a - b).map(([bound, port]) => {
      // An HTTPS server ending TLS is a filter chain matched by its SNI names, as istioctl's MATCH column shows it.
      const sni = proxy.gateway?.servers.find((s) => s.port === port && s.routeConfig !== undefined)?.sniHosts;
      return { address: '0.0.0.0', port: bound, match: sni ? `SNI: ${sni.join(',')}` : 'ALL', destination: `Route: ${gatewayRouteConfigName(proxy, port)}` };
    });
  }
  const rows = new Map<string, ProxyConfigListener>();
  const add = (row: ProxyConfigListener): void => void rows.set(`${row.address} ${row.port} ${row.match}`, rows.get(`${row.address} ${row.port} ${row.match}`) ?? row);
  for (const vhost of Object.values(proxy.virtualHosts)) {
    if (isCatchAll(vhost)) continue;
    const view = servicePortView(scenario, vhost.host, vhost.port);
    const address = view.address ?? '0.0.0.0';
    // A tls rule's chain is matched by its SNI names, as istioctl's MATCH column shows it.
    const sni = vhost.routes[0] ? tlsMatchSni(scenario, vhost.routes[0]) : undefined;
    const tcp = { address, port: vhost.port, match: sni ? `SNI: ${sni.join(',')}` : 'ALL', destination: `Cluster: ${tcpCluster(vhost.routes[0]?.action, vhost.host, vhost.port)}` };
    if (view.kind === 'http') add({ address: '0.0.0.0', port: vhost.port, match: HTTP_CHAIN_MATCH, destination: `Route: ${vhost.port}` });
    else if (view.kind === 'tcp') add(tcp);
    else {
      add({ address, port: vhost.port, match: HTTP_CHAIN_MATCH, destination: `Route: ${outboundRouteConfigName(view, vhost.host, vhost.port)}` });
      add(tcp);
    }
  }
  const outbound = [...rows.values()].sort((a, b) => a.port - b.port || a.address.localeCompare(b.address));
  return [
    ...outbound,
    { address: '0.0.0.0', port: 15001, match: 'ALL', destination: 'PassthroughCluster' },
    ...inboundPorts.map((port) => ({ address: '0.0.0.0', port: 15006, match: `Addr: *:${port}`, destination: `Inline Route: /*` })),
    { address: '0.0.0.0', port: 15006, match: 'ALL', destination: 'InboundPassthroughCluster' },
  ];
}

/** The cluster a TCP proxy sends to: the route's one destination, else the service's own cluster. */
export function tcpCluster(action: ProxyXds['virtualHosts'][string]['routes'][number]['action'] | undefined, host: string, port: number): string {
  if (action?.kind === 'route' && action.clusters.length === 1) return action.clusters[0]?.cluster ?? clusterName(port, undefined, host);
  return clusterName(port, undefined, host);
}
