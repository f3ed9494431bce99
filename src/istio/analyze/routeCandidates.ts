import { compileSafeRegex } from '../../model/index.ts';
import type { RouteXds, StringMatcherXds } from '../../model/index.ts';

/** A request as the Simulation document writes it: what is known before anything runs. */
export interface StaticRequest {
  path: string;
  method: string;
  /** Headers the caller sets itself; others (propagated ones) may or may not be there. */
  headers: Record<string, string>;
}

type Verdict = 'yes' | 'no' | 'maybe';

/**
 * The routes of a virtual host a request can take, in order: every route
 * that may match, up to and including the first that surely does (first
 * match wins, §2.4). A header the caller does not set itself may still be
 * propagated from upstream, so a condition on it is a "maybe".
 */
export function routeCandidates(routes: readonly RouteXds[], request: StaticRequest): RouteXds[] {
  const candidates: RouteXds[] = [];
  for (const route of routes) {
    const verdict = matches(route, request);
    if (verdict === 'no') continue;
    candidates.push(route);
    if (verdict === 'yes') break;
  }
  return candidates;
}

function matches(route: RouteXds, request: StaticRequest): Verdict {
  const [pathOnly, query = ''] = request.path.split('?', 2) as [string, string?];
  const verdicts: Verdict[] = [];
  if (route.match.path) verdicts.push(stringMatches(route.match.path, pathOnly));
  for (const header of route.match.headers) {
    const value = header.name === ':method' ? request.method : header.name === ':scheme' ? 'http' : request.headers[header.name];
    let verdict: Verdict = value === undefined ? 'maybe' : stringMatches(header.matcher, value);
    if (header.name === ':authority') verdict = 'maybe';
    if (header.invert && verdict !== 'maybe') verdict = verdict === 'yes' ? 'no' : 'yes';
    verdicts.push(verdict);
  }
  const params = new Map(query.split('&').filter(Boolean).map((pair): [string, string] => [pair.split('=')[0] ?? '', pair.split('=')[1] ?? '']));
  for (const param of route.match.queryParams) {
    const value = params.get(param.name);
    verdicts.push(value === undefined ? 'no' : stringMatches(param.matcher, value));
  }
  if (verdicts.includes('no')) return 'no';
  return verdicts.includes('maybe') ? 'maybe' : 'yes';
}

function stringMatches(matcher: StringMatcherXds, value: string): Verdict {
  const fold = (text: string): string => (matcher.ignoreCase ? text.toLowerCase() : text);
  switch (matcher.kind) {
    case 'exact':
      return fold(value) === fold(matcher.value) ? 'yes' : 'no';
    case 'prefix':
      return fold(value).startsWith(fold(matcher.value)) ? 'yes' : 'no';
    case 'regex': {
      // As the engine matches: RE2, whole input; ignoreCase has no effect on a regex (Envoy).
      const compiled = compileSafeRegex(matcher.value);
      return compiled.ok ? (compiled.regex.matches(value) ? 'yes' : 'no') : 'maybe';
    }
    default: {
      const unknown: never = matcher;
      return unknown;
    }
  }
}
