import { compileSafeRegex, safeRegexMatches } from '../../model/index.ts';
import type { HeaderMatcherXds, RouteMiss, RouteXds, StringMatcherXds, VirtualHostXds } from '../../model/index.ts';

/** What the outbound sidecar sees of a request when it picks a route. */
export interface RequestHead {
  method: string;
  /** May include `?query`. */
  path: string;
  authority: string;
  scheme?: string;
  /** Lower-case names. */
  headers: Record<string, string>;
}

export interface RouteMatchResult {
  route?: RouteXds;
  /** Every route tried before the winner (or all of them), with the first condition that failed. */
  misses: RouteMiss[];
}

/**
 * Picks the first route of the virtual host whose conditions all hold (§2.4)
 * and explains, for each earlier route, the first condition that failed.
 * Never throws, whatever the request contains.
 */
export function matchRoute(vhost: VirtualHostXds, req: RequestHead, explain = true): RouteMatchResult {
  const misses: RouteMiss[] = explain ? [] : NO_MISSES;
  for (const route of vhost.routes) {
    const reason = firstFailure(route, req, explain);
    if (reason === undefined) return { route, misses };
    if (explain) misses.push({ route: route.name, reason });
  }
  return { misses };
}

/** `matchRoute` without the explanation: the first route whose conditions all hold, if any. */
export function firstMatchingRoute(vhost: VirtualHostXds, req: RequestHead): RouteXds | undefined {
  for (const route of vhost.routes) if (firstFailure(route, req, false) === undefined) return route;
  return undefined;
}

/** What `matchRoute` lists when not asked to explain (never written to). */
const NO_MISSES: RouteMiss[] = [];
/** A miss when no words are wanted. */
const MISS = 'no match';

/**
 * Envoy's StringMatcher: exact, prefix, or RE2 full match. `ignoreCase`
 * applies to exact and prefix only — Envoy documents it as having no effect
 * on `safe_regex` (write `(?i)` in the pattern instead). Invalid regex never
 * matches.
 */
export function matchString(m: StringMatcherXds, value: string): boolean {
  switch (m.kind) {
    case 'exact':
      return m.ignoreCase ? asciiLower(value) === asciiLower(m.value) : value === m.value;
    case 'prefix':
      return m.ignoreCase ? asciiLower(value).startsWith(asciiLower(m.value)) : value.startsWith(m.value);
    case 'regex':
      return safeRegexMatches(m.value, value);
    default:
      return assertNever(m);
  }
}

// Envoy evaluates headers and query parameters before the path; the verdict
// is the same (all conditions are ANDed), but a learner reads the rule
// top-down as the VirtualService lists it, so the uri is reported first.
function firstFailure(route: RouteXds, req: RequestHead, explain: boolean): string | undefined {
  const uri = route.match.path;
  const hasQuery = route.match.queryParams.length > 0;
  // A route that matches on neither the path nor the query (a plain default route) need not split them.
  if (uri === undefined && route.match.headers.length === 0 && !hasQuery) return undefined;
  const { path, query } = splitPath(req.path);
  if (uri && !matchString(uri, path)) return explain ? `uri ${quote(path)} ${uriWanted(uri)}` : MISS;
  for (const h of route.match.headers) {
    const failure = headerFailure(h, req, explain);
    if (failure) return failure;
  }
  if (hasQuery) {
    const params = parseQuery(query);
    for (const q of route.match.queryParams) {
      const value = params.get(q.name);
      if (value === undefined) return explain ? `query param ${q.name} is absent` : MISS;
      if (!matchString(q.matcher, value)) return explain ? `query param ${q.name} is ${quote(value)}, wanted ${wanted(q.matcher, true)}` : MISS;
    }
  }
  return undefined;
}

function headerFailure(h: HeaderMatcherXds, req: RequestHead, explain: boolean): string | undefined {
  const pseudo = PSEUDO.get(h.name);
  const label = pseudo ? pseudo.label : `header ${h.name}`;
  const quoted = pseudo ? pseudo.quoted : true;
  const value = pseudo ? pseudo.read(req) : own(req.headers, h.name.toLowerCase());
  // Envoy: an absent header fails a normal matcher and satisfies an inverted one.
  if (value === undefined) return h.invert ? undefined : explain ? `${label} is absent` : MISS;
  const matched = matchString(h.matcher, value);
  if (matched !== h.invert) return undefined;
  if (!explain) return MISS;
  const shown = quoted ? quote(value) : value;
  return h.invert
    ? `${label} is ${shown}, wanted anything but ${wanted(h.matcher, quoted)}`
    : `${label} is ${shown}, wanted ${wanted(h.matcher, quoted)}`;
}

interface Pseudo {
  label: string;
  quoted: boolean;
  read: (req: RequestHead) => string | undefined;
}

const PSEUDO = new Map<string, Pseudo>([
  [':method', { label: 'method', quoted: false, read: (req) => req.method }],
  [':authority', { label: 'authority', quoted: true, read: (req) => req.authority }],
  // Envoy always sets :scheme; the app speaks plain HTTP to its own sidecar.
  [':scheme', { label: 'scheme', quoted: false, read: (req) => req.scheme ?? 'http' }],
  [':path', { label: 'path', quoted: true, read: (req) => req.path }],
]);

function splitPath(full: string): { path: string; query: string } {
  const hash = full.indexOf('#');
  const beforeFragment = hash >= 0 ? full.slice(0, hash) : full;
  const q = beforeFragment.indexOf('?');
  if (q < 0) return { path: beforeFragment, query: '' };
  return { path: beforeFragment.slice(0, q), query: beforeFragment.slice(q + 1) };
}

/** Like Envoy's `parseQueryString`: values are not percent-decoded; the first occurrence wins; `?flag` has value "". */
function parseQuery(query: string): Map<string, string> {
  const params = new Map<string, string>();
  if (query === '') return params;
  for (const part of query.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = eq >= 0 ? part.slice(0, eq) : part;
    if (!params.has(name)) params.set(name, eq >= 0 ? part.slice(eq + 1) : '');
  }
  return params;
}

function uriWanted(m: StringMatcherXds): string {
  const suffix = caseNote(m);
  switch (m.kind) {
    case 'exact':
      return `is not exactly ${quote(m.value)}${suffix}`;
    case 'prefix':
      return `does not start with ${quote(m.value)}${suffix}`;
    case 'regex':
      return `does not match regex ${quote(m.value)}${suffix}`;
    default:
      return assertNever(m);
  }
}

function wanted(m: StringMatcherXds, quoted: boolean): string {
  const shown = quoted ? quote(m.value) : m.value;
  const kind = m.kind === 'exact' ? 'exactly' : m.kind;
  return `${kind} ${shown}${caseNote(m)}`;
}

function caseNote(m: StringMatcherXds): string {
  if (m.kind === 'regex') return compileSafeRegex(m.value).ok ? '' : ' (invalid regex, never matches)';
  return m.ignoreCase ? ' (ignoring case)' : '';
}

function quote(value: string): string {
  return JSON.stringify(value);
}

function own(record: Record<string, string>, key: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

/** Envoy compares case-insensitively in ASCII only (absl::EqualsIgnoreCase). */
function asciiLower(value: string): string {
  return value.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
}

function assertNever(value: never): never {
  throw new Error(`unexpected matcher ${JSON.stringify(value)}`);
}
