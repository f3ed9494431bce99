import type { GatewayServer, HTTPRouteDestination, RouteXds, VirtualService } from '../../model/index.ts';
import { resourceRef } from './DiagnosticSink.ts';
import { boundGateways, gatewayRef, intersectHosts, serverHostsFor } from './gatewayBinding.ts';
import { hostMatches } from './HostResolver.ts';
import type { RoutingContext } from './RoutingContext.ts';
import { noRetryPolicy } from './toRetryPolicy.ts';
import { resolveDestination } from './resolveDestination.ts';
import { routeToClusters } from '../../model/index.ts';

/** The filter chains of one non-HTTP server, by the SNI (or `*`, any) they match. */
export interface L4Chain {
  /** The SNI the chain matches; `*` for a TCP server (no SNI match). */
  host: string;
  route: RouteXds;
}

/** A Gateway server as one gateway proxy takes it. */
export interface ServerOf {
  server: GatewayServer;
  /** `namespace/name` of its Gateway. */
  gateway: string;
  gatewayNamespace: string;
}

/** Whether a server passes the client's TLS through untouched (routed by SNI, VirtualService `tls` rules). */
export function passesTlsThrough(server: GatewayServer): boolean {
  const mode = server.tls?.mode;
  return (server.port.protocol ?? '').toUpperCase() !== 'HTTP' && mode === 'PASSTHROUGH';
}

/**
 * A gateway's TCP proxies for a server that carries no HTTP it routes
 * (istiod `buildGatewayNetworkFilters…`, Istio src
 * `pilot/pkg/networking/core/gateway.go`):
 * - TLS `PASSTHROUGH`: one filter chain per SNI name of the bound
 *   VirtualServices' `tls` rules that the server also lists
 *   (`match.sniHosts`, with the rule's `port` and `gateways` conditions),
 *   first rule first; the client's TLS reaches the backend unopened, so the
 *   gateway sees no HTTP.
 * - TCP (and TLS it terminates): the first `tcp` rule whose match applies
 *   (or that has none) takes every connection on the port.
 * No chain for an SNI: Envoy finds no filter chain and closes the
 * connection (the ingress resolver says so, `resolveIngressAddress`).
 */
export function buildGatewayL4Routes(ctx: RoutingContext, of: ServerOf, bound: readonly VirtualService[]): L4Chain[] {
  const { server, gateway, gatewayNamespace } = of;
  const port = server.port.number;
  const chains: L4Chain[] = [];
  for (const vs of bound) {
    if (!boundGateways(vs).includes(gateway)) continue;
    const vsHosts = (vs.spec.hosts ?? []).map((h) => ctx.hosts.resolve(h, vs.metadata.namespace));
    const serverHosts = serverHostsFor(server, gatewayNamespace, vs.metadata.namespace);
    if (intersectHosts(serverHosts, vsHosts).length === 0) continue;
    if (passesTlsThrough(server)) {
      (vs.spec.tls ?? []).forEach((rule, ruleIndex) => {
        (rule.match ?? []).forEach((match, matchIndex) => {
          if (!portAndGatewayMatch(match, port, gateway, vs.metadata.namespace)) return;
          for (const sni of intersectHosts(serverHosts, (match.sniHosts ?? []).map((h) => h.toLowerCase()))) {
            if (chains.some((c) => c.host === sni)) continue;
            const route = l4Route(ctx, vs, 'tls', ruleIndex, matchIndex, rule.route ?? [], port);
            if (route) chains.push({ host: sni, route });
          }
        });
      });
      continue;
    }
    if (chains.length > 0) continue;
    const rules = vs.spec.tcp ?? [];
    for (let ruleIndex = 0; ruleIndex < rules.length && chains.length === 0; ruleIndex++) {
      const rule = rules[ruleIndex]!;
      const matches = rule.match ?? [];
      const matchIndex = matches.length === 0 ? 0 : matches.findIndex((m) => portAndGatewayMatch(m, port, gateway, vs.metadata.namespace));
      if (matchIndex < 0) continue;
      const route = l4Route(ctx, vs, 'tcp', ruleIndex, matchIndex, rule.route ?? [], port);
      if (route) chains.push({ host: '*', route });
    }
  }
  return chains;
}

/** Whether `host` (an SNI) is one a server's filter chain matches: any when it lists `*`. */
export function sniMatches(sniHosts: readonly string[] | undefined, host: string): boolean {
  return sniHosts === undefined || sniHosts.some((s) => hostMatches(s, host));
}

/** istiod `isPortMatch` and `isGatewayMatch`: no port or gateways condition matches. */
function portAndGatewayMatch(match: { port?: number; gateways?: string[] }, port: number, gateway: string, vsNamespace: string): boolean {
  if (match.port !== undefined && match.port !== 0 && match.port !== port) return false;
  const gateways = match.gateways ?? [];
  return gateways.length === 0 || gateways.some((g) => gatewayRef(g, vsNamespace) === gateway);
}

/** Envoy's `tcp_proxy` toward a `tls` or `tcp` rule's weighted clusters (a gateway's or a sidecar's): no HTTP, so no timeout, retries, faults or mirrors. */
export function l4Route(ctx: RoutingContext, vs: VirtualService, section: 'tls' | 'tcp', ruleIndex: number, matchIndex: number, destinations: HTTPRouteDestination[], port: number): RouteXds | undefined {
  const single = destinations.length === 1;
  const kept = single ? destinations : destinations.filter((d) => (d.weight ?? 0) > 0);
  if (kept.length === 0) return undefined;
  const resource = resourceRef(vs);
  return {
    name: `${resource} ${section}[${ruleIndex}]`,
    origin: { kind: 'l4Route', resource, section, ruleIndex, matchIndex },
    match: { headers: [], queryParams: [] },
    action: routeToClusters({
      clusters: kept.map((d) => ({ cluster: resolveDestination(ctx, vs.metadata.namespace, d.destination, port).cluster, weight: single ? 100 : (d.weight as number) })),
      timeout: 0,
      retry: noRetryPolicy(),
      mirrors: [],
      tcpProxy: true,
    }),
  };
}
