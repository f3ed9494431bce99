import { toMs } from '../model/index.ts';
import type { FailureMode, FailureTarget, MeshEvent, ProxyError, ResponseFlag } from '../model/index.ts';
import { proxyName } from './proxyName.ts';
import { Simulation } from '../engine/index.ts';
import { resolveServiceAddress } from '../istio/index.ts';
import { ApiError } from './ApiError.ts';
import type { Session } from './Session.ts';
import { resolveDestination, resolveWorkload } from './resolveWorkload.ts';
import type { WorkloadRef } from './resolveWorkload.ts';
import { parseTarget } from './target.ts';

export interface SendOptions {
  /** A workload, pod, app label or Service name (`resolveWorkload`), or `external`. */
  from: string;
  /** `host[:port][/path]` */
  to: string;
  method?: string;
  headers?: Record<string, string>;
  seed?: number;
  /** Pods or workloads (any name `resolveWorkload` knows) to mark failing before sending. */
  failures?: Array<{ target: string; mode: FailureMode; delay?: number }>;
  /** Send this many requests one after another (the last one is reported in full). */
  repeat?: number;
  /** An outside client presents a client certificate (a gateway server in MUTUAL mode asks for one). */
  clientCertificate?: boolean;
  /** Sees every event of the run, not only the reported request's. */
  sink?: (event: MeshEvent) => void;
  /** What the caller calls `from` and `to` in its errors (default the CLI's `--from`, `--to`; a route test case's fields are `from`, `authority`). */
  names?: { from: string; to: string };
}

export interface SendResult {
  status: number;
  flags: ResponseFlag[];
  /** A Linkerd proxy's word for a failure it made (then there are no flags). */
  error?: ProxyError;
  /** The sidecar's name: `envoy`, or `linkerd-proxy` under Linkerd. */
  proxy: string;
  durationMs: number;
  attempts: number;
  detail: string;
  requestId: number;
  /** Every event of the reported request and of the calls it caused. */
  events: MeshEvent[];
  /** One line per request when `repeat` > 1. */
  earlier: Array<{ requestId: number; status: number; flags: ResponseFlag[]; error?: ProxyError; durationMs: number; attempts: number }>;
}

/** Requests one `send` may repeat. */
export const MAX_REPEAT = 10_000;
/** Events one `send` follows (every one is kept for the report) before it stops watching. */
const MAX_SEND_EVENTS = 200_000;

/** Sends one request (or a few in a row) through a fresh mesh and returns what happened, hop by hop. */
export function sendOne(session: Session, options: SendOptions): SendResult {
  const names = options.names ?? { from: '--from', to: '--to' };
  const target = parseTarget(options.to);
  if (!target) throw new ApiError(`${names.to}: "${options.to}" is not a destination`, 'host[:port][/path], e.g. api:8080/items');
  const caller = resolveWorkload(session.scenario, options.from, { role: names.from, external: true });
  const from = caller.kind === 'external' ? options.from : caller.name;
  if (caller.kind === 'workload' && !session.scenario.pods.some((p) => p.workload === caller.name && p.namespace === caller.namespace)) {
    throw new ApiError(`${names.from}: ${caller.name} has no pods`, 'it has replicas: 0; send from a workload that runs, or external');
  }
  // An outside client may name what an ingress gateway listens for (`send --from external --to shop.example.com/`).
  const viaGateway = caller.kind === 'external' && !resolveServiceAddress(session.scenario, 'default', target.host) && session.resolve('default', target.host, target.port, true)?.ingress !== undefined;
  const host = viaGateway ? target.host : resolveDestination(session.scenario, caller.kind === 'external' ? 'default' : caller.namespace, target.host, target.port, names.to);
  const failures = (options.failures ?? []).map((f) => ({ ...f, target: failureTarget(resolveWorkload(session.scenario, f.target, { role: '--fail' })) }));
  const events: MeshEvent[] = [];
  // What each request ended with, read from the stream (request.end) like any other reader.
  const ended = new Map<number, { status: number; flags: ResponseFlag[]; error?: ProxyError; durationMs: number; attempts: number; detail: string }>();
  const sink = (e: MeshEvent): void => {
    events.push(e);
    if (e.kind === 'request.end') ended.set(e.requestId, { status: e.status, flags: e.flags, ...(e.error ? { error: e.error } : {}), durationMs: toMs(e.duration), attempts: e.attempts, detail: e.detail });
    options.sink?.(e);
  };
  const sim = new Simulation({ scenario: session.scenario, xds: session.xds, resolve: session.resolve, seed: options.seed, sink });
  for (const f of failures) sim.fail(f.target, f.mode, f.delay);
  const repeat = Math.max(1, options.repeat ?? 1);
  if (repeat > MAX_REPEAT) throw new ApiError(`--repeat ${repeat} is more than one send follows`, `send at most ${MAX_REPEAT}, or run traffic with simulate`);
  const earlier: SendResult['earlier'] = [];
  let last = 0;
  let firstEvent = 0;
  for (let i = 0; i < repeat; i++) {
    firstEvent = events.length;
    last = sim.send({ from, host, port: target.port, path: target.path, method: options.method, headers: options.headers, ...(options.clientCertificate ? { clientCertificate: true } : {}) });
    // A hanging request without timeouts never ends; ten virtual minutes is where we stop watching.
    const limit = sim.now + 600_000_000;
    while (!ended.has(last) && sim.now <= limit && sim.eventCount < MAX_SEND_EVENTS && sim.step()) {
      /* run */
    }
    // Let what the request set off (shadow copies, abandoned calls) finish, for a minute of virtual time at most.
    sim.runUntilIdle(sim.now + 60_000_000, MAX_SEND_EVENTS);
    if (sim.eventCount >= MAX_SEND_EVENTS) break;
    const r = ended.get(last);
    if (r) earlier.push({ requestId: last, status: r.status, flags: r.flags, ...(r.error ? { error: r.error } : {}), durationMs: r.durationMs, attempts: r.attempts });
  }
  const result = ended.get(last);
  const mine = relatedEvents(events.slice(firstEvent), last);
  return {
    status: result?.status ?? 0,
    flags: result?.flags ?? [],
    ...(result?.error ? { error: result.error } : {}),
    proxy: proxyName(session.scenario.simulation.flavor),
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

function failureTarget(ref: WorkloadRef): FailureTarget {
  return ref.kind === 'pod' ? { pod: ref.name } : { workload: ref.name };
}
