import { clusterName, oldestFirst, parseDuration, type HTTPRouteMatch, type HTTPRouteRule, type HTTPRouteSpec, type Resource, type RouteActionXds, type RouteXds } from '../../model/index.ts';
import type { CompileContext } from './CompileContext.ts';
import { resourceRef } from './DiagnosticSink.ts';
import { toLinkerdMatch } from './linkerd/buildLinkerdRoutes.ts';
import { defaultRetryPolicy } from './toRetryPolicy.ts';
import { routeToClusters } from '../../model/index.ts';

/** The filters meshviz simulates. */
const SIMULATED_FILTERS = new Set(['RequestHeaderModifier', 'RequestRedirect']);
/** The Gateway API's other HTTP filters, which Istio implements (its Gateway API conformance reports) and meshviz does not simulate. */
const OTHER_STANDARD_FILTERS = new Set(['ResponseHeaderModifier', 'RequestMirror', 'URLRewrite', 'CORS']);

/** The HTTPRoutes (GAMMA) whose parent is a Service port, looked up per `fqdn:port`. */
export interface GammaRoutes {
  forPort(host: string, port: number): RouteXds[] | undefined;
}

/**
 * Gateway API HTTPRoutes for the mesh under Istio (GAMMA: a parentRef of
 * kind Service, group "" or "core"; with a `port`, that port only). istiod
 * turns them into VirtualServices for the Service's host (Istio src
 * `pilot/pkg/config/kube/gateway/conversion.go`), so a rule routes as a
 * VirtualService rule would: weighted backendRefs (weight 1 unless set,
 * weight 0 left out; none: the parent Service itself), `timeouts.request`
 * the route timeout, `timeouts.backendRequest` the per-try timeout, and
 * without retries of its own the mesh's default retry policy (§2.1). Rules
 * are ordered by the Gateway API's precedence (HTTPRoute API, `rules`: an
 * exact path before a prefix, the longest prefix first, then a method
 * match, then the most header matches, then the most query matches; ties
 * keep the oldest route and the earlier rule), and a PathPrefix matches
 * whole path segments ("/api" takes "/api" and "/api/x", not "/apix").
 * RequestHeaderModifier and RequestRedirect are simulated; the Gateway
 * API's other filters are reported and the rule routes without them; a
 * filter type meshviz does not know leaves the rule out.
 */
export function createGammaRoutes(ctx: CompileContext): GammaRoutes | undefined {
  const routes = [...ctx.scenario.httpRoutes].sort(oldestFirst);
  if (routes.length === 0) return undefined;
  for (const route of routes) checkReferences(ctx, route);
  const built = new Map<string, RouteXds[]>();
  for (const entry of ctx.services.all) {
    const service = entry.service;
    for (const { port } of service.ports) {
      const parenting = routes.filter((route) =>
        (route.spec.parentRefs ?? []).some((ref) =>
          (ref.kind ?? 'Gateway') === 'Service' && Object.hasOwn(CORE, ref.group ?? '') && ref.name === service.name && (ref.namespace ?? route.metadata.namespace) === service.namespace && (ref.port === undefined || ref.port === port),
        ),
      );
      if (parenting.length > 0) built.set(`${entry.fqdn}:${port}`, gammaRoutes(ctx, parenting, entry.fqdn, port));
    }
  }
  return { forPort: (host, port) => built.get(`${host}:${port}`) };
}

const CORE: Record<string, true> = { '': true, core: true };
const GATEWAY_GROUP = 'gateway.networking.k8s.io';

/** What an HTTPRoute names and the mesh does not have: said, never dropped in silence (the same findings as under Linkerd). */
function checkReferences(ctx: CompileContext, route: Resource<HTTPRouteSpec>): void {
  for (const [i, parent] of (route.spec.parentRefs ?? []).entries()) {
    const kind = parent.kind ?? 'Gateway';
    // A Gateway parent is an ingress gateway's listener: attachGatewayRoutes says whether the route attaches.
    if (kind === 'Gateway' && (parent.group ?? GATEWAY_GROUP) === GATEWAY_GROUP) continue;
    if (kind !== 'Service') ctx.diagnostics.report('LinkerdParentNotService', { resource: route, path: `spec.parentRefs[${i}]` }, { kind });
    else if (!ctx.services.get(ctx.hosts.fqdn(parent.name, parent.namespace ?? route.metadata.namespace))) ctx.diagnostics.report('LinkerdParentUnknown', { resource: route, path: `spec.parentRefs[${i}]` }, { parent: parent.name });
  }
  for (const [r, rule] of (route.spec.rules ?? []).entries()) {
    for (const [b, backend] of (rule.backendRefs ?? []).entries()) {
      const service = ctx.services.get(ctx.hosts.fqdn(backend.name, backend.namespace ?? route.metadata.namespace))?.service;
      if (!service || (backend.port !== undefined && !service.ports.some((p) => p.port === backend.port))) {
        ctx.diagnostics.report('LinkerdBackendUnknown', { resource: route, path: `spec.rules[${r}].backendRefs[${b}]` }, { backend: `${backend.name}${backend.port ? `:${backend.port}` : ''}` });
      }
    }
  }
}

/**
 * The routes of HTTPRoutes for one host and port, merged as istiod merges
 * them (Istio src `pilot/pkg/config/kube/gateway/route_collections.go`
 * `mergeHTTPRoutes`: every rule of every route, sorted by the Gateway API's
 * precedence). On a gateway (`parent: 'gateway'`) a rule without a
 * backendRef answers 500 and a backendRef needs its port (`conversion.go`:
 * "Port is required when the referent is a Kubernetes Service").
 */
export function gammaRoutes(ctx: CompileContext, routes: ReadonlyArray<Resource<HTTPRouteSpec>>, host: string, port: number, parent: 'service' | 'gateway' = 'service'): RouteXds[] {
  const ranked: Array<{ route: RouteXds; rank: number[] }> = [];
  for (const resource of routes) {
    for (const [ruleIndex, rule] of (resource.spec.rules ?? []).entries()) {
      const action = ruleAction(ctx, resource, rule, ruleIndex, host, port, parent);
      if (!action) continue;
      const matches = rule.matches && rule.matches.length > 0 ? rule.matches : [{ path: { type: 'PathPrefix' as const, value: '/' } }];
      for (const [matchIndex, match] of matches.entries()) {
        const route: RouteXds = {
          name: `${resourceRef(resource)} rules[${ruleIndex}]${matches.length > 1 ? ` matches[${matchIndex}]` : ''}`,
          origin: { kind: 'httpRoute', resource: resourceRef(resource), ruleIndex, matchIndex },
          match: toLinkerdMatch(match),
          action,
        };
        ranked.push({ route, rank: precedence(match) });
      }
    }
  }
  // Stable: equal ranks keep the older route and the earlier rule first.
  ranked.sort((a, b) => compare(b.rank, a.rank));
  return ranked.map((r) => r.route);
}

function ruleAction(ctx: CompileContext, resource: Resource<HTTPRouteSpec>, rule: HTTPRouteRule, ruleIndex: number, host: string, port: number, parent: 'service' | 'gateway'): RouteActionXds | undefined {
  const filters = rule.filters ?? [];
  let unknown = false;
  filters.forEach((filter, index) => {
    const at = { resource, path: `spec.rules[${ruleIndex}].filters[${index}]` };
    if (OTHER_STANDARD_FILTERS.has(filter.type)) ctx.diagnostics.report('HttpRouteFilterNotSimulated', at, { type: filter.type });
    else if (!SIMULATED_FILTERS.has(filter.type)) {
      ctx.diagnostics.report('HttpRouteFilterUnknown', at, { type: filter.type });
      unknown = true;
    }
  });
  if (unknown) return undefined;
  const redirect = filters.find((f) => f.type === 'RequestRedirect')?.requestRedirect;
  if (redirect) {
    const location = `${redirect.scheme ?? 'http'}://${redirect.hostname ?? host}${redirect.port === undefined ? '' : `:${redirect.port}`}`;
    return { kind: 'redirect', status: redirect.statusCode ?? 302, location };
  }
  const refs = rule.backendRefs ?? [];
  if (parent === 'gateway' && refs.length === 0) return { kind: 'directResponse', status: 500, body: 'the rule has no backendRefs' };
  if (parent === 'gateway' && refs.some((b) => b.port === undefined)) return { kind: 'directResponse', status: 500, body: 'port is required in backendRef' };
  const clusters = refs.length === 0
    ? [{ cluster: clusterName(port, undefined, host), weight: 1 }]
    : refs.filter((b) => (b.weight ?? 1) > 0).map((b) => ({ cluster: clusterName(b.port ?? port, undefined, ctx.hosts.fqdn(b.name, b.namespace ?? resource.metadata.namespace)), weight: b.weight ?? 1 }));
  // Every backend at weight 0: the Gateway API's answer for a rule with no backend to send to is a 500.
  if (clusters.length === 0) return { kind: 'directResponse', status: 500, body: 'every backendRef has weight 0' };
  const retry = defaultRetryPolicy(false);
  const perTry = rule.timeouts?.backendRequest === undefined ? undefined : parseDuration(rule.timeouts.backendRequest);
  const headers = filters.find((f) => f.type === 'RequestHeaderModifier')?.requestHeaderModifier;
  return routeToClusters({
    clusters,
    timeout: rule.timeouts?.request === undefined ? 0 : (parseDuration(rule.timeouts.request) ?? 0),
    retry: perTry === undefined ? retry : { ...retry, perTryTimeout: perTry },
    mirrors: [],
    requestHeaders: headers
      ? {
          set: (headers.set ?? []).map((h): [string, string] => [h.name.toLowerCase(), h.value]),
          add: (headers.add ?? []).map((h): [string, string] => [h.name.toLowerCase(), h.value]),
          remove: (headers.remove ?? []).map((name) => name.toLowerCase()),
        }
      : undefined,
  });
}

/** The Gateway API's precedence: exact path, prefix length, method, header matches, query matches. */
function precedence(match: HTTPRouteMatch): number[] {
  const path = match.path;
  const exact = path?.type === 'Exact' ? 1 : 0;
  const length = path ? (path.value ?? '/').length : 1;
  return [exact, length, match.method ? 1 : 0, match.headers?.length ?? 0, match.queryParams?.length ?? 0];
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if ((a[i] as number) !== (b[i] as number)) return (a[i] as number) - (b[i] as number);
  return 0;
}
