import type { HTTPMatchRequest, HTTPRoute, RouteXds, VirtualService } from '../../model/index.ts';
import { resourceRef } from './DiagnosticSink.ts';
import { gatewayRef, MESH_GATEWAY } from './gatewayBinding.ts';
import { matchesLabels } from '../../model/index.ts';
import type { RouteSource, RoutingContext } from './RoutingContext.ts';
import { toRouteAction } from './toRouteAction.ts';
import { isCatchAll, toRouteMatch } from './toRouteMatch.ts';

/**
 * A VirtualService's routes for one service port as seen by one proxy
 * (istiod `BuildHTTPRoutesForVirtualService`, §2.4): rules in order, one
 * route per match block, a rule without `match` is a catch-all; generation
 * stops after the first catch-all route. Match blocks for another port, or
 * whose source conditions exclude this proxy, produce nothing. An empty result
 * means the service falls back to its default route.
 */
export function buildVirtualServiceRoutes(
  ctx: RoutingContext,
  vs: VirtualService,
  listenPort: number,
  source: RouteSource,
): RouteXds[] {
  const routes: RouteXds[] = [];
  const rules = vs.spec.http ?? [];
  for (let ruleIndex = 0; ruleIndex < rules.length; ruleIndex++) {
    const rule = rules[ruleIndex] as HTTPRoute;
    const matches = rule.match ?? [];
    if (matches.length === 0) {
      const route = translate(ctx, vs, rule, ruleIndex, undefined, 0, listenPort);
      if (route) routes.push(route);
      break;
    }
    let catchAll = false;
    for (let matchIndex = 0; matchIndex < matches.length; matchIndex++) {
      const match = matches[matchIndex] as HTTPMatchRequest;
      if (!appliesTo(match, listenPort, source, vs.metadata.namespace)) continue;
      const route = translate(ctx, vs, rule, ruleIndex, match, matchIndex, listenPort);
      if (!route) continue;
      routes.push(route);
      if (isCatchAll(route.match)) {
        catchAll = true;
        break;
      }
    }
    if (catchAll) break;
  }
  return routes;
}

/**
 * Config-time conditions (istiod `translateRoute` + `sourceMatchHTTP`);
 * listed `gateways` take precedence over source conditions: the match
 * applies to the sidecars when it lists `mesh`, to a gateway proxy when it
 * lists one of its Gateways.
 */
export function appliesTo(match: HTTPMatchRequest, listenPort: number, source: RouteSource, vsNamespace = source.namespace): boolean {
  if (match.port !== undefined && match.port !== 0 && match.port !== listenPort) return false;
  if (match.gateways && match.gateways.length > 0) {
    const serving = source.gateways;
    return serving ? match.gateways.some((g) => serving.has(gatewayRef(g, vsNamespace))) : match.gateways.includes(MESH_GATEWAY);
  }
  if (!matchesLabels(match.sourceLabels, source.labels)) return false;
  return match.sourceNamespace === undefined || match.sourceNamespace === '' || match.sourceNamespace === source.namespace;
}

function translate(
  ctx: RoutingContext,
  vs: VirtualService,
  rule: HTTPRoute,
  ruleIndex: number,
  match: HTTPMatchRequest | undefined,
  matchIndex: number,
  listenPort: number,
): RouteXds | undefined {
  const action = toRouteAction(ctx, vs, rule, listenPort);
  if (!action) return undefined;
  // A rule a delegate gave its root is named after where it is written: the delegate's rule.
  const from = ctx.delegated?.get(rule);
  const resource = from?.resource ?? resourceRef(vs);
  if (from) ruleIndex = from.ruleIndex;
  return {
    name: routeName(resource, rule, ruleIndex, match, matchIndex),
    // A rule without `match` reports matchIndex 0: it behaves as one empty match block.
    origin: { kind: 'virtualService', resource, ruleIndex, matchIndex, ...(rule.name ? { ruleName: rule.name } : {}) },
    match: toRouteMatch(match),
    action,
  };
}

/** istiod's route name (`rule` or `rule.match`) when the rule is named, else a readable locator. */
function routeName(
  resource: string,
  rule: HTTPRoute,
  ruleIndex: number,
  match: HTTPMatchRequest | undefined,
  matchIndex: number,
): string {
  if (rule.name) return match?.name ? `${rule.name}.${match.name}` : rule.name;
  return match ? `${resource} http[${ruleIndex}] match[${matchIndex}]` : `${resource} http[${ruleIndex}]`;
}
