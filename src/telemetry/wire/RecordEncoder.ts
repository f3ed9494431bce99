import type { MeshXds, Micros, ResponseFlag } from '../../model/index.ts';
import { TRACEPARENT_LENGTH, traceSlot } from '../spanIds.ts';
import type { ConnectionRecord } from '../ConnectionRecord.ts';
import type { AttemptRecord, ClientRecord, ServerRecord } from '../RequestRecorder.ts';
import type { PoolLimit, TelemetryWriterPort } from '../TelemetryPlan.ts';
import { ABSENT, INLINE, Op, RECENT_TRACES, RecentRequests, SAME_AS_BEFORE, SAME_AS_TRACE } from './WireBatch.ts';
import type { RequestPart, WireTransport } from './WireBatch.ts';

/**
 * The writers' side of a run's telemetry as seen from the run's thread:
 * each call is written into a batch of numbers (`WireBatch`) that `send`
 * carries to `RecordDecoder`, which makes the same calls on the writers
 * there. Names, hosts, paths, clusters and config objects get an id the
 * first time they are seen and cross once; a trace context crosses once
 * for the requests of its trace seen close together (`RECENT_TRACES`);
 * other header values are written out. Nothing is built per record but
 * the numbers.
 */
export class RecordEncoder implements TelemetryWriterPort {
  private nums: Float64Array;
  private chars: Uint16Array;
  private n = 0;
  private c = 0;
  private readonly ids = new Map<unknown, number>();
  private readonly flagIds = new Map<string, number>();
  private nextId = 0;
  private fresh: unknown[] = [];
  private readonly recent = new RecentRequests();
  /** The trace contexts last written, by `traceSlot` (the decoder keeps the same table). */
  private readonly traces: string[] = new Array<string>(RECENT_TRACES).fill('');

  constructor(
    private readonly transport: WireTransport,
    /** Values given ids at most (a run with ever new paths writes the rest out). */
    private readonly maxIds = MAX_IDS,
  ) {
    const first = transport.first();
    this.nums = first.nums;
    this.chars = first.chars;
  }

  client(r: ClientRecord): void {
    const attempts = r.attempts;
    this.room(CLIENT_HEAD_NUMS);
    let nums = this.nums;
    let n = this.n;
    nums[n++] = Op.client;
    nums[n++] = r.requestId;
    nums[n++] = this.code(r.waypoint);
    nums[n++] = r.start;
    nums[n++] = r.end;
    this.n = n;
    this.request(r);
    // A request's record from the caller's side comes after every one from the callee's: its part is not asked for again.
    this.recent.forget(r.requestId);
    this.room(CLIENT_TAIL_NUMS + ATTEMPT_NUMS * attempts.length);
    nums = this.nums;
    n = this.n;
    nums[n++] = r.sampled ? 1 : 0;
    nums[n++] = r.parentSpan;
    nums[n++] = this.code(r.cluster);
    nums[n++] = this.code(r.route);
    nums[n++] = this.code(r.routeOrigin);
    nums[n++] = r.status;
    nums[n++] = this.flagsCode(r.flags);
    nums[n++] = this.code(r.error);
    nums[n++] = r.shadow ? 1 : 0;
    nums[n++] = r.requestBytes;
    nums[n++] = attempts.length;
    for (let k = 0; k < attempts.length; k++) {
      const a = attempts[k] as AttemptRecord;
      nums[n++] = a.n;
      nums[n++] = a.start;
      nums[n++] = a.end === undefined ? Number.NaN : a.end;
      nums[n++] = this.code(a.endpoint);
      nums[n++] = a.status;
      nums[n++] = this.flagsCode(a.flags);
      nums[n++] = a.mtls ? 1 : 0;
    }
    this.n = n;
    this.ended();
  }

  server(r: ServerRecord): void {
    this.room(SERVER_HEAD_NUMS);
    let nums = this.nums;
    let n = this.n;
    nums[n++] = Op.server;
    nums[n++] = r.requestId;
    nums[n++] = r.attempt;
    nums[n++] = this.code(r.pod);
    nums[n++] = r.start;
    nums[n++] = r.end;
    nums[n++] = this.code(r.sourceWorkload);
    nums[n++] = this.code(r.sourcePrincipal);
    nums[n++] = this.code(r.destinationPrincipal);
    this.n = n;
    this.request(r);
    this.room(SERVER_TAIL_NUMS);
    nums = this.nums;
    n = this.n;
    nums[n++] = r.status;
    nums[n++] = r.denied ? 1 : 0;
    nums[n++] = r.mtls ? 1 : 0;
    nums[n++] = r.shadow ? 1 : 0;
    nums[n++] = r.sampled ? 1 : 0;
    nums[n++] = r.parentSpan;
    nums[n++] = this.code(r.cluster);
    nums[n++] = r.requestBytes;
    this.n = n;
    this.recent.calleeRecorded(r.requestId, r.cluster);
    this.ended();
  }

  connection(r: ConnectionRecord): void {
    this.room(CONNECTION_NUMS);
    const nums = this.nums;
    let n = this.n;
    nums[n++] = Op.connection;
    nums[n++] = r.reporter === 'source' ? 0 : 1;
    nums[n++] = this.code(r.source);
    nums[n++] = this.code(r.destination);
    nums[n++] = this.code(r.host);
    nums[n++] = r.mtls ? 1 : 0;
    nums[n++] = r.denied ? 1 : 0;
    nums[n++] = r.requestBytes;
    nums[n++] = r.responseBytes;
    nums[n++] = r.requestId;
    nums[n++] = r.port;
    nums[n++] = this.code(r.cluster);
    nums[n++] = r.start;
    nums[n++] = r.end;
    nums[n++] = this.code(r.deniedBy);
    this.n = n;
    this.ended();
  }

  retried(cluster: string): void {
    this.clusterOp(Op.retried, cluster);
  }

  retryOverflowed(cluster: string): void {
    this.clusterOp(Op.retryOverflowed, cluster);
  }

  poolOverflowed(cluster: string, limit: PoolLimit): void {
    this.num(Op.poolOverflowed);
    this.num(this.code(cluster));
    this.num(this.code(limit));
    this.ended();
  }

  ejected(cluster: string): void {
    this.clusterOp(Op.ejected, cluster);
  }

  unejected(cluster: string): void {
    this.clusterOp(Op.unejected, cluster);
  }

  configPushed(xds: MeshXds): void {
    this.num(Op.configPushed);
    this.num(this.code(xds));
    this.ended();
  }

  scrapeUntil(t: Micros): void {
    this.num(Op.scrapeUntil);
    this.num(t);
    this.ended();
  }

  /** The last call: what is left goes now. */
  finish(now: Micros): void {
    this.num(Op.finish);
    this.num(now);
    this.flush();
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

  private clusterOp(op: number, cluster: string): void {
    this.num(op);
    this.num(this.code(cluster));
    this.ended();
  }

  /** A call is written whole: the batch goes once it is mostly full. */
  private ended(): void {
    if (this.n > this.nums.length - SPARE_NUMS || this.c > this.chars.length - SPARE_CHARS) {
      // A typed array drops writes past its end: a record that made too little room would be read back wrong, so it stops here.
      if (this.n > this.nums.length) throw new Error(`telemetry batch: a record wrote ${this.n} numbers into ${this.nums.length}`);
      this.flush();
    }
  }

  /** Makes room for `count` more numbers (a record's fields are then written straight into `nums`). */
  private room(count: number): void {
    if (this.n + count > this.nums.length) this.nums = grown(new Float64Array(Math.max(2 * this.nums.length, this.n + count)), this.nums);
  }

  private num(x: number): void {
    this.room(1);
    this.nums[this.n++] = x;
  }

  /** A value's code: its id (given now if it has none), ABSENT for `undefined`; a string once the table is full is written out (`INLINE - length`). */
  private code(v: unknown): number {
    if (v === undefined) return ABSENT;
    const id = this.ids.get(v);
    if (id !== undefined) return id;
    if (typeof v === 'string' && this.ids.size >= this.maxIds) return this.text(v);
    this.ids.set(v, this.nextId);
    this.fresh.push(v);
    return this.nextId++;
  }

  /** The request's part of a record: written the first time, then said to be the one before. */
  private request(r: RequestPart): void {
    if (this.recent.same(r)) return this.num(SAME_AS_BEFORE);
    this.recent.keep(r);
    this.room(REQUEST_NUMS);
    const nums = this.nums;
    let n = this.n;
    nums[n++] = this.code(r.fromPod);
    nums[n++] = this.code(r.host);
    nums[n++] = r.port;
    nums[n++] = this.code(r.method);
    nums[n++] = this.code(r.path);
    nums[n++] = this.traceCode(r.trace);
    this.n = n;
    this.headers(r.headers, r.trace);
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

  /** Names and values by id, but the trace context the record carries, which is not written again. */
  private headers(h: Readonly<Record<string, string>>, trace: string): void {
    const at = this.n;
    this.num(0);
    let count = 0;
    for (const k in h) {
      const v = h[k] as string;
      this.room(2);
      this.nums[this.n++] = this.code(k);
      this.nums[this.n++] = v === trace ? SAME_AS_TRACE : this.code(v);
      count++;
    }
    this.nums[at] = count;
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

/** Room left in a batch below which it is sent (a record needs more only with many headers or long values: then the arrays grow). */
const SPARE_NUMS = 1_024;
const SPARE_CHARS = 4_096;
const MAX_IDS = 1 << 17;
/** The numbers a record writes before its request's part and after it (then its attempts'), each made room for before it is written. */
const CLIENT_HEAD_NUMS = 5;
const CLIENT_TAIL_NUMS = 11;
const ATTEMPT_NUMS = 7;
const SERVER_HEAD_NUMS = 9;
const SERVER_TAIL_NUMS = 8;
const CONNECTION_NUMS = 15;
/** A request part's numbers before its headers. */
const REQUEST_NUMS = 6;

function grown<A extends Float64Array | Uint16Array>(into: A, from: A): A {
  into.set(from);
  return into;
}
