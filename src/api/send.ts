import { EXTERNAL, toMs } from '../model/index.ts';
import type { FailureMode, MeshEvent, ResponseFlag } from '../model/index.ts';
import { Simulation } from '../engine/index.ts';
import { ApiError } from './ApiError.ts';
import type { Session } from './Session.ts';
import { parseTarget } from './target.ts';

export interface SendOptions {
  from: string;
  /** `host[:port][/path]` */
  to: string;
  method?: string;
  headers?: Record<string, string>;
  seed?: number;
  /** Pods or workloads to mark failing before sending. */
  failures?: Array<{ target: string; mode: FailureMode; delay?: number }>;
  /** Send this many requests one after another (the last one is reported in full). */
  repeat?: number;
  /** Sees every event of the run, not only the reported request's. */
  sink?: (event: MeshEvent) => void;
}

export interface SendResult {
  status: number;
  flags: ResponseFlag[];
  durationMs: number;
  attempts: number;
  detail: string;
  requestId: number;
  /** Every event of the reported request and of the calls it caused. */
  events: MeshEvent[];
  /** One line per request when `repeat` > 1. */
  earlier: Array<{ requestId: number; status: number; flags: ResponseFlag[]; durationMs: number; attempts: number }>;
}

/** Requests one `send` may repeat. */
export const MAX_REPEAT = 10_000;
/** Events one `send` follows (every one is kept for the report) before it stops watching. */
const MAX_SEND_EVENTS = 200_000;

/** Sends one request (or a few in a row) through a fresh mesh and returns what happened, hop by hop. */
export function sendOne(session: Session, options: SendOptions): SendResult {
  const target = parseTarget(options.to);
  if (!target) throw new ApiError(`--to must look like host[:port][/path], got "${options.to}"`);
  checkCaller(session, options.from);
  const events: MeshEvent[] = [];
  // What each request ended with, read from the stream (request.end) like any other reader.
  const ended = new Map<number, { status: number; flags: ResponseFlag[]; durationMs: number; attempts: number; detail: string }>();
  const sink = (e: MeshEvent): void => {
    events.push(e);
    if (e.kind === 'request.end') ended.set(e.requestId, { status: e.status, flags: e.flags, durationMs: toMs(e.duration), attempts: e.attempts, detail: e.detail });
    options.sink?.(e);
  };
  const sim = new Simulation({ scenario: session.scenario, xds: session.xds, resolve: session.resolve, seed: options.seed, sink });
  for (const f of options.failures ?? []) {
    const pods = sim.fail(failureTarget(session, f.target), f.mode, f.delay);
    if (pods.length === 0) throw new ApiError(`--fail: no workload or pod named "${f.target}"`);
  }
  const fromNs = namespaceOf(session, options.from);
  if (!session.resolve(fromNs, target.host, target.port)) {
    throw new ApiError(`--to: no service "${target.host}"${target.port ? ` with port ${target.port}` : ''} reachable from namespace ${fromNs}`);
  }
  const repeat = Math.max(1, options.repeat ?? 1);
  if (repeat > MAX_REPEAT) throw new ApiError(`--repeat must be at most ${MAX_REPEAT}, got ${repeat}`);
  const earlier: SendResult['earlier'] = [];
  let last = 0;
  let firstEvent = 0;
  for (let i = 0; i < repeat; i++) {
    firstEvent = events.length;
    last = sim.send({ from: options.from, host: target.host, port: target.port, path: target.path, method: options.method, headers: options.headers });
    // A hanging request without timeouts never ends; ten virtual minutes is where we stop watching.
    const limit = sim.now + 600_000_000;
    while (!ended.has(last) && sim.now <= limit && sim.eventCount < MAX_SEND_EVENTS && sim.step()) {
      /* run */
    }
    // Let what the request set off (shadow copies, abandoned calls) finish, for a minute of virtual time at most.
    sim.runUntilIdle(sim.now + 60_000_000, MAX_SEND_EVENTS);
    if (sim.eventCount >= MAX_SEND_EVENTS) break;
    const r = ended.get(last);
    if (r) earlier.push({ requestId: last, status: r.status, flags: r.flags, durationMs: r.durationMs, attempts: r.attempts });
  }
  const result = ended.get(last);
  const mine = relatedEvents(events.slice(firstEvent), last);
  return {
    status: result?.status ?? 0,
    flags: result?.flags ?? [],
    durationMs: result?.durationMs ?? toMs(sim.now),
    attempts: result?.attempts ?? 0,
    detail: result?.detail ?? (sim.eventCount >= MAX_SEND_EVENTS
      ? `no response: stopped watching after ${MAX_SEND_EVENTS.toLocaleString('en-US')} events, more than one request should set off`
      : 'no response: still waiting after 10 minutes of virtual time'),
    requestId: last,
    events: mine,
    earlier: repeat > 1 ? earlier : [],
  };
}

/** The request's own events, its children's (calls its handling caused), and mesh-wide ones in between. */
function relatedEvents(events: MeshEvent[], root: number): MeshEvent[] {
  const family = new Set([root, 0]);
  for (const e of events) if (e.kind === 'request.start' && e.origin.kind !== 'traffic' && family.has(e.origin.parentId)) family.add(e.requestId);
  return events.filter((e) => family.has(e.requestId));
}

function checkCaller(session: Session, from: string): void {
  if (from === EXTERNAL) return;
  const known = session.scenario.pods.some((p) => p.workload === from || p.name === from);
  if (!known) {
    const names = [...new Set(session.scenario.pods.map((p) => p.workload))].sort().join(', ');
    throw new ApiError(`--from: no workload or pod named "${from}" (workloads: ${names}, or external)`);
  }
}

function namespaceOf(session: Session, from: string): string {
  return session.scenario.pods.find((p) => p.workload === from || p.name === from)?.namespace ?? 'default';
}

function failureTarget(session: Session, name: string) {
  return session.scenario.pods.some((p) => p.name === name) ? { pod: name } : { workload: name };
}
