import type { MeshEvent, MeshEventOf, Micros, ResponseFlag } from '../model/index.ts';
import { spanRef } from './spanIds.ts';

/** One try of a request at the caller's sidecar (Envoy's upstream request). */
export interface AttemptRecord {
  n: number;
  start: Micros;
  /** When its answer (or reset, or per-try timeout) reached the caller's sidecar; undefined when the request ended first. */
  end: Micros | undefined;
  /** Undefined when no endpoint was picked (UH) or the pool refused it (UO). */
  endpoint: string | undefined;
  status: number;
  flags: readonly ResponseFlag[];
  mtls: boolean;
}

/**
 * A request as the caller's sidecar saw it, complete: what Istio's
 * source-reporter metrics, the outbound access-log line and the client span
 * are made of. Sidecar-less callers have no record (nothing reports).
 */
export interface ClientRecord {
  requestId: number;
  start: Micros;
  end: Micros;
  fromPod: string;
  host: string;
  port: number;
  method: string;
  path: string;
  headers: Readonly<Record<string, string>>;
  /** The W3C trace id and whether the trace is sampled, as the caller's sidecar saw them. */
  traceId: string;
  sampled: boolean;
  /** The span the request continues (the caller's server span, a `spanRef`), when its app propagated the context; -1 for none. */
  parentSpan: number;
  cluster: string | undefined;
  /** Envoy's route name as Istio sets it: `default` for the default route, the VirtualService rule's `name`, else none. */
  route: string | undefined;
  status: number;
  flags: readonly ResponseFlag[];
  attempts: readonly AttemptRecord[];
  /** A mirrored copy: the caller never sees its answer. */
  shadow: boolean;
}

/** One attempt as the callee's sidecar saw it (Istio's destination reporter, the inbound access-log line, the server span). */
export interface ServerRecord {
  requestId: number;
  attempt: number;
  pod: string;
  start: Micros;
  end: Micros;
  sourceWorkload: string;
  sourcePrincipal: string | undefined;
  destinationPrincipal: string | undefined;
  host: string;
  port: number;
  method: string;
  path: string;
  headers: Readonly<Record<string, string>>;
  status: number;
  /** The callee's sidecar refused it (AuthorizationPolicy): the app never saw it. */
  denied: boolean;
  mtls: boolean;
  shadow: boolean;
  traceId: string;
  sampled: boolean;
  /** The client span of the attempt that reached this sidecar (a `spanRef`); when the caller had no sidecar, its own parent. */
  parentSpan: number;
  /** The caller's pod (for addresses). */
  fromPod: string;
  /** The caller's sidecar's cluster for the request (undefined when the caller had no sidecar). */
  cluster: string | undefined;
}

export interface RecordListener {
  client(record: ClientRecord): void;
  server(record: ServerRecord): void;
}

interface Flight {
  start: MeshEventOf<'request.start'>;
  traceId: string;
  sampled: boolean;
  parentSpan: number;
  cluster: string | undefined;
  route: string | undefined;
  attempts: AttemptRecord[];
  /** Attempts the callee's sidecar denied. */
  denied: Set<number> | undefined;
}

/**
 * Folds the event stream into one record per request at the caller's
 * sidecar and one per attempt at the callee's sidecar, handed to the
 * listener as each completes. Holds only the requests in flight.
 */
export class RequestRecorder {
  private readonly flights = new Map<number, Flight>();

  constructor(
    private readonly listener: RecordListener,
    /** The sampling decision of the sidecar `pod` that starts trace `traceId`; the rest of the trace follows it. */
    private readonly sample: (traceId: string, pod: string) => boolean = () => true,
  ) {}

  /** The cluster a request in flight was routed to. */
  clusterOf(requestId: number): string | undefined {
    return this.flights.get(requestId)?.cluster;
  }

  readonly add = (e: MeshEvent): void => {
    switch (e.kind) {
      case 'request.start': {
        const parent = e.traceparent;
        const parentRequest = e.origin.kind === 'traffic' ? undefined : this.flights.get(e.origin.parentId);
        this.flights.set(e.requestId, {
          start: e,
          traceId: parent ? parent.slice(3, 35) : '',
          sampled: parentRequest ? parentRequest.sampled : parent ? parent.endsWith('-01') : false,
          // The app copied the trace context of the request it serves: its sidecar's server span is the parent.
          parentSpan: parent && e.origin.kind === 'app' && parentRequest ? spanRef(e.origin.parentId, lastAttempt(parentRequest), 'server') : -1,
          cluster: undefined,
          route: undefined,
          attempts: [],
          denied: undefined,
        });
        return;
      }
      case 'trace.start': {
        const f = this.flights.get(e.requestId);
        if (f) {
          f.traceId = e.traceId;
          f.sampled = e.where.kind === 'sidecar' && this.sample(e.traceId, e.where.pod);
        }
        return;
      }
      case 'route.match': {
        const f = this.flights.get(e.requestId);
        // istiod's catch-all routes keep their Envoy names (`allow_any`, `block_all`); a Linkerd route its display name.
        if (f) f.route = e.origin.kind === 'default' ? 'default' : e.origin.kind === 'outboundTrafficPolicy' || e.origin.kind === 'httpRoute' || e.origin.kind === 'gatewayServer' ? e.route : e.origin.ruleName;
        return;
      }
      case 'authz.deny': {
        const f = this.flights.get(e.requestId);
        if (f) (f.denied ??= new Set()).add(e.attempt);
        return;
      }
      case 'route.cluster': {
        const f = this.flights.get(e.requestId);
        if (f) f.cluster = e.cluster;
        return;
      }
      case 'lb.pick': {
        const f = this.flights.get(e.requestId);
        if (f) attemptOf(f, e.attempt, e.t).endpoint = e.endpoint;
        return;
      }
      case 'lb.noHealthy':
        return this.attemptEnded(e, 503, UH);
      case 'pool.overflow':
        return this.attemptEnded(e, 503, UO);
      case 'hop.send': {
        const f = this.flights.get(e.requestId);
        if (f && e.direction === 'request') attemptOf(f, e.attempt, e.t).mtls = e.mtls;
        return;
      }
      case 'attempt.result':
        return this.attemptEnded(e, e.status, e.flags);
      case 'attempt.timeout':
        return this.attemptEnded(e, 504, UT);
      case 'inbound.complete':
        return this.inbound(e);
      case 'request.end':
        return this.end(e);
      default:
        return;
    }
  };

  /** A try ended at the caller's sidecar: answered, reset, timed out, or refused before it left (UH, UO). */
  private attemptEnded(e: MeshEvent, status: number, flags: readonly ResponseFlag[]): void {
    const f = this.flights.get(e.requestId);
    if (!f) return;
    const a = attemptOf(f, e.attempt, e.t);
    a.end = e.t;
    a.status = status;
    a.flags = flags;
  }

  private inbound(e: MeshEventOf<'inbound.complete'>): void {
    const f = this.flights.get(e.requestId);
    if (!f) return;
    const s = f.start;
    this.listener.server({
      requestId: e.requestId,
      attempt: e.attempt,
      pod: e.pod,
      start: e.t - e.duration,
      end: e.t,
      sourceWorkload: e.sourceWorkload,
      sourcePrincipal: e.sourcePrincipal,
      destinationPrincipal: e.destinationPrincipal,
      host: s.host,
      port: s.port,
      method: s.method,
      path: s.path,
      headers: s.headers,
      status: e.status,
      denied: f.denied?.has(e.attempt) === true,
      mtls: e.mtls,
      shadow: e.shadow,
      traceId: f.traceId,
      sampled: f.sampled && !e.shadow,
      parentSpan: s.viaSidecar ? spanRef(e.requestId, e.attempt, 'client') : f.parentSpan,
      fromPod: s.fromPod,
      cluster: s.viaSidecar ? f.cluster : undefined,
    });
  }

  private end(e: MeshEventOf<'request.end'>): void {
    const f = this.flights.get(e.requestId);
    if (!f) return;
    this.flights.delete(e.requestId);
    const s = f.start;
    if (!s.viaSidecar) return;
    for (const a of f.attempts) {
      if (a.end !== undefined) continue;
      // The request ended before this try did (the route timeout): Envoy resets the try then.
      a.end = e.t;
      a.status = e.status;
      a.flags = e.flags;
    }
    this.listener.client({
      requestId: e.requestId,
      start: s.t,
      end: e.t,
      fromPod: s.fromPod,
      host: s.host,
      port: s.port,
      method: s.method,
      path: s.path,
      headers: s.headers,
      traceId: f.traceId,
      sampled: f.sampled && s.origin.kind !== 'mirror',
      parentSpan: f.parentSpan,
      cluster: f.cluster,
      route: f.route,
      status: e.status,
      flags: e.flags,
      attempts: f.attempts,
      shadow: s.origin.kind === 'mirror',
    });
  }
}

const UH: readonly ResponseFlag[] = ['UH'];
const UO: readonly ResponseFlag[] = ['UO'];
const UT: readonly ResponseFlag[] = ['UT'];

function attemptOf(f: Flight, n: number, t: Micros): AttemptRecord {
  const last = f.attempts[f.attempts.length - 1];
  if (last && last.n === n) return last;
  const a: AttemptRecord = { n, start: t, end: undefined, endpoint: undefined, status: 0, flags: [], mtls: false };
  f.attempts.push(a);
  return a;
}

function lastAttempt(f: Flight): number {
  return f.attempts[f.attempts.length - 1]?.n ?? 1;
}
