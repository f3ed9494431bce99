import { describeEvent } from '../../api/index.ts';
import { formatDuration, waypointName } from '../../model/index.ts';
import type { MeshEvent, MeshEventKind, Micros, Where } from '../../model/index.ts';
import { isErrorEvent } from './phaseOf.ts';
import type { Track } from './Track.ts';

export type Tone = 'info' | 'ok' | 'warn' | 'error';

export interface LogLine {
  key: string;
  requestId: number;
  /** 0 for the request sent, 1 for a call its app made, … */
  depth: number;
  /** Virtual time since the request was sent. */
  offset: Micros;
  who: string;
  text: string;
  kind: MeshEventKind;
  tone: Tone;
  /** The line the picture is at. */
  current: boolean;
}

export interface LogSummary {
  request: string;
  /** What the calling app got back, once it has. */
  appSaw?: string;
  /** What its sidecar did on the way: attempts, back-offs, ejections, fail-fast. */
  sidecarDid: string[];
  /** The caller has a sidecar (an outside client or a pod outside the mesh has none). */
  viaSidecar: boolean;
  /** Where a callee's sidecar stopped it, and why (PeerAuthentication STRICT, AuthorizationPolicy). */
  stopped?: string;
}

/**
 * The featured request and its calls as plain-words lines, up to display
 * time τ (stepping back hides what has not happened yet), with a summary of
 * what the app saw against what its sidecar did. Only the last `maxLines`
 * lines are put in words (a request that fans out can have hundreds of
 * events); `hidden` counts the earlier ones.
 */
export function eventLog(tracks: readonly Track[], tau: number, nameOf: (pod: string) => string = (pod) => pod, maxLines = Infinity, proxy = 'envoy'): { lines: LogLine[]; hidden: number; summary?: LogSummary } {
  const root = tracks.find((t) => t.parentId === undefined) ?? tracks[0];
  if (!root) return { lines: [], hidden: 0 };
  const depth = new Map<number, number>();
  for (const t of tracks) depth.set(t.id, t.parentId === undefined ? 0 : (depth.get(t.parentId) ?? 0) + 1);
  const start = root.events[0]?.event.t ?? 0;
  const entries = tracks
    .flatMap((t) => t.events.map((e) => ({ ...e, track: t })))
    .filter((e) => e.tau <= tau + 1e-6)
    .sort((a, b) => a.tau - b.tau || a.seq - b.seq);
  const hidden = Math.max(0, entries.length - maxLines);
  const lines = entries.slice(hidden).map(({ event, track, seq }, i): LogLine => ({
    key: `${track.id}:${seq}:${hidden + i}`,
    requestId: track.id,
    depth: depth.get(track.id) ?? 0,
    offset: event.t - start,
    who: whoOf(event.where, nameOf, proxy),
    text: describeEvent(event, proxy),
    kind: event.kind,
    tone: toneOf(event),
    current: false,
  }));
  const last = lines[lines.length - 1];
  if (last) last.current = true;
  const shown = new Set(entries.map((e) => e.event));
  return { lines, hidden, summary: summaryOf(root.events.map((e) => e.event).filter((e) => shown.has(e)), nameOf, proxy === 'linkerd-proxy' ? LINKERD : ENVOY) };
}

/** What a sidecar's refusals are called: Envoy's flags, or Linkerd's words (§10). */
interface Words {
  failFast: string;
  overflow: (limit: string) => string;
  noRoute: string;
  denied: string;
}

const ENVOY: Words = {
  failFast: 'failed fast: no healthy endpoint, nothing sent (UH)',
  overflow: (limit) => `circuit breaker ${limit} full: nothing sent (UO)`,
  noRoute: 'no route matched (NR)',
  denied: '403 RBAC: access denied',
};

const LINKERD: Words = {
  failFast: 'failed fast: no endpoint available, nothing sent (FAIL_FAST)',
  overflow: () => 'queue full: nothing sent (LOAD_SHED)',
  noRoute: 'no HTTPRoute rule matched (404)',
  denied: '403 Forbidden',
};

function summaryOf(events: MeshEvent[], nameOf: (pod: string) => string, words: Words): LogSummary | undefined {
  const start = events.find((e) => e.kind === 'request.start');
  if (!start || start.kind !== 'request.start') return undefined;
  const request = `${start.method} ${start.host.replace(/\.svc\.cluster\.local$/, '')}:${start.port}${start.path} from ${start.fromWorkload}`;
  const sidecarDid: string[] = [];
  let appSaw: string | undefined;
  let stopped: string | undefined;
  for (const e of events) {
    switch (e.kind) {
      case 'mtls.reject':
        stopped ??= `${nameOf(e.pod)}'s sidecar reset the connection: plaintext is refused under PeerAuthentication ${e.mode}`;
        break;
      case 'authz.deny':
        stopped ??= `${nameOf(e.pod)}'s sidecar denied it: ${e.reason}; ${e.tcp ? 'it closed the connection (a TCP port: no HTTP to answer with)' : `it answered ${words.denied}`}, and the app never saw the request`;
        break;
      case 'attempt.result':
        sidecarDid.push(`attempt ${e.attempt} → ${e.endpoint}: ${e.status}${e.flags.length ? ` ${e.flags.join(',')}` : ''}`);
        break;
      case 'retry.backoff':
        sidecarDid.push(`waited ${formatDuration(e.delay)} before retry ${e.retry}`);
        break;
      case 'outlier.eject':
        sidecarDid.push(`ejected ${e.endpoint} (ejection #${e.ejections})`);
        break;
      case 'accrual.unavailable':
        sidecarDid.push(`made ${e.endpoint} unavailable for ${formatDuration(e.duration)} (failure accrual, back-off #${e.penalty})`);
        break;
      case 'accrual.probe':
        sidecarDid.push(`sent the one probe request to ${e.endpoint} (probation)`);
        break;
      case 'queue.wait':
        sidecarDid.push(`no endpoint yet: waited in the backend's queue (FAIL_FAST for all waiting if none by ${formatDuration(e.failFastAt)})`);
        break;
      case 'queue.gateShut':
        sidecarDid.push(`passed over ${e.cluster}: ${e.reason === 'failFast' ? 'in fail-fast, its gate shut' : 'its queue full'}`);
        break;
      case 'retry.budget':
        sidecarDid.push('wanted a retry, but the retry budget was spent');
        break;
      case 'lb.noHealthy':
        sidecarDid.push(words.failFast);
        break;
      case 'pool.overflow':
        sidecarDid.push(words.overflow(e.limit));
        break;
      case 'route.none':
        sidecarDid.push(words.noRoute);
        break;
      case 'fault.delay':
        sidecarDid.push(`fault injection: held the request ${formatDuration(e.delay)} (DI)`);
        break;
      case 'fault.abort':
        sidecarDid.push(`fault injection: answered ${e.status} itself (FI)`);
        break;
      case 'mirror.send':
        sidecarDid.push(`mirrored a copy to ${e.cluster} (its answer is ignored)`);
        break;
      case 'request.end':
        appSaw = `${e.status === 0 ? 'no response (reset)' : e.status}${e.flags.length ? ` [${e.flags.join(',')}]` : ''}${e.error ? ` [${e.error}]` : ''} after ${formatDuration(e.duration)}`;
        break;
      default:
        break;
    }
  }
  const viaSidecar = start.viaSidecar;
  return stopped ? { request, appSaw, sidecarDid, viaSidecar, stopped } : { request, appSaw, sidecarDid, viaSidecar };
}

/** Where an event happened, named by workload (pod names are long and the picture shows workloads). */
export function whoOf(where: Where, nameOf: (pod: string) => string, proxy = 'envoy'): string {
  switch (where.kind) {
    case 'app':
      return `${nameOf(where.pod)} app`;
    case 'sidecar':
      return `${nameOf(where.pod)} ${proxy}`;
    case 'wire':
      return `wire ${nameOf(where.from)} → ${nameOf(where.to)}`;
    case 'client':
      return 'outside client';
    case 'ztunnel':
      return `ztunnel ${where.node}`;
    case 'waypoint':
      return `waypoint ${waypointName(where.name)}`;
    case 'mesh':
      return 'mesh';
    default: {
      const never: never = where;
      return String(never);
    }
  }
}

function toneOf(event: MeshEvent): Tone {
  if (isErrorEvent(event)) return 'error';
  switch (event.kind) {
    case 'retry.backoff':
    case 'outlier.eject':
    case 'outlier.ejectSkipped':
    case 'fault.delay':
    case 'app.retry':
    case 'app.timeout':
    case 'retry.exhausted':
    case 'retry.budget':
    case 'accrual.unavailable':
      return 'warn';
    case 'request.end':
    case 'attempt.result':
      return 'ok';
    default:
      return 'info';
  }
}

