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
export const BATCH_NUMS = 16_384;
export const BATCH_CHARS = 32_768;

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
/** A trace context the last record of the same request carried (`RecentTraces`). */
export const SAME_AS_BEFORE = -3;
/** A string written out in the batch's characters is coded `INLINE - length`. */
export const INLINE = -4;

/**
 * The trace context last written for a request, in a small table indexed by
 * the request's id, kept alike on both sides: a request's records at the
 * callee's and the caller's sidecars carry the same one, written once.
 */
export class RecentTraces {
  private readonly ids = new Float64Array(RECENT).fill(-1);
  private readonly traces: string[] = new Array<string>(RECENT).fill('');

  /** The trace last kept for `requestId`, if it is still there. */
  get(requestId: number): string | undefined {
    const i = requestId & (RECENT - 1);
    return this.ids[i] === requestId ? this.traces[i] : undefined;
  }

  set(requestId: number, trace: string): void {
    const i = requestId & (RECENT - 1);
    this.ids[i] = requestId;
    this.traces[i] = trace;
  }
}

const RECENT = 4_096;
