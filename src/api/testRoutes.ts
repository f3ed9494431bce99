import { parseClusterName, type MeshEvent, type RouteOrigin, type SourcePos, type VirtualService } from '../model/index.ts';
import { sourceOf } from '../istio/index.ts';
import { ApiError } from './ApiError.ts';
import type { ExpectedRule, RouteCase, RuleSection } from './readRouteCases.ts';
import { sendOne } from './send.ts';
import type { Session } from './Session.ts';

/** What happened to one case's request, as far as routing goes (`null`: none seen). */
export interface ObservedRoute {
  host: string | null;
  subset: string | null;
  status: number;
  durationMs: number;
  /** `VirtualService/ns/name http[i] match[j]` (or its rule name; `tcp[i]`, `tls[i]` on a TCP proxy), `default`, or `no route`. */
  rule: string;
}

export interface CaseResult {
  name: string;
  at: string;
  passed: boolean;
  /** Why it failed, one line per expectation missed. */
  failures: string[];
  /** `null` when the request could not be sent (an unknown caller or host: see `failures`). */
  observed: ObservedRoute | null;
}

/** One VirtualService rule match block no case reached. */
export interface UnexercisedRule {
  resource: string;
  path: string;
  name: string | null;
  source: SourcePos | null;
}

export interface RouteTestReport {
  cases: CaseResult[];
  passed: number;
  failed: number;
  coverage: { exercised: number; total: number; percent: number; unexercised: UnexercisedRule[] };
}

/**
 * Runs route tests through the simulated mesh: each case's request leaves
 * `from` (its sidecar routes it, as in the mesh), and the rule it matched,
 * the cluster it went to and the final status are compared with the case.
 * Coverage counts the match blocks of mesh-bound VirtualService rules —
 * `http`, and `tls`/`tcp` for ports Istio proxies as TCP — (a rule without
 * `match` counts once) that any request, or any call it caused, matched.
 */
export function testRoutes(session: Session, cases: RouteCase[], options: { seed?: number } = {}): RouteTestReport {
  const exercised = new Set<string>();
  const results = cases.map((c): CaseResult => {
    let sent;
    try {
      sent = sendOne(session, { from: c.from, to: `${c.authority}${c.path}`, method: c.method, headers: c.headers, seed: options.seed, names: { from: 'from', to: 'authority' } });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      return { name: c.name, at: c.at, passed: false, failures: [error.message], observed: null };
    }
    for (const e of sent.events) {
      if (e.kind !== 'route.match') continue;
      const rule = ruleOf(e.origin);
      if (rule) exercised.add(unitKey(rule.resource, rule.section, rule.ruleIndex, rule.matchIndex));
    }
    const observed = observe(sent.events, sent.requestId, sent.status, sent.durationMs);
    const failures = compare(session, c, observed, sent.events, sent.requestId);
    return { name: c.name, at: c.at, passed: failures.length === 0, failures, observed };
  });
  const units = coverageUnits(session.scenario.virtualServices);
  const unexercised = units.filter((u) => !exercised.has(u.key)).map((u) => u.rule);
  const total = units.length;
  const covered = total - unexercised.length;
  return {
    cases: results,
    passed: results.filter((r) => r.passed).length,
    failed: results.filter((r) => !r.passed).length,
    coverage: { exercised: covered, total, percent: total === 0 ? 100 : Math.round((1000 * covered) / total) / 10, unexercised },
  };
}

function observe(events: MeshEvent[], root: number, status: number, durationMs: number): ObservedRoute {
  const mine = events.filter((e) => e.requestId === root);
  const out: ObservedRoute = { host: null, subset: null, status, durationMs, rule: 'default' };
  for (const e of mine) {
    if (e.kind === 'request.start' && out.host === null) out.host = e.host;
    if (e.kind === 'route.none') out.rule = 'no route';
    if (e.kind === 'route.match') out.rule = ruleOf(e.origin) ? e.route : 'default';
    if (e.kind === 'route.cluster') {
      const parsed = parseClusterName(e.cluster);
      if (parsed) out.host = parsed.host;
      if (parsed?.subset) out.subset = parsed.subset;
    }
  }
  return out;
}

function compare(session: Session, c: RouteCase, seen: ObservedRoute, events: MeshEvent[], root: number): string[] {
  const failures: string[] = [];
  const { host, subset, status, rule } = c.expect;
  if (host !== undefined && !sameHost(host, seen.host, session.scenario.mesh.clusterDomain)) failures.push(`expected host ${host}, got ${seen.host ?? 'none'}`);
  if (subset !== undefined) {
    const wanted = Array.isArray(subset) ? subset : [subset];
    if (!wanted.includes(seen.subset ?? '')) failures.push(`expected subset ${wanted.join(' or ')}, got ${seen.subset ?? 'no subset'}`);
  }
  if (status !== undefined && status !== seen.status) failures.push(`expected status ${status}, got ${seen.status}`);
  if (rule !== undefined && !ruleMatches(rule, events, root)) failures.push(`expected rule ${ruleText(rule)}, got ${seen.rule}`);
  return failures;
}

function ruleMatches(rule: ExpectedRule, events: MeshEvent[], root: number): boolean {
  const match = events.find((e) => e.requestId === root && e.kind === 'route.match');
  const origin = match?.kind === 'route.match' ? match.origin : undefined;
  if ('default' in rule) return origin === undefined || origin.kind === 'default';
  if ('name' in rule) return origin?.kind === 'virtualService' && origin.ruleName === rule.name;
  const seen = origin ? ruleOf(origin) : undefined;
  if (!seen) return false;
  const [kind, namespace, name] = seen.resource.split('/');
  const wanted = rule.virtualService.split('/');
  const sameVs = wanted.length === 3 ? seen.resource === rule.virtualService
    : wanted.length === 2 ? `${namespace}/${name}` === rule.virtualService
    : name === rule.virtualService && kind === 'VirtualService';
  return sameVs && seen.section === rule.section && seen.ruleIndex === rule.index && (rule.match === undefined || seen.matchIndex === rule.match);
}

/** The VirtualService rule a route came from: an `http` rule, or a `tls`/`tcp` rule of a TCP proxy; undefined for istiod's own routes. */
function ruleOf(origin: RouteOrigin): { resource: string; section: RuleSection; ruleIndex: number; matchIndex: number } | undefined {
  if (origin.kind === 'virtualService') return { resource: origin.resource, section: 'http', ruleIndex: origin.ruleIndex, matchIndex: origin.matchIndex };
  if (origin.kind === 'l4Route') return { resource: origin.resource, section: origin.section, ruleIndex: origin.ruleIndex, matchIndex: origin.matchIndex };
  return undefined;
}

function ruleText(rule: ExpectedRule): string {
  if ('default' in rule) return 'default (no VirtualService rule)';
  if ('name' in rule) return `named ${rule.name}`;
  return `${rule.virtualService} ${rule.section}[${rule.index}]${rule.match === undefined ? '' : ` match[${rule.match}]`}`;
}

/** `reviews`, `reviews.default`, `reviews.default.svc` and the FQDN all name the same host. */
function sameHost(expected: string, seen: string | null, domain: string): boolean {
  if (!seen) return false;
  const wanted = expected.toLowerCase().replace(/\.$/, '');
  return seen === wanted || seen.startsWith(`${wanted}.`) && seen.endsWith(`.svc.${domain}`);
}

function unitKey(resource: string, section: RuleSection, rule: number, match: number): string {
  return `${resource}|${section}|${rule}|${match}`;
}

/** Every match block (a rule without `match`: the rule) of the mesh-bound VirtualServices' `http`, `tls` and `tcp` rules. */
function coverageUnits(virtualServices: VirtualService[]): Array<{ key: string; rule: UnexercisedRule }> {
  return virtualServices
    .filter((vs) => (vs.spec.gateways ?? ['mesh']).includes('mesh'))
    .flatMap((vs) => {
      const resource = `VirtualService/${vs.metadata.namespace}/${vs.metadata.name}`;
      const rules = (section: RuleSection, list: ReadonlyArray<{ match?: readonly unknown[]; name?: string }>) =>
        list.flatMap((rule, i) => {
          const blocks = rule.match && rule.match.length > 0 ? rule.match.map((_, j) => j) : [0];
          return blocks.map((j) => {
            const path = rule.match && rule.match.length > 0 ? `spec.${section}[${i}].match[${j}]` : `spec.${section}[${i}]`;
            const unexercised: UnexercisedRule = { resource, path, name: rule.name ?? null, source: sourceOf(vs, path) ?? null };
            return { key: unitKey(resource, section, i, j), rule: unexercised };
          });
        });
      return [...rules('http', vs.spec.http ?? []), ...rules('tls', vs.spec.tls ?? []), ...rules('tcp', vs.spec.tcp ?? [])];
    });
}
