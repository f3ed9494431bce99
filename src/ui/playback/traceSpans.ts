import type { MeshEvent, Micros } from '../../model/index.ts';
import type { Track } from './Track.ts';

export type SpanKind = 'request' | 'client' | 'server' | 'backoff';

/** One row of the waterfall: a span (or a back-off gap) of the featured request, times from the request's start. */
export interface SpanRow {
  key: string;
  /** 0 for the request sent, 1 for a call its app made, … */
  depth: number;
  kind: SpanKind;
  /** `users:8080/users/1`, `back-off before retry 1`. */
  label: string;
  /** The pod whose app or sidecar it happened in. */
  pod: string;
  attempt: number;
  start: Micros;
  /** Undefined while the span is still open at the time shown. */
  end: Micros | undefined;
  /** The answer, with its response flags (`503 URX`), once there is one. */
  outcome?: string;
  /** Answered 5xx, or not at all. */
  failed: boolean;
}

export interface Trace {
  /** Virtual time the request started at. */
  start: Micros;
  /** The time shown (the picture's), from the start. */
  until: Micros;
  rows: SpanRow[];
}

type At = { event: MeshEvent };

/**
 * The featured request and its calls as a trace waterfall, as far as the
 * picture has got (τ): per request, the caller's view (request.start to
 * request.end), and per attempt its client span at the caller's sidecar and
 * its server span at the callee's sidecar, with the back-off waited between
 * attempts; the span that failed carries its status and Envoy's flags. Child
 * calls follow their parent, one level deeper.
 */
export function traceSpans(tracks: readonly Track[], tau: number): Trace | undefined {
  const root = tracks.find((t) => t.parentId === undefined) ?? tracks[0];
  const first = root?.events[0]?.event;
  if (!root || !first) return undefined;
  const start = first.t;
  const depth = new Map<number, number>();
  for (const t of tracks) depth.set(t.id, t.parentId === undefined ? 0 : (depth.get(t.parentId) ?? 0) + 1);
  const shown = (t: Track): At[] => t.events.filter((e) => e.tau <= tau + 1e-6);
  const reached = tracks.flatMap((t) => shown(t).map((e) => e.event.t));
  const rows: SpanRow[] = [];
  for (const track of tracks) {
    const events = shown(track).map((e) => e.event);
    if (events.length === 0) continue;
    rows.push(...requestRows(track.id, depth.get(track.id) ?? 0, events, start));
  }
  return { start, until: Math.max(0, ...reached) - start, rows };
}

function requestRows(id: number, depth: number, events: MeshEvent[], t0: Micros): SpanRow[] {
  const begin = events.find((e) => e.kind === 'request.start');
  if (!begin || begin.kind !== 'request.start') return [];
  const end = events.find((e) => e.kind === 'request.end');
  const target = `${begin.host.split('.')[0]}:${begin.port}${begin.path}`;
  const rows: SpanRow[] = [
    {
      key: `${id}`,
      depth,
      kind: 'request',
      label: `${begin.method} ${target}`,
      pod: begin.fromPod,
      attempt: 0,
      start: begin.t - t0,
      end: end ? end.t - t0 : undefined,
      ...(end?.kind === 'request.end' ? { outcome: answer(end.status, end.flags), failed: failedStatus(end.status) } : { failed: false }),
    },
  ];
  const attempts = [...new Set(events.map((e) => e.attempt).filter((a) => a > 0))];
  for (const n of attempts) {
    const mine = events.filter((e) => e.attempt === n);
    const atSidecar = mine.filter((e) => e.where.kind === 'sidecar' && e.where.pod === begin.fromPod);
    const result = mine.find((e) => e.kind === 'attempt.result' || e.kind === 'attempt.timeout');
    // The client span: only a caller with a sidecar has one.
    if (begin.viaSidecar && atSidecar[0]) {
      const closed = result ?? (n === attempts.at(-1) ? end : undefined);
      const outcome = result?.kind === 'attempt.result' ? answer(result.status, result.flags) : result?.kind === 'attempt.timeout' ? 'per-try timeout (UT)' : end?.kind === 'request.end' && closed === end ? answer(end.status, end.flags) : undefined;
      const status = result?.kind === 'attempt.result' ? result.status : end?.kind === 'request.end' && closed === end ? end.status : result ? 0 : undefined;
      rows.push({ key: `${id}:c${n}`, depth, kind: 'client', label: `client · attempt ${n}`, pod: begin.fromPod, attempt: n, start: (atSidecar[0] as MeshEvent).t - t0, end: closed ? closed.t - t0 : undefined, ...(outcome ? { outcome } : {}), failed: status !== undefined && failedStatus(status) });
    }
    const arrive = mine.find((e) => e.kind === 'hop.arrive');
    if (arrive?.kind === 'hop.arrive') {
      const done = mine.find((e) => e.kind === 'inbound.complete' && e.pod === arrive.pod);
      const status = done?.kind === 'inbound.complete' ? done.status : undefined;
      rows.push({ key: `${id}:s${n}`, depth, kind: 'server', label: `server · attempt ${n}`, pod: arrive.pod, attempt: n, start: arrive.t - t0, end: done ? done.t - t0 : undefined, ...(status !== undefined ? { outcome: String(status) } : {}), failed: status !== undefined && failedStatus(status) });
    }
    const backoff = mine.find((e) => e.kind === 'retry.backoff');
    if (backoff?.kind === 'retry.backoff') {
      rows.push({ key: `${id}:b${n}`, depth, kind: 'backoff', label: `back-off before retry ${backoff.retry}`, pod: begin.fromPod, attempt: n, start: backoff.t - t0, end: backoff.t + backoff.delay - t0, failed: false });
    }
  }
  return rows;
}

function answer(status: number, flags: readonly string[]): string {
  return `${status === 0 ? 'no response' : status}${flags.length ? ` ${flags.join(',')}` : ''}`;
}

function failedStatus(status: number): boolean {
  return status === 0 || status >= 500;
}
