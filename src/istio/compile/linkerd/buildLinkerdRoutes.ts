import {
  clusterName,
  oldestFirst,
  parseDuration,
  type HeaderMatcherXds,
  type HTTPRouteMatch,
  type HTTPRouteSpec,
  type Resource,
  type RouteMatchXds,
  type RouteXds,
  type RetryPolicyXds,
  type ServiceProfileCondition,
  type ServiceProfileSpec,
} from '../../../model/index.ts';
import type { CompileContext } from '../CompileContext.ts';
import { resourceRef } from '../DiagnosticSink.ts';
import { profileBudget, profileRetry, SERVICE_PROFILE_TIMEOUT } from './linkerdRetryPolicy.ts';
import { routeToClusters } from '../../../model/index.ts';

/** What a route of a Service gets when nothing more specific says: the Service's annotation policy. */
export interface ServicePolicy {
  retry: RetryPolicyXds;
  /** Request timeout (0: none). */
  timeout: number;
}

/**
 * The routes of one Service port from the HTTPRoutes whose parent it is
 * (GAMMA, §10): each match of each rule is one route, ordered as Linkerd's
 * proxy chooses among them — the longest path match, then more header,
 * query and method conditions win; on a tie the older route and the earlier
 * rule (linkerd2-proxy `linkerd/http/route`, `find` and `RequestMatch`'s
 * order). A regular-expression path matches the whole path, so it ranks
 * with an exact match of the same length; meshviz ranks it above every
 * prefix (a prefix as long as the whole path would tie it in Linkerd).
 */
export function httpRouteRoutes(
  ctx: CompileContext,
  routes: ReadonlyArray<Resource<HTTPRouteSpec>>,
  parent: { namespace: string; host: string; port: number },
  policyFor: (route: Resource<HTTPRouteSpec>) => ServicePolicy,
): RouteXds[] {
  const ranked: Array<{ route: RouteXds; rank: number[] }> = [];
  for (const resource of [...routes].sort(oldestFirst)) {
    const policy = policyFor(resource);
    for (const [ruleIndex, rule] of (resource.spec.rules ?? []).entries()) {
      const backends = (rule.backendRefs ?? [])
        .filter((b) => (b.weight ?? 1) > 0)
        .map((b) => {
          const namespace = b.namespace ?? resource.metadata.namespace;
          const host = ctx.hosts.fqdn(b.name, namespace);
          return { cluster: clusterName(b.port ?? parent.port, undefined, host), weight: b.weight ?? 1 };
        });
      const clusters = (rule.backendRefs ?? []).length === 0 ? [{ cluster: clusterName(parent.port, undefined, parent.host), weight: 1 }] : backends;
      const requestTimeout = rule.timeouts?.request === undefined ? undefined : parseDuration(rule.timeouts.request);
      const matches = rule.matches && rule.matches.length > 0 ? rule.matches : [{ path: { type: 'PathPrefix' as const, value: '/' } }];
      for (const [matchIndex, match] of matches.entries()) {
        const route: RouteXds = {
          name: `${resourceRef(resource)} rules[${ruleIndex}]${matches.length > 1 ? ` matches[${matchIndex}]` : ''}`,
          origin: { kind: 'httpRoute', resource: resourceRef(resource), ruleIndex, matchIndex },
          match: toLinkerdMatch(match),
          action:
            clusters.length === 0
              ? { kind: 'directResponse', status: 500, body: 'every backendRef has weight 0' }
              : routeToClusters({ clusters, timeout: policy.timeout || requestTimeout || 0, retry: policy.retry, mirrors: [] }),
        };
        ranked.push({ route, rank: rankOf(match) });
      }
    }
  }
  // A stable sort: equal ranks keep the older route and the earlier rule first.
  ranked.sort((a, b) => compareRanks(b.rank, a.rank));
  return ranked.map((r) => r.route);
}

/** (path match length, headers, query parameters, method) as Linkerd compares them. */
function rankOf(match: HTTPRouteMatch): number[] {
  const path = match.path;
  const length = !path ? 1 : path.type === 'RegularExpression' ? Number.MAX_SAFE_INTEGER : path.type === 'Exact' ? (path.value ?? '/').length : prefixLength(path.value ?? '/');
  return [length, match.headers?.length ?? 0, match.queryParams?.length ?? 0, match.method ? 1 : 0];
}

function prefixLength(prefix: string): number {
  return prefix === '/' ? 1 : prefix.replace(/\/+$/, '').length;
}

function compareRanks(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if ((a[i] as number) !== (b[i] as number)) return (a[i] as number) - (b[i] as number);
  return 0;
}

/**
 * An HTTPRoute match as the engine's route match. Linkerd's path prefix
 * matches whole segments (`/api` takes `/api` and `/api/x`, not `/apix`;
 * trailing slashes ignored), so it becomes a regular expression.
 */
export function toLinkerdMatch(match: HTTPRouteMatch): RouteMatchXds {
  const out: RouteMatchXds = { headers: [], queryParams: [] };
  const path = match.path;
  if (path?.type === 'Exact') out.path = { kind: 'exact', value: path.value ?? '/', ignoreCase: false };
  else if (path?.type === 'RegularExpression') out.path = { kind: 'regex', value: path.value ?? '.*', ignoreCase: false };
  else if (path && (path.value ?? '/') !== '/') out.path = { kind: 'regex', value: `${escapeRegex((path.value ?? '/').replace(/\/+$/, ''))}(/.*)?`, ignoreCase: false };
  const headers: HeaderMatcherXds[] = (match.headers ?? []).map((h) => ({
    name: h.name.toLowerCase(),
    matcher: { kind: h.type === 'RegularExpression' ? 'regex' : 'exact', value: h.value, ignoreCase: false },
    invert: false,
  }));
  if (match.method) headers.push({ name: ':method', matcher: { kind: 'exact', value: match.method, ignoreCase: false }, invert: false });
  out.headers = headers;
  out.queryParams = (match.queryParams ?? []).map((q) => ({ name: q.name, matcher: { kind: q.type === 'RegularExpression' ? 'regex' : 'exact', value: q.value, ignoreCase: false } }));
  return out;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The routes of a Service port under a ServiceProfile (§10.1): its routes in
 * order, the first whose condition holds deciding the retries and timeout
 * (default 10 s), then everything else with neither. A route's condition
 * must be a method, a path regex, or `all` of those; `any` and `not` are
 * reported and the route left out.
 */
export function serviceProfileRoutes(
  profile: Resource<ServiceProfileSpec>,
  host: string,
  port: number,
  report: (path: string, what: string) => void,
  noRetry: RetryPolicyXds,
): RouteXds[] {
  const cluster = clusterName(port, undefined, host);
  const budget = profileBudget(profile.spec);
  const out: RouteXds[] = [];
  for (const [index, route] of (profile.spec.routes ?? []).entries()) {
    const match = conditionMatch(route.condition ?? {});
    if (typeof match === 'string') {
      report(`spec.routes[${index}].condition`, match);
      continue;
    }
    const timeout = route.timeout === undefined ? SERVICE_PROFILE_TIMEOUT : (parseDuration(route.timeout) ?? SERVICE_PROFILE_TIMEOUT);
    out.push({
      name: `${resourceRef(profile)} route ${JSON.stringify(route.name)}`,
      origin: { kind: 'httpRoute', resource: resourceRef(profile), ruleIndex: index, matchIndex: 0 },
      match,
      action: routeToClusters({ clusters: [{ cluster, weight: 1 }], timeout, retry: profileRetry(route, budget, `${resourceRef(profile)} route ${JSON.stringify(route.name)}`), mirrors: [] }),
    });
  }
  out.push({
    name: 'default',
    origin: { kind: 'default' },
    match: { headers: [], queryParams: [] },
    action: routeToClusters({ clusters: [{ cluster, weight: 1 }], timeout: 0, retry: noRetry, mirrors: [] }),
  });
  return out;
}

/** A ServiceProfile condition as a route match, or what cannot be expressed. */
function conditionMatch(condition: ServiceProfileCondition): RouteMatchXds | string {
  const out: RouteMatchXds = { headers: [], queryParams: [] };
  const parts: ServiceProfileCondition[] = [condition, ...(condition.all ?? [])];
  for (const part of parts) {
    if (part.any) return 'a condition with any';
    if (part.not) return 'a condition with not';
    if (part !== condition && part.all) return 'a nested all';
    if (part.pathRegex !== undefined) {
      if (out.path) return 'two path regexes in one condition';
      out.path = { kind: 'regex', value: part.pathRegex, ignoreCase: false };
    }
    if (part.method !== undefined) out.headers.push({ name: ':method', matcher: { kind: 'exact', value: part.method, ignoreCase: false }, invert: false });
  }
  return out;
}
