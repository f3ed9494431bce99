import { clusterName, isTlsProtocol, matchesLabels, oldestFirst } from '../../model/index.ts';
import type { IstioProtocol, L4MatchAttributes, RouteActionXds, RouteXds, TlsChainXds, TLSMatchAttributes, VirtualService } from '../../model/index.ts';
import { l4Route } from './buildGatewayL4Routes.ts';
import { boundGateways, MESH_GATEWAY } from './gatewayBinding.ts';
import { hostMatches } from './HostResolver.ts';
import type { RouteSource, RoutingContext } from './RoutingContext.ts';
import { noRetryPolicy } from './toRetryPolicy.ts';
import { routeToClusters } from '../../model/index.ts';

/** The VirtualServices a sidecar's TCP proxies read (`tls` or `tcp` rules, bound to `mesh`), oldest first, with their hosts as FQDNs. */
export type L4VirtualServices = ReadonlyArray<{ vs: VirtualService; hosts: string[] }>;

export function l4VirtualServices(ctx: RoutingContext): L4VirtualServices {
  return [...ctx.scenario.virtualServices]
    .sort(oldestFirst)
    .filter((vs) => boundGateways(vs).includes(MESH_GATEWAY) && ((vs.spec.tls?.length ?? 0) > 0 || (vs.spec.tcp?.length ?? 0) > 0))
    .map((vs) => ({ vs, hosts: (vs.spec.hosts ?? []).map((h) => ctx.hosts.resolve(h, vs.metadata.namespace)) }));
}

/** Whether some `tls` or `tcp` match block decides by the proxy's labels or namespace (its routes then differ from proxy to proxy). */
export function l4DependsOnSource(candidates: L4VirtualServices): boolean {
  return candidates.some(({ vs }) => [...(vs.spec.tls ?? []), ...(vs.spec.tcp ?? [])].some((rule) => (rule.match ?? []).some((m) => m.sourceLabels !== undefined || m.sourceNamespace !== undefined)));
}

/**
 * The route of a sidecar's outbound TCP proxy for a service port Istio
 * carries as TCP (`isTcpProxied`), for a client that dials `host` (and, on
 * TLS, sends it as the SNI). istiod builds these filter chains from every
 * VirtualService for the host bound to `mesh`, oldest first, and never
 * from `http` rules (Istio src `pilot/pkg/networking/core/listener.go`
 * `buildSidecarOutboundTCPListenerOpts`, `tls.go`):
 * - HTTPS and TLS ports: one chain per `tls` match block whose static
 *   conditions take this proxy (`gateways`, `port`, `sourceLabels`,
 *   `sourceNamespace`; `matchTLS`), the first block per SNI set only.
 *   Envoy picks the chain by SNI, an exact name before a wildcard. With no
 *   `tls` block for the proxy, the service's own cluster; with blocks for
 *   other SNIs only, no chain matches and Envoy closes the connection.
 * - Other TCP ports: the first `tcp` rule with no match, or with a match
 *   block that takes this proxy (`matchTCP`); else the service's cluster.
 * A TCP proxy has no timeout, retries, faults or mirrors. `destinationSubnets`
 * are not compared (a connection here is to the service's address).
 * On a TLS port the listener's chains come with the route (`tlsChains`).
 */
export function buildSidecarL4Route(ctx: RoutingContext, candidates: L4VirtualServices, host: string, port: number, protocol: IstioProtocol, source: RouteSource): { route: RouteXds; tlsChains?: TlsChainXds[] } {
  const configs = candidates.filter((c) => c.hosts.some((h) => hostMatches(h, host)));
  if (isTlsProtocol(protocol)) {
    let best: { route: RouteXds; rank: number } | undefined;
    const tlsChains: TlsChainXds[] = [];
    let anyChain = false;
    const handled = new Set<string>();
    for (const { vs } of configs) {
      (vs.spec.tls ?? []).forEach((rule, ruleIndex) => {
        if ((rule.route ?? []).length === 0) return;
        (rule.match ?? []).forEach((match, matchIndex) => {
          if (!staticMatch(match, port, source)) return;
          const key = `${(match.sniHosts ?? []).join(',')}|${(match.destinationSubnets ?? []).join(',')}`;
          if (handled.has(key)) return;
          handled.add(key);
          anyChain = true;
          const route = l4Route(ctx, vs, 'tls', ruleIndex, matchIndex, rule.route ?? [], port);
          // Every destination weighted 0: a chain with nowhere to send, which no connection is routed by here.
          if (!route) return;
          tlsChains.push({ sniHosts: match.sniHosts ?? [], route });
          const rank = sniRank(match.sniHosts, host);
          if (rank >= 0 && (best === undefined || best.rank < rank)) best = { route, rank };
        });
      });
    }
    if (!anyChain) return { route: defaultTcpRoute(host, port) };
    return { route: best ? best.route : noFilterChain(host, port), tlsChains };
  }
  for (const { vs } of configs) {
    const rules = vs.spec.tcp ?? [];
    for (let ruleIndex = 0; ruleIndex < rules.length; ruleIndex++) {
      const rule = rules[ruleIndex]!;
      if ((rule.route ?? []).length === 0) continue;
      const matches = rule.match ?? [];
      const matchIndex = matches.length === 0 ? 0 : matches.findIndex((m) => staticMatch(m, port, source));
      if (matchIndex < 0) continue;
      const route = l4Route(ctx, vs, 'tcp', ruleIndex, matchIndex, rule.route ?? [], port);
      if (route) return { route };
    }
  }
  return { route: defaultTcpRoute(host, port) };
}

/** istiod `matchTLS` / `matchTCP`: the conditions it decides when it builds the proxy's config, all of them. */
function staticMatch(match: TLSMatchAttributes | L4MatchAttributes, port: number, source: RouteSource): boolean {
  const gateways = match.gateways ?? [];
  if (gateways.length > 0 && !gateways.includes(MESH_GATEWAY)) return false;
  if (!matchesLabels(match.sourceLabels, source.labels)) return false;
  if (match.port !== undefined && match.port !== 0 && match.port !== port) return false;
  return match.sourceNamespace === undefined || match.sourceNamespace === '' || match.sourceNamespace === source.namespace;
}

/**
 * How well a chain's `server_names` take the SNI `host` (Envoy: an exact name
 * first, then the longest wildcard suffix, then a chain with no names): -1
 * when they do not.
 */
function sniRank(sniHosts: readonly string[] | undefined, host: string): number {
  if (sniHosts === undefined || sniHosts.length === 0) return 0;
  let rank = -1;
  for (const sni of sniHosts) {
    const name = sni.toLowerCase();
    if (name === host) return Number.MAX_SAFE_INTEGER;
    if (name.startsWith('*') && hostMatches(name, host)) rank = Math.max(rank, name.length);
  }
  return rank;
}

/** No `tls` or `tcp` rule takes the connection: a TCP proxy to the service's own cluster (`outbound|port||host`). */
function defaultTcpRoute(host: string, port: number): RouteXds {
  return defaultRoute(routeToClusters({ clusters: [{ cluster: clusterName(port, undefined, host), weight: 100 }], timeout: 0, retry: noRetryPolicy(), mirrors: [], tcpProxy: true }));
}

/** `tls` rules for other SNIs only: no filter chain takes the connection. */
function noFilterChain(host: string, port: number): RouteXds {
  return defaultRoute({ kind: 'reset', flag: 'NR', detail: `no filter chain of the sidecar's listener for port ${port} matches the SNI ${host} (its tls rules name other hosts): the connection is closed` });
}

function defaultRoute(action: RouteActionXds): RouteXds {
  return { name: 'default', origin: { kind: 'default' }, match: { headers: [], queryParams: [] }, action };
}
