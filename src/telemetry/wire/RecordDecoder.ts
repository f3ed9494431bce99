import type { MeshXds, ProxyError, ResponseFlag, RouteOrigin } from '../../model/index.ts';
import type { ConnectionRecord } from '../ConnectionRecord.ts';
import { TRACEPARENT_LENGTH, traceSlot } from '../spanIds.ts';
import { emptyClientRecord, emptyConnectionRecord, emptyServerRecord } from '../RequestRecorder.ts';
import type { AttemptRecord, ClientRecord, ServerRecord } from '../RequestRecorder.ts';
import type { PoolLimit, TelemetryWriterPort } from '../TelemetryPlan.ts';
import { ABSENT, INLINE, Op, RECENT_TRACES, RecentRequests, SAME_AS_BEFORE, SAME_AS_TRACE } from './WireBatch.ts';
import type { RequestPart, WireBatch } from './WireBatch.ts';

/**
 * Reads the batches `RecordEncoder` wrote and makes the same calls on
 * `target`, in the same order. The records it hands over are reused from
 * one call to the next, as `RequestRecorder`'s are. `take` returns true
 * once the batch held the run's end.
 */
export class RecordDecoder {
  private readonly values: unknown[] = [];
  private nums: Float64Array = new Float64Array(0);
  private chars: Uint16Array = new Uint16Array(0);
  private i = 0;
  private c = 0;
  private readonly clientRecord: ClientRecord = emptyClientRecord();
  private readonly attempts: AttemptRecord[] = [];
  private readonly serverRecord: ServerRecord = emptyServerRecord();
  private readonly connectionRecord: ConnectionRecord = emptyConnectionRecord();
  private readonly recent = new RecentRequests();
  private readonly traces: string[] = new Array<string>(RECENT_TRACES).fill('');

  constructor(
    private readonly target: TelemetryWriterPort,
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
    // One call per record: the loop stays small (a large one is compiled again each time a rare call first comes).
    while (this.i < batch.numCount) if (this.call()) ended = true;
    if (this.c !== batch.charCount) throw new Error(`telemetry batch: read ${this.c} characters of ${batch.charCount}`);
    return ended;
  }

  /** Reads one call and makes it; true when it was the run's end. */
  private call(): boolean {
    const op = this.num();
    switch (op) {
      case Op.client:
        this.target.client(this.client());
        return false;
      case Op.server:
        this.target.server(this.server());
        return false;
      case Op.connection:
        this.target.connection?.(this.connection());
        return false;
      case Op.retried:
        this.target.retried(this.str());
        return false;
      case Op.retryOverflowed:
        this.target.retryOverflowed(this.str());
        return false;
      case Op.poolOverflowed: {
        const cluster = this.str();
        this.target.poolOverflowed(cluster, this.str() as PoolLimit);
        return false;
      }
      case Op.ejected:
        this.target.ejected(this.str());
        return false;
      case Op.unejected:
        this.target.unejected(this.str());
        return false;
      case Op.configPushed:
        this.target.configPushed(this.value(this.num()) as MeshXds);
        return false;
      case Op.scrapeUntil:
        this.target.scrapeUntil(this.num());
        return false;
      case Op.finish:
        this.target.finish(this.num());
        return true;
      default:
        throw new Error(`telemetry batch: unknown op ${op} at ${this.i - 1}`);
    }
  }

  private client(): ClientRecord {
    const r = this.clientRecord;
    const nums = this.nums;
    let i = this.i;
    r.requestId = nums[i++] as number;
    r.waypoint = this.value(nums[i++] as number) as string | undefined;
    r.start = nums[i++] as number;
    r.end = nums[i++] as number;
    this.i = i;
    this.request(r);
    this.recent.forget(r.requestId);
    i = this.i;
    r.sampled = nums[i++] === 1;
    r.parentSpan = nums[i++] as number;
    r.cluster = this.value(nums[i++] as number) as string | undefined;
    r.route = this.value(nums[i++] as number) as string | undefined;
    r.routeOrigin = this.value(nums[i++] as number) as RouteOrigin | undefined;
    r.status = nums[i++] as number;
    r.flags = this.flags(nums[i++] as number);
    r.error = this.value(nums[i++] as number) as ProxyError | undefined;
    r.shadow = nums[i++] === 1;
    r.requestBytes = nums[i++] as number;
    const count = nums[i++] as number;
    const attempts = this.attempts;
    for (let k = 0; k < count; k++) {
      let a = attempts[k];
      if (a === undefined) attempts.push((a = { n: 0, start: 0, end: undefined, endpoint: undefined, status: 0, flags: NO_FLAGS, mtls: false }));
      a.n = nums[i++] as number;
      a.start = nums[i++] as number;
      const end = nums[i++] as number;
      a.end = Number.isNaN(end) ? undefined : end;
      a.endpoint = this.value(nums[i++] as number) as string | undefined;
      a.status = nums[i++] as number;
      a.flags = this.flags(nums[i++] as number);
      a.mtls = nums[i++] === 1;
    }
    this.i = i;
    attempts.length = count;
    r.attempts = attempts;
    return r;
  }

  private server(): ServerRecord {
    const r = this.serverRecord;
    const nums = this.nums;
    let i = this.i;
    r.requestId = nums[i++] as number;
    r.attempt = nums[i++] as number;
    r.pod = this.value(nums[i++] as number) as string;
    r.start = nums[i++] as number;
    r.end = nums[i++] as number;
    r.sourceWorkload = this.value(nums[i++] as number) as string;
    r.sourcePrincipal = this.value(nums[i++] as number) as string | undefined;
    r.destinationPrincipal = this.value(nums[i++] as number) as string | undefined;
    this.i = i;
    this.request(r);
    i = this.i;
    r.status = nums[i++] as number;
    r.denied = nums[i++] === 1;
    r.mtls = nums[i++] === 1;
    r.shadow = nums[i++] === 1;
    r.sampled = nums[i++] === 1;
    r.parentSpan = nums[i++] as number;
    r.cluster = this.value(nums[i++] as number) as string | undefined;
    r.requestBytes = nums[i++] as number;
    this.i = i;
    this.recent.calleeRecorded(r.requestId, r.cluster);
    return r;
  }

  private connection(): ConnectionRecord {
    const r = this.connectionRecord;
    const nums = this.nums;
    let i = this.i;
    r.reporter = nums[i++] === 0 ? 'source' : 'destination';
    r.source = this.value(nums[i++] as number) as string;
    r.destination = this.value(nums[i++] as number) as string;
    r.host = this.value(nums[i++] as number) as string;
    r.mtls = nums[i++] === 1;
    r.denied = nums[i++] === 1;
    r.requestBytes = nums[i++] as number;
    r.responseBytes = nums[i++] as number;
    r.requestId = nums[i++] as number;
    r.port = nums[i++] as number;
    r.cluster = this.value(nums[i++] as number) as string | undefined;
    r.start = nums[i++] as number;
    r.end = nums[i++] as number;
    r.deniedBy = this.value(nums[i++] as number) as string | undefined;
    this.i = i;
    return r;
  }

  private num(): number {
    return this.nums[this.i++] as number;
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

  /** The request's part of a record (its `requestId` already read). */
  private request(r: RequestPart): void {
    const nums = this.nums;
    let i = this.i;
    if (nums[i] === SAME_AS_BEFORE) {
      this.i = i + 1;
      this.recent.into(r);
      return;
    }
    r.fromPod = this.value(nums[i++] as number) as string;
    r.host = this.value(nums[i++] as number) as string;
    r.port = nums[i++] as number;
    r.method = this.value(nums[i++] as number) as string;
    r.path = this.value(nums[i++] as number) as string;
    r.trace = this.trace(nums[i++] as number);
    this.i = i;
    r.headers = this.headers(r.trace);
    this.recent.keep(r);
  }

  /** A trace context: from the table of recent traces, or written out (and then kept there, as the encoder did). */
  private trace(code: number): string {
    if (code >= 0) return this.traces[code] as string;
    const s = this.value(code) as string;
    if (s.length === TRACEPARENT_LENGTH) this.traces[traceSlot(s, RECENT_TRACES)] = s;
    return s;
  }

  private str(): string {
    return this.value(this.num()) as string;
  }

  private headers(trace: string): Record<string, string> {
    // A plain object, as the engine's: the same names in the same order share a shape, so making and reading one is quick.
    const h: Record<string, string> = {};
    const nums = this.nums;
    let i = this.i;
    const count = nums[i++] as number;
    for (let k = 0; k < count; k++) {
      const key = this.value(nums[i++] as number) as string;
      const code = nums[i++] as number;
      h[key] = code === SAME_AS_TRACE ? trace : (this.value(code) as string);
    }
    this.i = i;
    return h;
  }

  private flags(code: number): readonly ResponseFlag[] {
    return code === ABSENT ? NO_FLAGS : (this.values[code] as readonly ResponseFlag[]);
  }
}

const NO_FLAGS: readonly ResponseFlag[] = [];

/** The UTF-16 units `from` to `to` as a string, a piece at a time (`fromCharCode` takes its arguments on the stack). */
function charsToString(chars: Uint16Array, from: number, to: number): string {
  if (to - from <= PIECE) return String.fromCharCode.apply(null, chars.subarray(from, to) as unknown as number[]);
  let s = '';
  for (let at = from; at < to; at += PIECE) s += String.fromCharCode.apply(null, chars.subarray(at, Math.min(to, at + PIECE)) as unknown as number[]);
  return s;
}

const PIECE = 8_192;
