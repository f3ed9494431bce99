import { isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { suggest } from '../model/index.ts';
import { ApiError } from './ApiError.ts';

/** Which VirtualService rule a case expects, by the rule's `name` or by position (in `http`, or in `tls` or `tcp` for a port Istio proxies as TCP). */
export type ExpectedRule = { name: string } | { virtualService: string; section: RuleSection; index: number; match?: number } | { default: true };

export type RuleSection = 'http' | 'tls' | 'tcp';
const SECTIONS: readonly RuleSection[] = ['http', 'tls', 'tcp'];

/** One route test: a request and what must happen to it. */
export interface RouteCase {
  name: string;
  /** A workload or pod (or `external`) the request leaves from. */
  from: string;
  /** `host[:port]` as the caller dials it. */
  authority: string;
  path: string;
  method: string;
  headers: Record<string, string>;
  expect: {
    /** The destination service: a short name, `name.namespace` or the FQDN. */
    host?: string;
    /** One subset, or any of several. */
    subset?: string | string[];
    status?: number;
    rule?: ExpectedRule;
  };
  /** `file:line` of the case, for reports. */
  at: string;
}

const CASE_FIELDS = ['name', 'from', 'authority', 'path', 'method', 'headers', 'expect'];
const EXPECT_FIELDS = ['host', 'subset', 'status', 'rule'];
const EXAMPLES: Record<string, string> = { from: 'productpage-v1', authority: 'reviews:9080', path: '/reviews/0', method: 'GET' };

/**
 * Reads a route-test file: `cases:` (or a bare list) of requests with their
 * expectations. Mistakes are `file:line:col: message` errors.
 */
export function readRouteCases(file: string, text: string): RouteCase[] {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const where = (node: Node | null | undefined): string => {
    const pos = node?.range ? lines.linePos(node.range[0]) : { line: 1, col: 1 };
    return `${file}:${pos.line}:${pos.col}`;
  };
  const [problem] = doc.errors;
  // The library's own position (an offset; `linePos` is only filled in with prettyErrors).
  if (problem) {
    const at = lines.linePos(problem.pos[0]);
    throw new ApiError(`${file}:${at.line}:${at.col}: ${problem.message.split('\n')[0]}`, 'the cases file is not valid YAML');
  }
  const root = doc.contents;
  const list = isMap(root) ? root.get('cases', true) : root;
  if (!isSeq(list)) throw new ApiError(`${where(root as Node)}: expected a list of cases`, 'cases: [...], or a bare list');
  const plain = doc.toJS({ maxAliasCount: 100 }) as unknown;
  const items = (Array.isArray(plain) ? plain : (plain as { cases: unknown[] }).cases) as unknown[];
  return items.map((item, index) => readCase(item, index, where(list.items[index] as Node)));
}

function readCase(item: unknown, index: number, at: string): RouteCase {
  const fail = (message: string, hint: string): never => {
    throw new ApiError(`${at}: case ${index + 1}: ${message}`, hint);
  };
  if (!isObject(item)) return fail('expected a mapping', 'a case has from, authority and expect');
  const unknown = Object.keys(item).filter((k) => !CASE_FIELDS.includes(k));
  const near = unknown.length === 1 ? suggest(unknown[0] as string, CASE_FIELDS) : undefined;
  if (unknown.length > 0) fail(`unknown field ${unknown.map((k) => JSON.stringify(k)).join(', ')}`, near ? `did you mean ${near}?` : `fields: ${CASE_FIELDS.join(', ')}`);
  const text = (key: string, fallback?: string): string => {
    const value = item[key] ?? fallback;
    if (typeof value !== 'string' || value === '') return fail(`${key} must be a non-empty string`, `e.g. ${key}: ${EXAMPLES[key]}`);
    return value;
  };
  const headers = item['headers'] ?? {};
  if (!isObject(headers) || Object.values(headers).some((v) => typeof v !== 'string')) fail('headers must map names to strings', 'e.g. headers: { end-user: jason }');
  const expect = item['expect'];
  if (!isObject(expect)) return fail('expect must be a mapping', `with ${EXPECT_FIELDS.join(', ')}`);
  const wrong = Object.keys(expect).filter((k) => !EXPECT_FIELDS.includes(k));
  if (wrong.length > 0 || Object.keys(expect).length === 0) fail(wrong.length > 0 ? `expect: unknown field ${wrong.map((k) => JSON.stringify(k)).join(', ')}` : 'expect is empty', `expect takes ${EXPECT_FIELDS.join(', ')}`);
  const path = text('path', '/');
  if (!path.startsWith('/')) fail('path must start with "/"', `e.g. path: ${EXAMPLES['path']}`);
  return {
    name: typeof item['name'] === 'string' ? item['name'] : `case ${index + 1}`,
    from: text('from'),
    authority: text('authority'),
    path,
    method: text('method', 'GET').toUpperCase(),
    headers: Object.fromEntries(Object.entries(headers as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v])),
    expect: readExpect(expect, fail),
    at,
  };
}

function readExpect(expect: Record<string, unknown>, fail: (message: string, hint: string) => never): RouteCase['expect'] {
  const out: RouteCase['expect'] = {};
  const { host, subset, status, rule } = expect;
  if (host !== undefined) out.host = typeof host === 'string' ? host : fail('expect.host must be a string', 'a short name, name.namespace or the FQDN');
  if (subset !== undefined) {
    const ok = typeof subset === 'string' || (Array.isArray(subset) && subset.every((s) => typeof s === 'string'));
    out.subset = ok ? (subset as string | string[]) : fail('expect.subset must be a subset name or a list of names', 'e.g. v2 or [v1, v3]');
  }
  if (status !== undefined) out.status = Number.isInteger(status) ? (status as number) : fail('expect.status must be an HTTP status code', 'an integer, e.g. 200');
  if (rule !== undefined) out.rule = readRule(rule, fail);
  return out;
}

function readRule(rule: unknown, fail: (message: string, hint: string) => never): ExpectedRule {
  if (rule === 'default') return { default: true };
  if (typeof rule === 'string') return { name: rule };
  if (isObject(rule) && typeof rule['virtualService'] === 'string' && Number.isInteger(rule['index'])) {
    const section = rule['section'] ?? 'http';
    if (!(SECTIONS as readonly unknown[]).includes(section)) return fail(`expect.rule.section ${JSON.stringify(section)} is not a section of rules`, 'http (the default), tls or tcp');
    const out: ExpectedRule = { virtualService: rule['virtualService'], section: section as RuleSection, index: rule['index'] as number };
    if (Number.isInteger(rule['match'])) out.match = rule['match'] as number;
    return out;
  }
  return fail('expect.rule is not a rule', 'a rule name, "default", or {virtualService: NAME, index: N[, match: M][, section: tls|tcp]}');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
