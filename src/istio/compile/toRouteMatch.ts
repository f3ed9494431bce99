import type {
  HeaderMatcherXds,
  HTTPMatchRequest,
  RouteMatchXds,
  StringMatch,
  StringMatcherXds,
} from '../../model/index.ts';

/**
 * Istio's "present" match (an empty StringMatch, or regex `*`). The xDS model
 * has no presence matcher; a regex matching any value is the same thing,
 * because a header matcher only matches a header that is there.
 */
const PRESENT: StringMatcherXds = { kind: 'regex', value: '.*', ignoreCase: false };

/**
 * One VirtualService match block → the runtime part of an Envoy route match
 * (§2.4, istiod `TranslateRouteMatch`). No block, or no `uri`, matches any
 * path. `headers` and `withoutHeaders` are sorted by name, then `:method`,
 * `:authority` and `:scheme` follow. Config-time conditions (`port`,
 * `sourceLabels`, `sourceNamespace`, `gateways`) are not part of the result.
 */
export function toRouteMatch(match: HTTPMatchRequest | undefined): RouteMatchXds {
  const out: RouteMatchXds = { headers: [], queryParams: [] };
  if (!match) return out;
  // Envoy ignores case_sensitive for safe_regex paths (RouteMatch.case_sensitive docs).
  const uri = toStringMatcher(match.uri, match.ignoreUriCase === true && match.uri?.regex === undefined);
  if (uri) out.path = uri;

  const headers: HeaderMatcherXds[] = [
    ...Object.entries(match.headers ?? {}).map(([name, sm]) => header(name, sm, false)),
    ...Object.entries(match.withoutHeaders ?? {}).map(([name, sm]) => header(name, sm, true)),
  ];
  headers.sort((a, b) => compare(a.name, b.name));
  if (match.method) headers.push(header(':method', match.method, false));
  if (match.authority) headers.push(header(':authority', match.authority, false));
  if (match.scheme) headers.push(header(':scheme', match.scheme, false));
  out.headers = headers;

  out.queryParams = Object.entries(match.queryParams ?? {})
    .sort(([a], [b]) => compare(a, b))
    .map(([name, sm]) => ({ name, matcher: valueMatcher(sm) }));
  return out;
}

/**
 * Whether a translated match takes every request (istiod `IsCatchAllRoute`):
 * any path (or prefix `/`, or regex `.*`) and no header or query conditions.
 */
export function isCatchAll(match: RouteMatchXds): boolean {
  const path = match.path;
  const anyPath =
    path === undefined ||
    (path.kind === 'prefix' && path.value === '/') ||
    (path.kind === 'regex' && path.value === '.*');
  return anyPath && match.headers.length === 0 && match.queryParams.length === 0;
}

function header(name: string, sm: StringMatch, invert: boolean): HeaderMatcherXds {
  return { name: name.toLowerCase(), matcher: valueMatcher(sm), invert };
}

function valueMatcher(sm: StringMatch): StringMatcherXds {
  if (sm.regex === '*') return PRESENT;
  return toStringMatcher(sm, false) ?? PRESENT;
}

function toStringMatcher(sm: StringMatch | undefined, ignoreCase: boolean): StringMatcherXds | undefined {
  if (sm?.exact !== undefined) return { kind: 'exact', value: sm.exact, ignoreCase };
  if (sm?.prefix !== undefined) return { kind: 'prefix', value: sm.prefix, ignoreCase };
  if (sm?.regex !== undefined) return { kind: 'regex', value: sm.regex, ignoreCase };
  return undefined;
}

/** Byte-order comparison, as Go's `sort.Slice` on names (not locale-aware). */
function compare(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
