import type { MeshXds, Micros, ResponseFlag, RunTelemetry, TelemetryProxy, TelemetryRequest, TelemetryServer } from '../../model/index.ts';
import { TRACEPARENT_LENGTH, traceSlot } from '../spanIds.ts';
import type { PoolLimit } from '../TelemetryPlan.ts';
import { ABSENT, Call, INLINE, RECENT_TRACES, SAME } from './WireBatch.ts';
import type { WireTransport } from './WireBatch.ts';

/**
 * A run's telemetry as the run's thread sees it when the outputs are made
 * on another thread (`meshviz simulate`): each `RunTelemetry` call the
 * engine makes is written as numbers into a batch (`WireBatch`) that `send`
 * carries to `CallDecoder`, which makes the same call there on a
 * `TelemetryOutputs` (recorder and writers). The run's thread only writes
 * numbers: the records are made on the other side.
 *
 * Names, hosts, paths, clusters and config objects get an id the first
 * time they are seen and cross once; a trace context crosses once for the
 * requests of its trace seen close together (`RECENT_TRACES`); a request's
 * caller, address and headers cross when it starts, its headers again only
 * if the engine gave it others (a route's header changes). Nothing is built
 * per call but the numbers.
 */
export class CallEncoder implements RunTelemetry {
  private nums: Float64Array;
  private chars: Uint16Array;
  private n = 0;
  private c = 0;
  private readonly ids = new Map<unknown, number>();
  private readonly flagIds = new Map<string, number>();
  private nextId = 0;
  private fresh: unknown[] = [];
  /** The trace contexts last written, by `traceSlot` (the decoder keeps the same table). */
  private readonly traces: string[] = new Array<string>(RECENT_TRACES).fill('');
  /** Proxies by the engine's object, with the config it had when given its id (a push gives it other config: another id). */
  private readonly proxyIds = new Map<TelemetryProxy, { xds: object; id: number }>();
  /**
   * What was last written of a request still in flight, by `id &
   * (RECENT - 1)`: that request's id, its headers, cluster and client
   * proxy, so that a later call says they are the same instead.
   */
  private readonly sentIds = new Float64Array(RECENT).fill(-1);
  private readonly sentHeaders: Array<Readonly<Record<string, string>> | undefined> = new Array<Readonly<Record<string, string>> | undefined>(RECENT).fill(undefined);
  private readonly sentClusters: Array<string | undefined> = new Array<string | undefined>(RECENT).fill(undefined);
  private readonly sentSidecars: Array<TelemetryProxy | undefined> = new Array<TelemetryProxy | undefined>(RECENT).fill(undefined);

  constructor(
    private readonly transport: WireTransport,
    /** Values given ids at most (a run with ever new paths writes the rest out). */
    private readonly maxIds = MAX_IDS,
  ) {
    const first = transport.first();
    this.nums = first.nums;
    this.chars = first.chars;
  }

  requestStarted(t: Micros, req: TelemetryRequest): void {
    this.room(START_NUMS);
    const nums = this.nums;
    let n = this.n;
    const o = req.origin;
    nums[n++] = Call.requestStarted;
    nums[n++] = t;
    nums[n++] = req.id;
    nums[n++] = o.kind === 'traffic' ? 0 : o.kind === 'app' ? 1 : 2;
    nums[n++] = o.parentId ?? -1;
    nums[n++] = this.code(req.from);
    nums[n++] = this.code(req.fromWorkload);
    nums[n++] = req.viaSidecar ? 1 : 0;
    nums[n++] = this.code(req.host);
    nums[n++] = req.port;
    nums[n++] = this.code(req.head.method);
    nums[n++] = this.code(req.head.path);
    nums[n++] = req.startedAt;
    const sidecar = req.sidecar;
    const caller = req.caller?.proxy;
    nums[n++] = this.proxyCode(sidecar);
    nums[n++] = caller === sidecar ? SAME : this.proxyCode(caller);
    this.n = n;
    const slot = req.id & (RECENT - 1);
    this.sentIds[slot] = req.id;
    this.sentClusters[slot] = undefined;
    this.sentSidecars[slot] = sidecar;
    this.sentHeaders[slot] = undefined;
    this.headers(req);
    this.ended();
  }

  traceStarted(t: Micros, requestId: number, pod: string, traceparent: string): void {
    this.room(5);
    const nums = this.nums;
    let n = this.n;
    nums[n++] = Call.traceStarted;
    nums[n++] = t;
    nums[n++] = requestId;
    nums[n++] = this.code(pod);
    this.n = n;
    this.nums[this.n++] = this.traceCode(traceparent);
    this.ended();
  }

  attemptPicked(t: Micros, requestId: number, n: number, endpoint: string): void {
    this.attempt(Call.attemptPicked, t, requestId, n, this.code(endpoint));
  }

  attemptSent(t: Micros, requestId: number, n: number, mtls: boolean): void {
    this.attempt(Call.attemptSent, t, requestId, n, mtls ? 1 : 0);
  }

  attemptEnded(t: Micros, requestId: number, n: number, status: number, flags: readonly ResponseFlag[]): void {
    this.room(6);
    const nums = this.nums;
    let k = this.n;
    nums[k++] = Call.attemptEnded;
    nums[k++] = t;
    nums[k++] = requestId;
    nums[k++] = n;
    nums[k++] = status;
    nums[k++] = this.flagsCode(flags);
    this.n = k;
    this.ended();
  }

  denied(req: TelemetryRequest, n: number, deniedBy?: string): void {
    this.room(5);
    const nums = this.nums;
    let k = this.n;
    nums[k++] = Call.denied;
    nums[k++] = req.id;
    nums[k++] = n;
    nums[k++] = this.code(deniedBy);
    this.n = k;
    this.state(req);
    this.ended();
  }

  inboundCompleted(t: Micros, req: TelemetryRequest, server: TelemetryServer, status: number): void {
    this.room(INBOUND_NUMS);
    const nums = this.nums;
    let n = this.n;
    nums[n++] = Call.inboundCompleted;
    nums[n++] = t;
    nums[n++] = req.id;
    nums[n++] = this.code(server.pod);
    nums[n++] = server.attempt;
    nums[n++] = server.arrivedAt;
    nums[n++] = server.mtls ? 1 : 0;
    nums[n++] = this.code(server.sourcePrincipal);
    nums[n++] = this.code(server.destinationPrincipal);
    nums[n++] = status;
    nums[n++] = this.proxyCode(server.sidecar);
    this.n = n;
    this.state(req);
    this.headers(req);
    this.ended();
  }

  requestEnded(t: Micros, req: TelemetryRequest, status: number, flags: readonly ResponseFlag[]): void {
    this.room(END_NUMS);
    const nums = this.nums;
    let n = this.n;
    const route = req.route;
    nums[n++] = Call.requestEnded;
    nums[n++] = t;
    nums[n++] = req.id;
    nums[n++] = route === undefined ? ABSENT : this.code(route.name);
    nums[n++] = route === undefined ? ABSENT : this.idOf(route.origin);
    // The route's clusters are read only when none was drawn (a fault answered first): then its action crosses.
    nums[n++] = route === undefined || req.cluster !== undefined ? ABSENT : this.idOf(route.action);
    nums[n++] = this.code(req.result?.error);
    nums[n++] = status;
    nums[n++] = this.flagsCode(flags);
    this.n = n;
    this.state(req);
    this.headers(req);
    this.forget(req.id);
    this.ended();
  }

  retried(t: Micros, cluster: string): void {
    this.clusterCall(Call.retried, t, cluster);
  }

  retryOverflowed(t: Micros, cluster: string): void {
    this.clusterCall(Call.retryOverflowed, t, cluster);
  }

  poolOverflowed(t: Micros, cluster: string, limit: PoolLimit): void {
    this.room(4);
    const nums = this.nums;
    nums[this.n++] = Call.poolOverflowed;
    nums[this.n++] = t;
    nums[this.n++] = this.code(cluster);
    nums[this.n++] = this.code(limit);
    this.ended();
  }

  ejected(t: Micros, cluster: string): void {
    this.clusterCall(Call.ejected, t, cluster);
  }

  unejected(t: Micros, cluster: string): void {
    this.clusterCall(Call.unejected, t, cluster);
  }

  configPushed(t: Micros, xds: MeshXds): void {
    this.room(3);
    const nums = this.nums;
    nums[this.n++] = Call.configPushed;
    nums[this.n++] = t;
    nums[this.n++] = this.idOf(xds);
    this.ended();
  }

  /** The run ended at `now`: the last call, and what is left goes now. */
  finish(now: Micros): void {
    this.room(2);
    this.nums[this.n++] = Call.finish;
    this.nums[this.n++] = now;
    this.flush();
  }

  /** The writers are elsewhere: there is no live text here. */
  prometheusText(): string {
    return '';
  }

  /** Sends what has been written, if anything. */
  flush(): void {
    if (this.n === 0) return;
    const next = this.transport.send({ nums: this.nums, numCount: this.n, chars: this.chars, charCount: this.c, fresh: this.fresh });
    this.nums = next.nums;
    this.chars = next.chars;
    this.n = 0;
    this.c = 0;
    if (this.fresh.length > 0) this.fresh = [];
  }

  private attempt(call: number, t: Micros, requestId: number, n: number, value: number): void {
    this.room(5);
    const nums = this.nums;
    let k = this.n;
    nums[k++] = call;
    nums[k++] = t;
    nums[k++] = requestId;
    nums[k++] = n;
    nums[k++] = value;
    this.n = k;
    this.ended();
  }

  private clusterCall(call: number, t: Micros, cluster: string): void {
    this.room(3);
    const nums = this.nums;
    nums[this.n++] = call;
    nums[this.n++] = t;
    nums[this.n++] = this.code(cluster);
    this.ended();
  }

  /**
   * The request ended: its slot lets go of its headers (kept until the slot
   * is reused, 4,096 requests later, they would outlive the request and
   * fill the old generation). A call that still comes for it (an attempt
   * the callee answers after the caller gave up) writes everything out.
   */
  private forget(id: number): void {
    const slot = id & (RECENT - 1);
    if (this.sentIds[slot] !== id) return;
    this.sentIds[slot] = -1;
    this.sentHeaders[slot] = undefined;
    this.sentClusters[slot] = undefined;
    this.sentSidecars[slot] = undefined;
  }

  /** A proxy's code: its id (given, with its key and data plane, the first time it is seen with its config), ABSENT for none. */
  private proxyCode(p: TelemetryProxy | undefined): number {
    if (p === undefined) return ABSENT;
    const known = this.proxyIds.get(p);
    if (known !== undefined && known.xds === p.xds) return known.id;
    const id = this.given({ pod: p.pod, xds: { dataPlane: p.xds.dataPlane } } satisfies TelemetryProxy);
    this.proxyIds.set(p, { xds: p.xds, id });
    return id;
  }

  /** What the engine may have changed of a request since the last call: its cluster and client proxy, each SAME when it has not. */
  private state(req: TelemetryRequest): void {
    const slot = req.id & (RECENT - 1);
    const mine = this.sentIds[slot] === req.id;
    const cluster = req.cluster;
    const sidecar = req.sidecar;
    this.room(2);
    this.nums[this.n++] = mine && this.sentClusters[slot] === cluster ? SAME : this.code(cluster);
    this.nums[this.n++] = mine && this.sentSidecars[slot] === sidecar ? SAME : this.proxyCode(sidecar);
    if (!mine) return;
    this.sentClusters[slot] = cluster;
    this.sentSidecars[slot] = sidecar;
  }

  /**
   * The request's headers: SAME when they are the object last
   * written for it, else their count and each name and value (the trace
   * context by its trace code).
   */
  private headers(req: TelemetryRequest): void {
    const h = req.head.headers;
    const slot = req.id & (RECENT - 1);
    this.room(1);
    const mine = this.sentIds[slot] === req.id;
    if (mine && this.sentHeaders[slot] === h) {
      this.nums[this.n++] = SAME;
      return;
    }
    if (mine) this.sentHeaders[slot] = h;
    const at = this.n++;
    let count = 0;
    for (const k in h) {
      const v = h[k] as string;
      this.room(2);
      this.nums[this.n++] = this.code(k);
      this.nums[this.n++] = k === 'traceparent' ? this.traceCode(v) : this.code(v);
      count++;
    }
    this.nums[at] = count;
  }

  /** A call is written whole: the batch goes once it is mostly full. */
  private ended(): void {
    if (this.n > this.nums.length - SPARE_NUMS || this.c > this.chars.length - SPARE_CHARS) {
      // A typed array drops writes past its end: a call that made too little room would be read back wrong, so it stops here.
      if (this.n > this.nums.length) throw new Error(`telemetry batch: a call wrote ${this.n} numbers into ${this.nums.length}`);
      this.flush();
    }
  }

  /** Makes room for `count` more numbers (a call's fields are then written straight into `nums`). */
  private room(count: number): void {
    if (this.n + count > this.nums.length) this.nums = grown(new Float64Array(Math.max(2 * this.nums.length, this.n + count)), this.nums);
  }

  /** A string's code: its id (given now if it has none), ABSENT for `undefined`; once the table is full, written out (`INLINE - length`). */
  private code(v: string | undefined): number {
    if (v === undefined) return ABSENT;
    const id = this.ids.get(v);
    if (id !== undefined) return id;
    if (this.ids.size >= this.maxIds) return this.text(v);
    return this.given(v);
  }

  /** A config object's code (its id, given the first time: it crosses as it is). */
  private idOf(v: object): number {
    return this.ids.get(v) ?? this.given(v);
  }

  private given(v: unknown): number {
    this.ids.set(v, this.nextId);
    this.fresh.push(v);
    return this.nextId++;
  }

  /** A trace context's code: its place in the table of recent traces when it is there, else written out (and, well formed, kept there). */
  private traceCode(s: string): number {
    if (s.length === TRACEPARENT_LENGTH) {
      const slot = traceSlot(s, RECENT_TRACES);
      if (this.traces[slot] === s) return slot;
      this.traces[slot] = s;
    }
    return this.text(s);
  }

  /** Writes a string out in the characters; its code is `INLINE - length`. */
  private text(s: string): number {
    const len = s.length;
    if (this.c + len > this.chars.length) this.chars = grown(new Uint16Array(Math.max(2 * this.chars.length, this.c + len)), this.chars);
    const chars = this.chars;
    const at = this.c;
    for (let i = 0; i < len; i++) chars[at + i] = s.charCodeAt(i);
    this.c = at + len;
    return INLINE - len;
  }

  /** Response flags: the id of the first list seen with the same flags (none: ABSENT). */
  private flagsCode(flags: readonly ResponseFlag[]): number {
    if (flags.length === 0) return ABSENT;
    const key = flags.length === 1 ? (flags[0] as string) : flags.join(',');
    let id = this.flagIds.get(key);
    if (id === undefined) {
      this.flagIds.set(key, (id = this.nextId++));
      this.fresh.push([...flags]);
    }
    return id;
  }
}

/** Room left in a batch below which it is sent (a call needs more only with many headers or long values: then the arrays grow). */
const SPARE_NUMS = 1_024;
const SPARE_CHARS = 4_096;
const MAX_IDS = 1 << 17;
/** Requests whose last headers, cluster and proxy are remembered (in flight at once, mostly: one more only writes them again). */
const RECENT = 4_096;
/** The numbers a call writes before its state and headers, each made room for before it is written. */
const START_NUMS = 15;
const INBOUND_NUMS = 11;
const END_NUMS = 9;

function grown<A extends Float64Array | Uint16Array>(into: A, from: A): A {
  into.set(from);
  return into;
}
