import { IdTable } from '../model/index.ts';
import type { Micros, ResponseFlag, TelemetryRequest, TelemetryServer } from '../model/index.ts';
import { emptyConnectionRecord } from './ConnectionRecord.ts';
import type { ConnectionRecord } from './ConnectionRecord.ts';
import { emptyClientRecord, emptyServerRecord, responseBytes } from './records.ts';
import type { AttemptRecord, ClientRecord, ListenerProtocols, RecordListener, ServerRecord } from './records.ts';
import { spanRef } from './spanIds.ts';

interface Flight {
  /** The request's id (what `flights` keys it by). */
  id: number;
  req: TelemetryRequest;
  /** The W3C `traceparent` as the first sidecar saw or started it ('' for none); the trace id is cut out of it only for a span or a log line that shows it. */
  trace: string;
  /** Istio's request and response sizes for this request, made on first use (-1 before). */
  requestBytes: number;
  sampled: boolean;
  parentSpan: number;
  /** Its tries so far: the first `tries` of `attempts` (records are kept for the next request that reuses this one). */
  tries: number;
  attempts: AttemptRecord[];
  /** Attempts the callee's sidecar denied. */
  denied: Set<number> | undefined;
  /** The caller of the request it continues, when it continues one (`ClientRecord.parentCaller`). */
  parentCaller: string | undefined;
  /** `ClientRecord.parentMtlsCluster`. */
  parentMtlsCluster: string | undefined;
}

/**
 * Turns what the engine tells the run's telemetry (`RunTelemetry`) into one
 * record per request at the caller's sidecar and one per attempt at the
 * callee's sidecar, handed to the listener as each completes. Holds only
 * the requests in flight. The records handed over are reused from one call
 * to the next: a listener reads them and keeps nothing.
 */
export class RequestRecorder {
  private readonly flights = new IdTable<Flight>();
  /** Flights of requests that ended, to be reused: a long run makes as many as it has requests in flight at once. */
  private readonly spare: Flight[] = [];
  private readonly clientRecord: ClientRecord = emptyClientRecord();
  private readonly serverRecord: ServerRecord = emptyServerRecord();
  private readonly connectionRecord: ConnectionRecord = emptyConnectionRecord();

  constructor(
    private readonly listener: RecordListener,
    /** The sampling decision of the sidecar `pod` that starts the trace of `traceparent`; the rest of the trace follows it. */
    private readonly sample: (traceparent: string, pod: string) => boolean = () => true,
    /** Whether a listener reads `requestBytes` (the metrics do). */
    private readonly sizes = false,
    /** Which sidecar listeners are TCP proxies; without it (no TCP port in the mesh, Linkerd's proxies, tests) only a gateway's `tls`/`tcp` routes are. */
    private readonly protocols?: ListenerProtocols,
  ) {}

  requestStarted(req: TelemetryRequest): void {
    const o = req.origin;
    // A shadow copy's start carries no trace context of its own: it follows its parent's sampling.
    const parent = o.kind === 'mirror' ? undefined : req.head.headers['traceparent'];
    const parentRequest = o.kind === 'traffic' ? undefined : this.flights.get(o.parentId as number);
    const f = this.spare.pop() ?? { id: req.id, req, trace: '', requestBytes: -1, sampled: false, parentSpan: -1, tries: 0, attempts: [], denied: undefined, parentCaller: undefined, parentMtlsCluster: undefined };
    f.id = req.id;
    f.req = req;
    f.trace = parent ?? '';
    f.requestBytes = -1;
    f.sampled = parentRequest ? parentRequest.sampled : parent ? parent.endsWith('-01') : false;
    // The app copied the trace context of the request it serves: its sidecar's server span is the parent; over a TCP proxy there is
    // no such span (the sidecar saw no HTTP), and the context the app copied names the span the request it serves came from.
    f.parentSpan = parent && o.kind === 'app' && parentRequest ? (this.overTcp(parentRequest.req) ? parentRequest.parentSpan : spanRef(o.parentId as number, lastAttempt(parentRequest), 'server')) : -1;
    f.tries = 0;
    f.denied = undefined;
    f.parentCaller = parentRequest?.req.from;
    const parentTry = parentRequest !== undefined && parentRequest.tries > 0 ? parentRequest.attempts[parentRequest.tries - 1] : undefined;
    f.parentMtlsCluster = parentTry?.mtls === true ? parentRequest?.req.cluster : undefined;
    this.flights.set(f.id, f);
  }

  traceStarted(requestId: number, pod: string, traceparent: string): void {
    const f = this.flights.get(requestId);
    if (!f) return;
    f.trace = traceparent;
    f.sampled = this.sample(traceparent, pod);
  }

  attemptPicked(t: Micros, requestId: number, n: number, endpoint: string): void {
    const f = this.flights.get(requestId);
    if (f) attemptOf(f, n, t).endpoint = endpoint;
  }

  attemptSent(t: Micros, requestId: number, n: number, mtls: boolean): void {
    const f = this.flights.get(requestId);
    if (f) attemptOf(f, n, t).mtls = mtls;
  }

  /** A try ended at the caller's sidecar: answered, reset, timed out, or refused before it left (UH, UO). */
  attemptEnded(t: Micros, requestId: number, n: number, status: number, flags: readonly ResponseFlag[]): void {
    const f = this.flights.get(requestId);
    if (!f) return;
    const a = attemptOf(f, n, t);
    a.end = t;
    a.status = status;
    a.flags = flags;
  }

  /** The callee's proxy refused attempt `n`: a sidecar's 403, or a destination ztunnel closing the connection (a connection it counts, with no bytes). */
  denied(requestId: number, n: number, deniedBy?: string): void {
    const f = this.flights.get(requestId);
    if (!f) return;
    (f.denied ??= new Set()).add(n);
    const last = f.tries > 0 ? (f.attempts[f.tries - 1] as AttemptRecord) : undefined;
    if (!this.listener.connection || last?.endpoint === undefined) return;
    this.stamp(f.req, last.start, last.start, deniedBy);
    this.connection('destination', peerOf(f.req), last.endpoint, f.req.host, true, true, 0, 0);
  }

  inboundCompleted(t: Micros, req: TelemetryRequest, server: TelemetryServer, status: number): void {
    const f = this.flights.get(req.id);
    if (!f) return;
    // Ambient: a destination's ztunnel reports TCP only, not HTTP metrics, logs or spans (§11).
    if (server.sidecar?.xds.dataPlane === 'ztunnel') {
      if (!this.listener.connection) return;
      this.stamp(req, server.arrivedAt, t, undefined);
      this.connection('destination', peerOf(req), server.pod, req.host, server.mtls, false, this.sizes ? bytesOf(f) : 0, responseBytes(status));
      return;
    }
    const shadow = req.origin.kind === 'mirror';
    const r = this.serverRecord;
    r.requestId = req.id;
    r.attempt = server.attempt;
    r.pod = server.pod;
    r.start = server.arrivedAt;
    r.end = t;
    // The callee's sidecar knows its caller's workload only from the caller's sidecar (peer metadata).
    r.sourceWorkload = req.viaSidecar ? req.fromWorkload : UNKNOWN;
    r.sourcePrincipal = server.sourcePrincipal ? server.sourcePrincipal : undefined;
    r.destinationPrincipal = server.sourcePrincipal ? server.destinationPrincipal : undefined;
    r.host = req.host;
    r.port = req.port;
    r.method = req.head.method;
    r.path = req.head.path;
    r.headers = req.head.headers;
    r.status = status;
    r.denied = f.denied?.has(server.attempt) === true;
    r.mtls = server.mtls;
    r.shadow = shadow;
    r.trace = f.trace;
    r.sampled = f.sampled && !shadow;
    r.parentSpan = req.viaSidecar ? spanRef(req.id, server.attempt, 'client') : f.parentSpan;
    r.fromPod = req.from;
    r.cluster = req.viaSidecar ? req.cluster : undefined;
    r.tcp = this.protocols !== undefined && this.protocols.serverTcp(r);
    r.requestBytes = this.sizes || r.tcp ? bytesOf(f) : 0;
    this.listener.server(r);
  }

  requestEnded(t: Micros, req: TelemetryRequest, status: number, flags: readonly ResponseFlag[]): void {
    const f = this.flights.get(req.id);
    if (!f) return;
    this.flights.delete(req.id);
    // Ambient: a request whose client proxy was the caller's ztunnel (no waypoint) makes no HTTP record: ztunnel never parses HTTP (§11).
    if (req.viaSidecar && req.sidecar?.xds.dataPlane !== 'ztunnel') this.client(t, req, f, status, flags);
    // The caller's ztunnel counts the connection it carried (a shadow copy leaves from the waypoint, not from the caller).
    if (this.listener.connection && req.caller?.proxy?.xds.dataPlane === 'ztunnel' && req.origin.kind !== 'mirror') {
      this.stamp(req, req.startedAt, t, undefined);
      this.sourceConnection(req, f, status);
    }
    this.spare.push(f);
  }

  /**
   * The caller's ztunnel's connection: to the waypoint, or (no waypoint) to
   * the endpoint it picked. No endpoint: ztunnel fails before opening one
   * (`NoHealthyUpstream`, ztunnel src `src/proxy/outbound.rs` `build_request`),
   * nothing is counted. An attempt the callee's proxy refused is marked
   * `denied`: the listener tells a ztunnel's refusal (the tunnel fails, no
   * bytes) from a sidecar's 403 (an answer over a working tunnel).
   */
  private sourceConnection(req: TelemetryRequest, f: Flight, status: number): void {
    const proxy = req.sidecar;
    if (proxy?.xds.dataPlane === 'waypoint') {
      this.connection('source', req.from, proxy.pod, req.host, true, false, this.sizes ? bytesOf(f) : 0, responseBytes(status));
      return;
    }
    const last = f.tries > 0 ? (f.attempts[f.tries - 1] as AttemptRecord) : undefined;
    if (!last || last.endpoint === undefined) return;
    this.connection('source', req.from, last.endpoint, req.host, last.mtls, f.denied?.has(last.n) === true, this.sizes ? bytesOf(f) : 0, responseBytes(status));
  }

  /** The connection record's request, times and refusal, before `connection` hands it over. */
  private stamp(req: TelemetryRequest, start: Micros, end: Micros, deniedBy: string | undefined): void {
    const c = this.connectionRecord;
    c.requestId = req.id;
    c.port = req.port;
    c.cluster = req.cluster;
    c.start = start;
    c.end = end;
    c.deniedBy = deniedBy;
  }

  /** Whether the request's client proxy carried it as a TCP proxy: a `tls`/`tcp` route is one wherever it is; the listener protocols are asked only when the mesh has TCP ports. */
  private overTcp(req: TelemetryRequest): boolean {
    const origin = req.route?.origin;
    if (origin?.kind === 'l4Route') return true;
    if (this.protocols === undefined) return false;
    const waypoint = req.sidecar?.xds.dataPlane === 'waypoint' ? req.sidecar.pod : undefined;
    return this.protocols.clientTcp(waypoint ?? req.from, req.host, req.port, origin);
  }

  private connection(reporter: 'source' | 'destination', source: string, destination: string, host: string, mtls: boolean, denied: boolean, requestBytes: number, responseBytes: number): void {
    const c = this.connectionRecord;
    c.reporter = reporter;
    c.source = source;
    c.destination = destination;
    c.host = host;
    c.mtls = mtls;
    c.denied = denied;
    c.requestBytes = requestBytes;
    c.responseBytes = responseBytes;
    (this.listener.connection as (record: ConnectionRecord) => void)(c);
  }

  private client(t: Micros, req: TelemetryRequest, f: Flight, status: number, flags: readonly ResponseFlag[]): void {
    const attempts = f.attempts;
    if (attempts.length !== f.tries) attempts.length = f.tries;
    for (const a of attempts) {
      if (a.end !== undefined) continue;
      // The request ended before this try did (the route timeout): Envoy resets the try then.
      a.end = t;
      a.status = status;
      a.flags = flags;
    }
    const shadow = req.origin.kind === 'mirror';
    const r = this.clientRecord;
    r.requestId = req.id;
    r.waypoint = req.sidecar?.xds.dataPlane === 'waypoint' ? req.sidecar.pod : undefined;
    r.start = req.startedAt;
    r.end = t;
    r.fromPod = req.from;
    r.host = req.host;
    r.port = req.port;
    r.method = req.head.method;
    r.path = req.head.path;
    r.headers = req.head.headers;
    r.trace = f.trace;
    r.sampled = f.sampled && !shadow;
    r.parentSpan = f.parentSpan;
    r.cluster = flags.includes('NC') ? undefined : (req.cluster ?? firstCluster(req));
    r.route = shadow ? undefined : routeName(req);
    r.routeOrigin = shadow ? undefined : req.route?.origin;
    r.status = status;
    r.flags = flags;
    r.error = req.result?.error;
    r.attempts = attempts;
    r.shadow = shadow;
    r.parentCaller = f.parentCaller;
    r.parentMtlsCluster = f.parentMtlsCluster;
    r.tcp = this.overTcp(req);
    // A TCP proxy's log line counts the connection's bytes too.
    r.requestBytes = this.sizes || r.tcp ? bytesOf(f) : 0;
    this.listener.client(r);
  }
}

const UNKNOWN = 'unknown';

/** Who a destination's ztunnel sees on the connection: the waypoint that routed the request (its identity, §11), else the caller. */
function peerOf(req: TelemetryRequest): string {
  const proxy = req.sidecar;
  return proxy?.xds.dataPlane === 'waypoint' ? proxy.pod : req.from;
}


/** The request's size, worked out once per request (both sidecars report it, the destination's once per attempt). */
function bytesOf(f: Flight): number {
  if (f.requestBytes >= 0) return f.requestBytes;
  const { head, host } = f.req;
  let n = head.method.length + head.path.length + 12 + 6 + host.length + 2;
  for (const k in head.headers) n += k.length + (head.headers[k] as string).length + 4;
  return (f.requestBytes = n + 2);
}

/** The first cluster of the request's route, when it routes to clusters. */
function firstCluster(req: TelemetryRequest): string | undefined {
  const action = req.route?.action;
  return action?.kind === 'route' ? action.clusters[0]?.cluster : undefined;
}

/** Envoy's route name as Istio sets it: istiod's catch-all routes keep their Envoy names (`allow_any`, `block_all`), a Linkerd route its display name. */
function routeName(req: TelemetryRequest): string | undefined {
  const route = req.route;
  if (!route) return undefined;
  const origin = route.origin;
  return origin.kind === 'default' ? 'default' : origin.kind === 'outboundTrafficPolicy' || origin.kind === 'httpRoute' || origin.kind === 'gatewayServer' || origin.kind === 'l4Route' ? route.name : origin.ruleName;
}

function attemptOf(f: Flight, n: number, t: Micros): AttemptRecord {
  const last = f.tries > 0 ? (f.attempts[f.tries - 1] as AttemptRecord) : undefined;
  if (last && last.n === n) return last;
  let a = f.attempts[f.tries];
  if (a === undefined) f.attempts.push((a = { n, start: t, end: undefined, endpoint: undefined, status: 0, flags: NO_FLAGS, mtls: false }));
  else {
    a.n = n;
    a.start = t;
    a.end = undefined;
    a.endpoint = undefined;
    a.status = 0;
    a.flags = NO_FLAGS;
    a.mtls = false;
  }
  f.tries += 1;
  return a;
}

function lastAttempt(f: Flight): number {
  return f.tries > 0 ? (f.attempts[f.tries - 1] as AttemptRecord).n : 1;
}

const NO_FLAGS: readonly ResponseFlag[] = [];
