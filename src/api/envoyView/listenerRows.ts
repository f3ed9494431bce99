import type { ProxyXds, RouteXds, Scenario } from '../../model/index.ts';
import { boundPort, gatewayRouteConfigName, isCatchAll, tcpProxyCluster, tlsMatchSni } from './envoyNames.ts';
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
 * for a TCP proxy (empty when it splits by weight). A sidecar has one
 * `0.0.0.0` listener per HTTP port, one on the service's address per TCP
 * or sniffed port (`servicePortView`), then its two virtual listeners;
 * istiod's catch-alls for unknown hosts add no listener of their own. A
 * gateway has a listener per port it binds: its HTTP servers' route
 * config, and a chain per `tls` or `tcp` route of a TCP proxy. Within a
 * listener, chains are in istioctl's order (by destination, descending).
 */
export function listenerRows(scenario: Scenario, proxy: ProxyXds, inboundPorts: number[]): ProxyConfigListener[] {
  const rows = new Map<string, ProxyConfigListener>();
  const add = (row: ProxyConfigListener): void => void rows.set(`${row.address} ${row.port} ${row.match}`, rows.get(`${row.address} ${row.port} ${row.match}`) ?? row);
  const chain = (address: string, port: number, sniHosts: readonly string[] | undefined, route: RouteXds | undefined, host: string, servicePort: number): ProxyConfigListener => ({
    address,
    port,
    match: sniHosts && sniHosts.length > 0 ? `SNI: ${sniHosts.join(',')}` : 'ALL',
    destination: `Cluster: ${tcpProxyCluster(scenario, route, host, servicePort)}`,
  });
  if (proxy.gateway) {
    for (const vhost of Object.values(proxy.virtualHosts)) {
      const bound = boundPort(proxy, vhost.port);
      const route = vhost.routes[0];
      if (vhost.tcpProxy) {
        add(chain('0.0.0.0', bound, route ? tlsMatchSni(scenario, route) : undefined, route, vhost.host, vhost.port));
        continue;
      }
      // An HTTPS server ending TLS is a filter chain matched by its SNI names, as istioctl's MATCH column shows it.
      const sni = proxy.gateway.servers.find((s) => s.port === vhost.port && s.routeConfig !== undefined)?.sniHosts;
      add({ address: '0.0.0.0', port: bound, match: sni ? `SNI: ${sni.join(',')}` : 'ALL', destination: `Route: ${gatewayRouteConfigName(proxy, vhost.port)}` });
    }
    return inIstioctlOrder([...rows.values()]);
  }
  for (const vhost of Object.values(proxy.virtualHosts)) {
    if (isCatchAll(vhost)) continue;
    const view = servicePortView(scenario, vhost.host, vhost.port);
    const address = view.address ?? '0.0.0.0';
    const route = vhost.routes[0];
    if (view.kind === 'http') {
      add({ address: '0.0.0.0', port: vhost.port, match: HTTP_CHAIN_MATCH, destination: `Route: ${vhost.port}` });
      continue;
    }
    if (view.kind === 'auto') add({ address, port: vhost.port, match: HTTP_CHAIN_MATCH, destination: `Route: ${outboundRouteConfigName(view, vhost.host, vhost.port)}` });
    if (vhost.tlsChains) for (const c of vhost.tlsChains) add(chain(address, vhost.port, c.sniHosts, c.route, vhost.host, vhost.port));
    // A TLS port without tls rules: on a listener of its own address the chain takes any SNI; on 0.0.0.0 (no address) the host's name (istiod tls.go).
    else add(chain(address, vhost.port, vhost.clientTls && view.address === undefined ? [vhost.host] : route && tlsMatchSni(scenario, route), route, vhost.host, vhost.port));
  }
  return [
    ...inIstioctlOrder([...rows.values()]),
    { address: '0.0.0.0', port: 15001, match: 'ALL', destination: 'PassthroughCluster' },
    ...inboundPorts.map((port) => ({ address: '0.0.0.0', port: 15006, match: `Addr: *:${port}`, destination: `Inline Route: /*` })),
    { address: '0.0.0.0', port: 15006, match: 'ALL', destination: 'InboundPassthroughCluster' },
  ];
}

/** Listeners by port, then address; a listener's chains by destination, descending (istioctl sorts them so). */
function inIstioctlOrder(rows: ProxyConfigListener[]): ProxyConfigListener[] {
  return rows.sort((a, b) => a.port - b.port || a.address.localeCompare(b.address) || (a.destination < b.destination ? 1 : a.destination > b.destination ? -1 : 0));
}
