import { EXTERNAL } from '../../model/index.ts';
import type { MeshXds, Micros, SimulationSpec, TrafficSpec } from '../../model/index.ts';
import { shortHost } from '../describe.ts';
import type { Session } from '../Session.ts';
import type { CallStats, FoldedRequest } from './CallFold.ts';
import { probeTraffic } from './probeTraffic.ts';
import { runFolded } from './runFolded.ts';
import { callView } from './callView.ts';
import type { CallView } from './callView.ts';
import { describePushOrder, planRollout } from './planRollout.ts';
import type { PushOrder } from './planRollout.ts';
import { transientChanges } from './transientChanges.ts';
import type { RolloutWindow } from './transientChanges.ts';
import { runRollout } from './runRollout.ts';

/**
 * How bad a changed row is, worst first: a call that worked fails; mTLS lost
 * or a new denial; another subset or share; other answers; a call that
 * failed works; latency alone; another rule with the same outcome.
 */
export const SEVERITIES = ['breaks', 'security', 'routing', 'answers', 'fixes', 'latency', 'rule'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface DiffChange {
  /** `rollout`: what the call got while the change was on its way to the proxies (`window`), against its steady answers before. */
  field: 'route' | 'answers' | 'ok' | 'subsets' | 'mtls' | 'authz' | 'p50Ms' | 'p99Ms' | 'requests' | 'rollout';
  before: string;
  after: string;
  window?: RolloutWindow;
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
  /** Rows where a call that succeeded fails (`breaks`): after the change, or while it rolls out. */
  regressions: number;
  /** AFTER applied onto a running BEFORE, push by push; null when AFTER changes no document. */
  rollout: RolloutReport | null;
  /** Traffic one config cannot send (its source has no pod there, or its host resolves to nothing there): left out of that side's run, its calls count no requests there. */
  notSent: { before: NotSent[]; after: NotSent[] };
}

/** A traffic entry left out of one side's run, and why. */
export interface NotSent {
  traffic: string;
  reason: string;
}

/** How the change was rolled out onto the running BEFORE mesh, and what it cost on the way. */
export interface RolloutReport {
  /** `one push per document, in file order`, … */
  order: string;
  /** When the first documents were applied (virtual time), the time between one push and the next, and istiod's push delay. */
  applyAtMs: number;
  gapMs: number;
  pushDelayMs: number;
  /** Each push: its documents, when they were applied and reached the proxies (ms after `applyAtMs`; null: never), or why the live mesh refused them. */
  pushes: Array<{ documents: string; appliedMs: number; arrivedMs: number | null; refused?: string }>;
  /** States between two pushes in which no request started: windows the traffic did not sample. */
  unobserved: number;
  /** Rows where a call that worked failed while the change rolled out (also counted in `regressions`). */
  breaks: number;
}

export interface DiffOptions {
  /** The traffic to send both ways (`--traffic FILE`'s Simulation); default: BEFORE's Simulation, or probes when it has no traffic. */
  simulation?: SimulationSpec;
  seed?: number;
  /** How AFTER is rolled out onto a running BEFORE (`DEFAULT_ROLLOUT` for what is not given). */
  rollout?: Partial<RolloutOptions>;
}

export interface RolloutOptions {
  order: PushOrder;
  /** Time between one push and the next. */
  gap: Micros;
  /** When the first push's documents are applied; default one second after the traffic starts. */
  applyAt?: Micros;
}

/**
 * The default rollout: one push per document, in the order AFTER's files
 * hold them, 100 ms apart. Why: `kubectl apply -f` writes one object after
 * another, and nothing makes them reach the proxies together (Istio's
 * traffic-management best practices: applying a VirtualService and its
 * DestinationRule in one command is not enough, the configuration is
 * eventually consistent). istiod waits for 100 ms without a change before
 * it pushes (PILOT_DEBOUNCE_AFTER), so changes that do arrive apart are
 * pushed at least that far apart: the shortest window a split push leaves.
 */
export const DEFAULT_ROLLOUT: RolloutOptions = { order: { kind: 'file' }, gap: 100_000 };

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
  const rollout = { ...DEFAULT_ROLLOUT, ...options.rollout };
  // A gap of zero is one push: nothing can happen between pushes that land together.
  const steps = planRollout(before.files, after.files, rollout.gap === 0 ? { kind: 'together' } : rollout.order);
  const applyAt = rollout.applyAt ?? Math.min(...(base.traffic.length ? base.traffic.map((t) => t.start) : [0])) + 1_000_000;
  const pushDelay = before.scenario.simulation.controlPlane.pushDelay;
  // Probes go on for a second after the last push has landed (100 requests at least), so every state of the rollout is sampled.
  const lastArrival = applyAt + Math.max(0, steps.length - 1) * rollout.gap + pushDelay;
  const requests = Math.max(100, Math.ceil((20 * (lastArrival + 1_000_000)) / 1_000_000));
  const simulation: SimulationSpec = probing ? { ...base, traffic: unionByName([...probeTraffic(before.scenario, before.xds, { routes: true, requests }), ...probeTraffic(after.scenario, after.xds, { routes: true, requests })]) } : base;
  const matched = new Set([...matchedHeaders(before.xds), ...matchedHeaders(after.xds)]);
  const keyOf = (r: FoldedRequest): string => `${r.source}\u0000${shortHost(r.host)}:${r.port}\u0000${requestText(r, matched)}`;
  const sides = { before: sendableOn(before, simulation), after: sendableOn(after, simulation) };
  const was = runFolded(before, sides.before.simulation, keyOf, options.seed).rows;
  const now = runFolded(after, sides.after.simulation, keyOf, options.seed).rows;
  const rows: DiffRow[] = [];
  let unchanged = 0;
  for (const key of new Set([...was.keys(), ...now.keys()])) {
    const [source = '', service = '', request = ''] = key.split('\u0000');
    const row = compareRow(source, service, request, was.get(key)?.stats, now.get(key)?.stats);
    if (row) rows.push(row);
    else unchanged += 1;
  }
  let report: RolloutReport | null = null;
  if (steps.length > 0) {
    const run = runRollout(before, sides.before.simulation, steps, keyOf, { applyAt, gap: rollout.gap, drain: 30_000_000, seed: options.seed });
    const transient = transientChanges(run, was, now, applyAt);
    for (const [key, changes] of transient.byKey) {
      const existing = rows.find((r) => `${r.source}\u0000${r.service}\u0000${r.request}` === key);
      if (existing) {
        existing.severity = 'breaks';
        existing.changes.push(...changes);
        continue;
      }
      const [source = '', service = '', request = ''] = key.split('\u0000');
      const b = was.get(key)?.stats;
      const a = now.get(key)?.stats;
      rows.push({ severity: 'breaks', source, service, request, changes, before: b ? callView(b) : null, after: a ? callView(a) : null });
      unchanged -= 1;
    }
    const ms = (t: Micros): number => (t - applyAt) / 1000;
    report = {
      order: describePushOrder(steps.length === 1 ? { kind: 'together' } : rollout.order),
      applyAtMs: applyAt / 1000,
      gapMs: rollout.gap / 1000,
      pushDelayMs: pushDelay / 1000,
      pushes: run.pushes.map((p) => ({ documents: p.label, appliedMs: ms(p.appliedAt), arrivedMs: p.arrivedAt === undefined ? null : ms(p.arrivedAt), ...(p.refused ? { refused: p.refused } : {}) })),
      unobserved: transient.unobserved,
      breaks: transient.byKey.size,
    };
  }
  rows.sort((x, y) => SEVERITIES.indexOf(x.severity) - SEVERITIES.indexOf(y.severity) || `${x.source}|${x.service}|${x.request}`.localeCompare(`${y.source}|${y.service}|${y.request}`));
  const total = (m: typeof was): number => [...m.values()].reduce((n, r) => n + r.stats.requests, 0);
  return {
    traffic: probing ? 'probes' : 'simulation',
    requests: { before: total(was), after: total(now) },
    rows,
    unchanged,
    regressions: rows.filter((r) => r.severity === 'breaks').length,
    rollout: report,
    notSent: { before: sides.before.notSent, after: sides.after.notSent },
  };
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

/**
 * The traffic a config can send: from a pod it has (or from outside) to a
 * host that resolves there, as `simulate` checks before it runs (MV0200,
 * MV0201). The rest is left out of that side's run, with why: the Service
 * is new in AFTER, or AFTER removes it or the caller.
 */
function sendableOn(session: Session, simulation: SimulationSpec): { simulation: SimulationSpec; notSent: NotSent[] } {
  const notSent: NotSent[] = [];
  const traffic = simulation.traffic.filter((t) => {
    const reason = whyNotSent(session, t);
    if (reason !== undefined) notSent.push({ traffic: t.name, reason });
    return reason === undefined;
  });
  return { simulation: notSent.length === 0 ? simulation : { ...simulation, traffic }, notSent };
}

function whyNotSent(session: Session, t: TrafficSpec): string | undefined {
  const where = t.port === undefined ? t.host : `${t.host}:${t.port}`;
  if (t.from === EXTERNAL) return session.resolve('default', t.host, t.port, true) ? undefined : `${where} resolves to nothing from outside the cluster`;
  const pod = session.scenario.pods.find((p) => p.workload === t.from || p.name === t.from);
  if (!pod) return `${t.from} has no pod`;
  return session.resolve(pod.namespace, t.host, t.port) ? undefined : `${where} resolves to no Service from namespace ${pod.namespace}`;
}
