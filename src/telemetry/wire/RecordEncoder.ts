import type { MeshXds, Micros, ResponseFlag } from '../../model/index.ts';
import { TRACEPARENT_LENGTH, traceSlot } from '../spanIds.ts';
import type { ConnectionRecord } from '../ConnectionRecord.ts';
import type { ClientRecord, ServerRecord } from '../RequestRecorder.ts';
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
    this.num(Op.client);
    this.num(r.requestId);
    this.value(r.waypoint);
    this.num(r.start);
    this.num(r.end);
    this.request(r);
    this.num(r.sampled ? 1 : 0);
    this.num(r.parentSpan);
    this.value(r.cluster);
    this.value(r.route);
    this.value(r.routeOrigin);
    this.num(r.status);
    this.flags(r.flags);
    this.value(r.error);
    this.num(r.shadow ? 1 : 0);
    this.num(r.requestBytes);
    this.num(r.attempts.length);
    for (const a of r.attempts) {
      this.num(a.n);
      this.num(a.start);
      this.num(a.end === undefined ? Number.NaN : a.end);
      this.value(a.endpoint);
      this.num(a.status);
      this.flags(a.flags);
      this.num(a.mtls ? 1 : 0);
    }
    this.ended();
  }

  server(r: ServerRecord): void {
    this.num(Op.server);
    this.num(r.requestId);
    this.num(r.attempt);
    this.value(r.pod);
    this.num(r.start);
    this.num(r.end);
    this.value(r.sourceWorkload);
    this.value(r.sourcePrincipal);
    this.value(r.destinationPrincipal);
    this.request(r);
    this.num(r.status);
    this.num(r.denied ? 1 : 0);
    this.num(r.mtls ? 1 : 0);
    this.num(r.shadow ? 1 : 0);
    this.num(r.sampled ? 1 : 0);
    this.num(r.parentSpan);
    this.value(r.cluster);
    this.num(r.requestBytes);
    this.ended();
  }

  connection(r: ConnectionRecord): void {
    this.num(Op.connection);
    this.num(r.reporter === 'source' ? 0 : 1);
    this.value(r.source);
    this.value(r.destination);
    this.value(r.host);
    this.num(r.mtls ? 1 : 0);
    this.num(r.denied ? 1 : 0);
    this.num(r.requestBytes);
    this.num(r.responseBytes);
    this.num(r.requestId);
    this.num(r.port);
    this.value(r.cluster);
    this.num(r.start);
    this.num(r.end);
    this.value(r.deniedBy);
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
    this.value(cluster);
    this.value(limit);
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
    this.value(xds);
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
    this.value(cluster);
    this.ended();
  }

  /** A call is written whole: the batch goes once it is mostly full. */
  private ended(): void {
    if (this.n > this.nums.length - SPARE_NUMS || this.c > this.chars.length - SPARE_CHARS) this.flush();
  }

  private num(x: number): void {
    if (this.n === this.nums.length) this.nums = grown(this.nums, new Float64Array(2 * this.nums.length));
    this.nums[this.n++] = x;
  }

  /** A value by its id (given now if it has none), `undefined` as ABSENT; a string once the table is full, written out. */
  private value(v: unknown): void {
    if (v === undefined) return this.num(ABSENT);
    const id = this.ids.get(v);
    if (id !== undefined) return this.num(id);
    if (typeof v === 'string' && this.ids.size >= this.maxIds) return this.text(v);
    this.ids.set(v, this.nextId);
    this.fresh.push(v);
    this.num(this.nextId++);
  }

  /** The request's part of a record: written the first time, then said to be the one before. */
  private request(r: RequestPart): void {
    if (this.recent.same(r)) return this.num(SAME_AS_BEFORE);
    this.recent.keep(r);
    this.value(r.fromPod);
    this.value(r.host);
    this.num(r.port);
    this.value(r.method);
    this.value(r.path);
    this.trace(r.trace);
    this.headers(r.headers, r.trace);
  }

  /** A trace context: its place in the table of recent traces when it is there, else written out (and, well formed, kept there). */
  private trace(s: string): void {
    if (s.length === TRACEPARENT_LENGTH) {
      const slot = traceSlot(s, RECENT_TRACES);
      if (this.traces[slot] === s) return this.num(slot);
      this.traces[slot] = s;
    }
    this.text(s);
  }

  /** A string written out in the characters. */
  private text(s: string): void {
    const len = s.length;
    if (this.c + len > this.chars.length) this.chars = grown(this.chars, new Uint16Array(Math.max(2 * this.chars.length, this.c + len)));
    const chars = this.chars;
    const at = this.c;
    for (let i = 0; i < len; i++) chars[at + i] = s.charCodeAt(i);
    this.c = at + len;
    this.num(INLINE - len);
  }

  /** Names and values by id, but the trace context the record carries, which is not written again. */
  private headers(h: Readonly<Record<string, string>>, trace: string): void {
    const at = this.n;
    this.num(0);
    let count = 0;
    for (const k in h) {
      this.value(k);
      const v = h[k] as string;
      if (v === trace) this.num(SAME_AS_TRACE);
      else this.value(v);
      count++;
    }
    this.nums[at] = count;
  }

  /** Response flags by the id of the first list seen with the same flags (none: ABSENT). */
  private flags(flags: readonly ResponseFlag[]): void {
    if (flags.length === 0) return this.num(ABSENT);
    const key = flags.length === 1 ? (flags[0] as string) : flags.join(',');
    let id = this.flagIds.get(key);
    if (id === undefined) {
      this.flagIds.set(key, (id = this.nextId++));
      this.fresh.push([...flags]);
    }
    this.num(id);
  }
}

/** Room left in a batch below which it is sent (a record needs more only with many headers or long values: then the arrays grow). */
const SPARE_NUMS = 1_024;
const SPARE_CHARS = 4_096;
const MAX_IDS = 1 << 17;

function grown<A extends Float64Array | Uint16Array>(into: A, from: A): A {
  into.set(from);
  return into;
}
