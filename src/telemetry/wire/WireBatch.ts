import type { ClientRecord } from '../RequestRecorder.ts';
/**
 * Records on their way to writers on another thread: a batch is numbers
 * (op codes, fields, and for each string either its id or its length),
 * the characters of the strings written out whole, and the values first
 * used in it (strings and config objects, by id), which cross as they are.
 */
export interface WireBatch {
  nums: Float64Array;
  numCount: number;
  chars: Uint16Array;
  charCount: number;
  /** Values given ids in this batch, in id order (the ids before them were given in earlier batches). */
  fresh: unknown[];
}

/** The arrays a batch is written into. */
export interface WireBuffers {
  nums: Float64Array;
  chars: Uint16Array;
}

/** How batches leave: `send` takes a full one and gives the arrays to write the next into. */
export interface WireTransport {
  first(): WireBuffers;
  send(batch: WireBatch): WireBuffers;
}

/** Numbers and characters a batch holds before it is sent (a record that does not fit gets larger arrays). */
export const BATCH_NUMS = 65_536;
export const BATCH_CHARS = 65_536;

/** Arrays of the usual size for a batch. */
export function batchBuffers(): WireBuffers {
  return { nums: new Float64Array(BATCH_NUMS), chars: new Uint16Array(BATCH_CHARS) };
}

export const Op = {
  client: 1,
  server: 2,
  connection: 3,
  retried: 4,
  retryOverflowed: 5,
  poolOverflowed: 6,
  ejected: 7,
  unejected: 8,
  configPushed: 9,
  scrapeUntil: 10,
  finish: 11,
} as const;

/** A field with no value (`undefined`). */
export const ABSENT = -1;
/** A header whose value is the record's trace context (`traceparent`, most often). */
export const SAME_AS_TRACE = -2;
/** The request's part of a record (caller, address, headers, trace) is the last record of the same request's (`RecentRequests`). */
export const SAME_AS_BEFORE = -3;
/** A string written out in the batch's characters is coded `INLINE - length`. */
export const INLINE = -4;

/** Trace contexts kept on both sides (`traceSlot`): a request's trace field is its place there (≥ 0), or the context written out. */
export const RECENT_TRACES = 1_024;

/** What the records of one request share: a request's records at the callee's sidecar (one per attempt) and at the caller's carry the same. */
export type RequestPart = Pick<ClientRecord, 'requestId' | 'fromPod' | 'host' | 'port' | 'method' | 'path' | 'headers' | 'trace'>;

/**
 * The request part last written for a request, in a small table indexed by
 * the request's id, kept alike on both sides: written once, then said to
 * be the one before.
 */
export class RecentRequests {
  private readonly slots: Array<RequestPart | undefined> = new Array<RequestPart | undefined>(RECENT).fill(undefined);

  /** Whether `r`'s request part is the one kept for its request (the same strings and headers, not copies). */
  same(r: RequestPart): boolean {
    const k = this.slots[r.requestId & (RECENT - 1)];
    return k !== undefined && k.requestId === r.requestId && k.fromPod === r.fromPod && k.host === r.host && k.port === r.port && k.method === r.method && k.path === r.path && k.headers === r.headers && k.trace === r.trace;
  }

  /** Keeps `r`'s request part (copied into the slot's own object). */
  keep(r: RequestPart): void {
    const i = r.requestId & (RECENT - 1);
    copyPart(r, (this.slots[i] ??= { requestId: -1, fromPod: '', host: '', port: 0, method: '', path: '', headers: {}, trace: '' }));
  }

  /**
   * A callee's record of the request is written: when it has no cluster its
   * caller had no sidecar, so no record from the caller's side follows and
   * this one was the request's last (both sides decide it here, alike).
   */
  calleeRecorded(requestId: number, cluster: string | undefined): void {
    if (cluster === undefined) this.forget(requestId);
  }

  /**
   * The request's own record is written, its last: the slot lets go of the
   * request's headers and trace context. Kept until the slot is reused
   * (up to RECENT requests later), they would outlive the request and be
   * moved to the old generation, which then fills with them.
   */
  forget(requestId: number): void {
    const k = this.slots[requestId & (RECENT - 1)];
    if (k === undefined || k.requestId !== requestId) return;
    k.requestId = -1;
    k.headers = NO_HEADERS;
    k.trace = '';
  }

  /** Sets `r`'s request part to the one kept for its request. */
  into(r: RequestPart): void {
    copyPart(this.slots[r.requestId & (RECENT - 1)] as RequestPart, r);
  }
}

function copyPart(from: RequestPart, to: RequestPart): void {
  to.requestId = from.requestId;
  to.fromPod = from.fromPod;
  to.host = from.host;
  to.port = from.port;
  to.method = from.method;
  to.path = from.path;
  to.headers = from.headers;
  to.trace = from.trace;
}

const RECENT = 1_024;
const NO_HEADERS: Readonly<Record<string, string>> = {};
