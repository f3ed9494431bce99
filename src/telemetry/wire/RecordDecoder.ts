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
    while (this.i < batch.numCount) {
      const op = this.num();
      switch (op) {
        case Op.client:
          this.target.client(this.client());
          break;
        case Op.server:
          this.target.server(this.server());
          break;
        case Op.connection:
          this.target.connection?.(this.connection());
          break;
        case Op.retried:
          this.target.retried(this.str());
          break;
        case Op.retryOverflowed:
          this.target.retryOverflowed(this.str());
          break;
        case Op.poolOverflowed: {
          const cluster = this.str();
          this.target.poolOverflowed(cluster, this.str() as PoolLimit);
          break;
        }
        case Op.ejected:
          this.target.ejected(this.str());
          break;
        case Op.unejected:
          this.target.unejected(this.str());
          break;
        case Op.configPushed:
          this.target.configPushed(this.value() as MeshXds);
          break;
        case Op.scrapeUntil:
          this.target.scrapeUntil(this.num());
          break;
        case Op.finish:
          this.target.finish(this.num());
          ended = true;
          break;
        default:
          throw new Error(`telemetry batch: unknown op ${op} at ${this.i - 1}`);
      }
    }
    if (this.c !== batch.charCount) throw new Error(`telemetry batch: read ${this.c} characters of ${batch.charCount}`);
    return ended;
  }

  private client(): ClientRecord {
    const r = this.clientRecord;
    r.requestId = this.num();
    r.waypoint = this.optStr();
    r.start = this.num();
    r.end = this.num();
    this.request(r);
    r.sampled = this.num() === 1;
    r.parentSpan = this.num();
    r.cluster = this.optStr();
    r.route = this.optStr();
    r.routeOrigin = this.value() as RouteOrigin | undefined;
    r.status = this.num();
    r.flags = this.flags();
    r.error = this.value() as ProxyError | undefined;
    r.shadow = this.num() === 1;
    r.requestBytes = this.num();
    const count = this.num();
    const attempts = this.attempts;
    for (let k = 0; k < count; k++) {
      let a = attempts[k];
      if (a === undefined) attempts.push((a = { n: 0, start: 0, end: undefined, endpoint: undefined, status: 0, flags: NO_FLAGS, mtls: false }));
      a.n = this.num();
      a.start = this.num();
      const end = this.num();
      a.end = Number.isNaN(end) ? undefined : end;
      a.endpoint = this.optStr();
      a.status = this.num();
      a.flags = this.flags();
      a.mtls = this.num() === 1;
    }
    attempts.length = count;
    r.attempts = attempts;
    return r;
  }

  private server(): ServerRecord {
    const r = this.serverRecord;
    r.requestId = this.num();
    r.attempt = this.num();
    r.pod = this.str();
    r.start = this.num();
    r.end = this.num();
    r.sourceWorkload = this.str();
    r.sourcePrincipal = this.optStr();
    r.destinationPrincipal = this.optStr();
    this.request(r);
    r.status = this.num();
    r.denied = this.num() === 1;
    r.mtls = this.num() === 1;
    r.shadow = this.num() === 1;
    r.sampled = this.num() === 1;
    r.parentSpan = this.num();
    r.cluster = this.optStr();
    r.requestBytes = this.num();
    return r;
  }

  private connection(): ConnectionRecord {
    const r = this.connectionRecord;
    r.reporter = this.num() === 0 ? 'source' : 'destination';
    r.source = this.str();
    r.destination = this.str();
    r.host = this.str();
    r.mtls = this.num() === 1;
    r.denied = this.num() === 1;
    r.requestBytes = this.num();
    r.responseBytes = this.num();
    r.requestId = this.num();
    r.port = this.num();
    r.cluster = this.optStr();
    r.start = this.num();
    r.end = this.num();
    r.deniedBy = this.optStr();
    return r;
  }

  private num(): number {
    return this.nums[this.i++] as number;
  }

  private value(): unknown {
    const code = this.num();
    if (code >= 0) return this.values[code];
    if (code === ABSENT) return undefined;
    const len = INLINE - code;
    const at = this.c;
    this.c = at + len;
    return this.stringOf(this.chars, at, at + len);
  }

  /** The request's part of a record (its `requestId` already read). */
  private request(r: RequestPart): void {
    if (this.nums[this.i] === SAME_AS_BEFORE) {
      this.i++;
      this.recent.into(r);
      return;
    }
    r.fromPod = this.str();
    r.host = this.str();
    r.port = this.num();
    r.method = this.str();
    r.path = this.str();
    r.trace = this.trace();
    r.headers = this.headers(r.trace);
    this.recent.keep(r);
  }

  /** A trace context: from the table of recent traces, or written out (and then kept there, as the encoder did). */
  private trace(): string {
    const code = this.nums[this.i] as number;
    if (code >= 0) {
      this.i++;
      return this.traces[code] as string;
    }
    const s = this.str();
    if (s.length === TRACEPARENT_LENGTH) this.traces[traceSlot(s, RECENT_TRACES)] = s;
    return s;
  }

  private str(): string {
    return this.value() as string;
  }

  private optStr(): string | undefined {
    return this.value() as string | undefined;
  }

  private headers(trace: string): Record<string, string> {
    // Without a prototype: a header named `__proto__` is a header like any other.
    const h = Object.create(null) as Record<string, string>;
    const count = this.num();
    for (let k = 0; k < count; k++) {
      const key = this.str();
      if (this.nums[this.i] === SAME_AS_TRACE) {
        this.i++;
        h[key] = trace;
      } else h[key] = this.str();
    }
    return h;
  }

  private flags(): readonly ResponseFlag[] {
    const code = this.num();
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
