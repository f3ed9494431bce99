import { IdTable } from '../../model/index.ts';
import type { MeshXds, Micros, ProxyError, ResponseFlag, RouteActionXds, RouteOrigin, RunTelemetry, TelemetryProxy, TelemetryRequest, TelemetryServer } from '../../model/index.ts';
import { TRACEPARENT_LENGTH, traceSlot } from '../spanIds.ts';
import type { PoolLimit } from '../TelemetryPlan.ts';
import { ABSENT, Call, INLINE, RECENT_TRACES, SAME } from './WireBatch.ts';
import type { WireBatch } from './WireBatch.ts';

/** Where the decoded calls go: the outputs (`TelemetryOutputs`), told of the run's end. */
export interface CallTarget extends RunTelemetry {
  finish(now: Micros): void;
}

/**
 * Reads the batches `CallEncoder` wrote and makes the same `RunTelemetry`
 * calls on `target`, in the same order, with the same values. The engine's
 * request records are stood in for by requests of its own, kept while in
 * flight and updated by each call as the engine's were (a cluster once
 * routed, the trace context once started, other headers after a route's
 * changes), so `target` reads what it would have read in the run's
 * thread. `take` returns true once the batch held the run's end.
 */
export class CallDecoder {
  private readonly values: unknown[] = [];
  private nums: Float64Array = new Float64Array(0);
  private chars: Uint16Array = new Uint16Array(0);
  private i = 0;
  private c = 0;
  private readonly traces: string[] = new Array<string>(RECENT_TRACES).fill('');
  private readonly requests = new IdTable<WireRequest>();
  private readonly spare: WireRequest[] = [];
  private readonly server: WireServer = { pod: '', attempt: 0, arrivedAt: 0, mtls: false, sourcePrincipal: undefined, destinationPrincipal: undefined, sidecar: undefined };

  constructor(
    private readonly target: CallTarget,
    /** The UTF-16 units `from` to `to` of `chars` as a string (a runtime may have a faster way than the language's). */
    private readonly stringOf: (chars: Uint16Array, from: number, to: number) => string = charsToString,
  ) {}

  take(batch: WireBatch): boolean {
    for (const v of batch.fresh) this.values.push(v);
    this.nums = batch.nums;
    this.chars = batch.chars;
    this.i = 0;
    this.c = 0;
    let ended = false;
    // One call at a time: the loop stays small (a large one is compiled again each time a rare call first comes).
    while (this.i < batch.numCount) if (this.call()) ended = true;
    if (this.c !== batch.charCount) throw new Error(`telemetry batch: read ${this.c} characters of ${batch.charCount}`);
    return ended;
  }

  /** Reads one call and makes it; true when it was the run's end. */
  private call(): boolean {
    const call = this.num();
    switch (call) {
      case Call.requestStarted:
        this.requestStarted();
        return false;
      case Call.traceStarted:
        this.traceStarted();
        return false;
      case Call.attemptPicked: {
        const t = this.num();
        const id = this.num();
        const n = this.num();
        this.target.attemptPicked(t, id, n, this.str());
        return false;
      }
      case Call.attemptSent: {
        const t = this.num();
        const id = this.num();
        const n = this.num();
        this.target.attemptSent(t, id, n, this.num() === 1);
        return false;
      }
      case Call.attemptEnded: {
        const t = this.num();
        const id = this.num();
        const n = this.num();
        const status = this.num();
        this.target.attemptEnded(t, id, n, status, this.flags(this.num()));
        return false;
      }
      case Call.denied:
        this.denied();
        return false;
      case Call.inboundCompleted:
        this.inboundCompleted();
        return false;
      case Call.requestEnded:
        this.requestEnded();
        return false;
      case Call.retried:
        this.target.retried(this.num(), this.str());
        return false;
      case Call.retryOverflowed:
        this.target.retryOverflowed(this.num(), this.str());
        return false;
      case Call.poolOverflowed: {
        const t = this.num();
        const cluster = this.str();
        this.target.poolOverflowed(t, cluster, this.str() as PoolLimit);
        return false;
      }
      case Call.ejected:
        this.target.ejected(this.num(), this.str());
        return false;
      case Call.unejected:
        this.target.unejected(this.num(), this.str());
        return false;
      case Call.configPushed: {
        const t = this.num();
        this.target.configPushed(t, this.values[this.num()] as MeshXds);
        return false;
      }
      case Call.finish:
        this.target.finish(this.num());
        return true;
      default:
        throw new Error(`telemetry batch: unknown call ${call} at ${this.i - 1}`);
    }
  }

  private requestStarted(): void {
    const t = this.num();
    const req = this.spare.pop() ?? new WireRequest();
    req.id = this.num();
    const kind = this.num();
    req.origin.kind = kind === 0 ? 'traffic' : kind === 1 ? 'app' : 'mirror';
    const parentId = this.num();
    req.origin.parentId = parentId < 0 ? undefined : parentId;
    req.from = this.str();
    req.fromWorkload = this.str();
    req.viaSidecar = this.num() === 1;
    req.host = this.str();
    req.port = this.num();
    req.head.method = this.str();
    req.head.path = this.str();
    req.startedAt = this.num();
    req.route = undefined;
    req.cluster = undefined;
    req.result = undefined;
    req.sidecar = this.proxy(this.num());
    const caller = this.num();
    req.caller.proxy = caller === SAME ? req.sidecar : this.proxy(caller);
    req.head.headers = this.headers(undefined);
    this.requests.set(req.id, req);
    this.target.requestStarted(t, req);
  }

  private traceStarted(): void {
    const t = this.num();
    const id = this.num();
    const pod = this.str();
    const traceparent = this.trace(this.num());
    // The engine wrote the trace context into the request's headers before it said so.
    const req = this.requests.get(id);
    if (req) req.head.headers['traceparent'] = traceparent;
    this.target.traceStarted(t, id, pod, traceparent);
  }

  private denied(): void {
    const req = this.request(this.num());
    const n = this.num();
    const deniedBy = this.value(this.num()) as string | undefined;
    this.state(req);
    if (req) this.target.denied(req, n, deniedBy);
  }

  private inboundCompleted(): void {
    const t = this.num();
    const req = this.request(this.num());
    const s = this.server;
    s.pod = this.str();
    s.attempt = this.num();
    s.arrivedAt = this.num();
    s.mtls = this.num() === 1;
    s.sourcePrincipal = this.value(this.num()) as string | undefined;
    s.destinationPrincipal = this.value(this.num()) as string | undefined;
    const status = this.num();
    s.sidecar = this.proxy(this.num());
    this.state(req);
    const headers = this.headers(req);
    if (!req) return;
    req.head.headers = headers;
    this.target.inboundCompleted(t, req, s, status);
  }

  private requestEnded(): void {
    const t = this.num();
    const id = this.num();
    const req = this.request(id);
    const routeName = this.value(this.num()) as string | undefined;
    const routeOrigin = this.value(this.num()) as RouteOrigin | undefined;
    const routeAction = this.value(this.num()) as RouteActionXds | undefined;
    const error = this.value(this.num()) as ProxyError | undefined;
    const status = this.num();
    const flags = this.flags(this.num());
    this.state(req);
    const headers = this.headers(req);
    if (!req) return;
    if (routeOrigin === undefined) req.route = undefined;
    else {
      req.ownRoute.name = routeName as string;
      req.ownRoute.origin = routeOrigin;
      req.ownRoute.action = routeAction ?? NO_ACTION;
      req.route = req.ownRoute;
    }
    if (error === undefined) req.result = undefined;
    else {
      req.ownResult.error = error;
      req.result = req.ownResult;
    }
    req.head.headers = headers;
    this.target.requestEnded(t, req, status, flags);
    this.requests.delete(id);
    this.spare.push(req);
  }

  private request(id: number): WireRequest | undefined {
    return this.requests.get(id);
  }

  /** A proxy by its code (ABSENT: none): the engine's key and data plane, as they crossed when it was given its id. */
  private proxy(code: number): TelemetryProxy | undefined {
    return code === ABSENT ? undefined : (this.values[code] as TelemetryProxy);
  }

  /** The request's cluster and client proxy, each as the engine has it now (SAME: as it was), set on `req` when it is known. */
  private state(req: WireRequest | undefined): void {
    const cluster = this.num();
    const sidecar = this.num();
    const clusterValue = cluster === SAME ? undefined : (this.value(cluster) as string | undefined);
    if (!req) return;
    if (cluster !== SAME) req.cluster = clusterValue;
    if (sidecar !== SAME) req.sidecar = this.proxy(sidecar);
  }

  /** A request's headers: those it has (SAME), or new ones as written. */
  private headers(req: WireRequest | undefined): Record<string, string> {
    const count = this.num();
    if (count === SAME) return req ? req.head.headers : {};
    // A plain object, as the engine's: the same names in the same order share a shape, so making and reading one is quick.
    const h: Record<string, string> = {};
    for (let k = 0; k < count; k++) {
      const key = this.str();
      const code = this.num();
      h[key] = key === 'traceparent' ? this.trace(code) : (this.value(code) as string);
    }
    return h;
  }

  private num(): number {
    return this.nums[this.i++] as number;
  }

  private str(): string {
    return this.value(this.num()) as string;
  }

  /** The value a code stands for: an id's value, `undefined` for ABSENT, or a string written out (`INLINE - length`) read from the characters. */
  private value(code: number): unknown {
    if (code >= 0) return this.values[code];
    if (code === ABSENT) return undefined;
    const len = INLINE - code;
    const at = this.c;
    this.c = at + len;
    return this.stringOf(this.chars, at, at + len);
  }

  /** A trace context: from the table of recent traces, or written out (and then kept there, as the encoder did). */
  private trace(code: number): string {
    if (code >= 0) return this.traces[code] as string;
    const s = this.value(code) as string;
    if (s.length === TRACEPARENT_LENGTH) this.traces[traceSlot(s, RECENT_TRACES)] = s;
    return s;
  }

  private flags(code: number): readonly ResponseFlag[] {
    return code === ABSENT ? NO_FLAGS : (this.values[code] as readonly ResponseFlag[]);
  }
}

/** A request in flight as the engine described it, standing in for the engine's record (reused once it ends). */
class WireRequest implements TelemetryRequest {
  id = 0;
  readonly origin: { kind: 'traffic' | 'app' | 'mirror'; parentId?: number | undefined } = { kind: 'traffic', parentId: undefined };
  from = '';
  fromWorkload = '';
  viaSidecar = false;
  host = '';
  port = 0;
  readonly head: { method: string; path: string; headers: Record<string, string> } = { method: '', path: '', headers: {} };
  startedAt = 0;
  route: { name: string; origin: RouteOrigin; action: RouteActionXds } | undefined = undefined;
  cluster: string | undefined = undefined;
  result: { error?: ProxyError | undefined } | undefined = undefined;
  sidecar: TelemetryProxy | undefined = undefined;
  readonly caller: { proxy?: TelemetryProxy | undefined } = { proxy: undefined };
  /** The objects `route` and `result` point to when set. */
  readonly ownRoute: { name: string; origin: RouteOrigin; action: RouteActionXds } = { name: '', origin: { kind: 'default' } as RouteOrigin, action: NO_ACTION };
  readonly ownResult: { error?: ProxyError | undefined } = { error: undefined };
}

interface WireServer extends TelemetryServer {
  pod: string;
  attempt: number;
  arrivedAt: Micros;
  mtls: boolean;
  sourcePrincipal: string | undefined;
  destinationPrincipal: string | undefined;
  sidecar: TelemetryProxy | undefined;
}

const NO_FLAGS: readonly ResponseFlag[] = [];
/** A route's action when it did not cross: the request has a cluster, so the outputs do not read the route's. */
const NO_ACTION: RouteActionXds = { kind: 'directResponse', status: 0, body: '' };

/** The UTF-16 units `from` to `to` as a string, a piece at a time (`fromCharCode` takes its arguments on the stack). */
function charsToString(chars: Uint16Array, from: number, to: number): string {
  if (to - from <= PIECE) return String.fromCharCode.apply(null, chars.subarray(from, to) as unknown as number[]);
  let s = '';
  for (let at = from; at < to; at += PIECE) s += String.fromCharCode.apply(null, chars.subarray(at, Math.min(to, at + PIECE)) as unknown as number[]);
  return s;
}

const PIECE = 8_192;
