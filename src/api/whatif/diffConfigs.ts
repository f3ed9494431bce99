import type { MeshXds, SimulationSpec } from '../../model/index.ts';
import { shortHost } from '../describe.ts';
import type { Session } from '../Session.ts';
import type { CallStats, FoldedRequest } from './CallFold.ts';
import { probeTraffic } from './probeTraffic.ts';
import { runFolded } from './runFolded.ts';
import { callView } from './callView.ts';
import type { CallView } from './callView.ts';

/**
 * How bad a changed row is, worst first: a call that worked fails; mTLS lost
 * or a new denial; another subset or share; other answers; a call that
 * failed works; latency alone; another rule with the same outcome.
 */
export const SEVERITIES = ['breaks', 'security', 'routing', 'answers', 'fixes', 'latency', 'rule'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface DiffChange {
  field: 'route' | 'answers' | 'ok' | 'subsets' | 'mtls' | 'authz' | 'p50Ms' | 'p99Ms' | 'requests';
  before: string;
  after: string;
}

/** One kind of call (source workload, destination service, the request as sent: the route match it meets) whose behaviour changed. */
export interface DiffRow {
  severity: Severity;
  source: string;
  service: string;
  /** `GET /reviews/0`, with the headers some route matches on (`end-user=jason`). */
  request: string;
  changes: DiffChange[];
  before: CallView | null;
  after: CallView | null;
}

export interface DiffReport {
  /** `simulation`: the Simulation's traffic and timeline; `probes`: generated (every source → service port and route match). */
  traffic: 'simulation' | 'probes';
  requests: { before: number; after: number };
  rows: DiffRow[];
  /** Rows compared and found the same. */
  unchanged: number;
  /** Rows where a call that succeeded now fails (`breaks`). */
  regressions: number;
}

export interface DiffOptions {
  /** The traffic to send both ways (`--traffic FILE`'s Simulation); default: BEFORE's Simulation, or probes when it has no traffic. */
  simulation?: SimulationSpec;
  seed?: number;
}

/**
 * Sends the same traffic through two configs and reports what changed per
 * (source workload, destination service, route match), most severe first:
 * the subsets picked and their shares, the answers (status and flags), mTLS
 * on the wire, the callee's authorization verdict, p50/p99 and the share of
 * usable (1xx–3xx) answers. Both runs use BEFORE's app behaviour, timeline
 * and seed, so what differs is the config.
 */
export function diffConfigs(before: Session, after: Session, options: DiffOptions = {}): DiffReport {
  const base = options.simulation ?? before.scenario.simulation;
  const probing = base.traffic.length === 0;
  const simulation: SimulationSpec = probing ? { ...base, traffic: unionByName([...probeTraffic(before.scenario, before.xds, { routes: true }), ...probeTraffic(after.scenario, after.xds, { routes: true })]) } : base;
  const matched = new Set([...matchedHeaders(before.xds), ...matchedHeaders(after.xds)]);
  const keyOf = (r: FoldedRequest): string => `${r.source}\u0000${shortHost(r.host)}:${r.port}\u0000${requestText(r, matched)}`;
  const was = runFolded(before, simulation, keyOf, options.seed).rows;
  const now = runFolded(after, simulation, keyOf, options.seed).rows;
  const rows: DiffRow[] = [];
  let unchanged = 0;
  for (const key of new Set([...was.keys(), ...now.keys()])) {
    const [source = '', service = '', request = ''] = key.split('\u0000');
    const row = compareRow(source, service, request, was.get(key)?.stats, now.get(key)?.stats);
    if (row) rows.push(row);
    else unchanged += 1;
  }
  rows.sort((x, y) => SEVERITIES.indexOf(x.severity) - SEVERITIES.indexOf(y.severity) || `${x.source}|${x.service}|${x.request}`.localeCompare(`${y.source}|${y.service}|${y.request}`));
  const total = (m: typeof was): number => [...m.values()].reduce((n, r) => n + r.stats.requests, 0);
  return { traffic: probing ? 'probes' : 'simulation', requests: { before: total(was), after: total(now) }, rows, unchanged, regressions: rows.filter((r) => r.severity === 'breaks').length };
}

/** Shares closer than this (fractions) are the same: the draws of two runs move a little when the routing moves. */
const SHARE_TOLERANCE = 0.01;

function compareRow(source: string, service: string, request: string, b: CallStats | undefined, a: CallStats | undefined): DiffRow | undefined {
  const before = b ? callView(b) : null;
  const after = a ? callView(a) : null;
  const changes: DiffChange[] = [];
  const add = (field: DiffChange['field'], x: string, y: string): void => {
    changes.push({ field, before: x, after: y });
  };
  if (!b || !a || !before || !after) {
    add('requests', before ? `${before.requests}` : 'none', after ? `${after.requests}` : 'none');
    const severity: Severity = !a ? 'routing' : after && after.okPercent < 100 ? 'breaks' : 'routing';
    return { severity, source, service, request, changes, before, after };
  }
  if (before.route !== after.route) add('route', before.route, after.route);
  if (sharesDiffer(b.answers, b.requests, a.answers, a.requests, (answer) => !/^[123]\d\d( |$)/.test(answer))) add('answers', before.answers, after.answers);
  if (Math.abs(before.okPercent - after.okPercent) >= 100 * SHARE_TOLERANCE / 2) add('ok', `${before.okPercent} %`, `${after.okPercent} %`);
  if (sharesDiffer(b.subsets, b.requests, a.subsets, a.requests, () => true)) add('subsets', before.subsets, after.subsets);
  if (before.mtls !== after.mtls) add('mtls', before.mtls, after.mtls);
  if (before.authz !== after.authz) add('authz', before.authz, after.authz);
  for (const field of ['p50Ms', 'p99Ms'] as const) {
    const x = before[field];
    const y = after[field];
    if (Math.abs(x - y) >= 1 && Math.abs(x - y) >= 0.1 * Math.max(x, y)) add(field, `${x}ms`, `${y}ms`);
  }
  if (changes.length === 0) return undefined;
  return { severity: severityOf(before, after, changes), source, service, request, changes, before, after };
}

function severityOf(before: CallView, after: CallView, changes: DiffChange[]): Severity {
  const fields = new Set(changes.map((c) => c.field));
  if (after.okPercent <= before.okPercent - 100 * SHARE_TOLERANCE / 2) return 'breaks';
  if ((fields.has('mtls') && after.plaintextPercent > before.plaintextPercent) || (fields.has('authz') && after.deniedPercent > before.deniedPercent)) return 'security';
  if (fields.has('subsets')) return 'routing';
  if (after.okPercent > before.okPercent) return 'fixes';
  if (fields.has('answers') || fields.has('mtls') || fields.has('authz') || fields.has('ok')) return 'answers';
  return fields.has('p50Ms') || fields.has('p99Ms') ? 'latency' : 'rule';
}

/** Whether a share moved by the tolerance or more, or a key that matters (a failing answer, any subset) came or went. */
function sharesDiffer(x: Map<string, number>, nx: number, y: Map<string, number>, ny: number, matters: (key: string) => boolean): boolean {
  for (const key of new Set([...x.keys(), ...y.keys()])) {
    if (Math.abs((x.get(key) ?? 0) / nx - (y.get(key) ?? 0) / ny) >= SHARE_TOLERANCE) return true;
    if (x.has(key) !== y.has(key) && matters(key)) return true;
  }
  return false;
}

/** The request as its caller sent it: method, path, and the headers some route matches on. */
function requestText(r: FoldedRequest, matched: ReadonlySet<string>): string {
  const headers = Object.entries(r.headers).filter(([name]) => matched.has(name.toLowerCase())).map(([name, value]) => `${name}=${value}`).sort();
  return [r.method, r.path, ...headers].join(' ');
}

/** Header names any route of any sidecar matches on. */
function matchedHeaders(xds: MeshXds): Set<string> {
  const names = new Set<string>();
  for (const proxy of Object.values(xds.proxies)) for (const vh of Object.values(proxy.virtualHosts)) for (const route of vh.routes) for (const h of route.match.headers) if (!h.name.startsWith(':')) names.add(h.name);
  return names;
}

function unionByName<T extends { name: string }>(items: T[]): T[] {
  const byName = new Map<string, T>();
  for (const item of items) if (!byName.has(item.name)) byName.set(item.name, item);
  return [...byName.values()];
}
