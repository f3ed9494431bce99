/**
 * A run's telemetry calls on their way to the outputs on another thread:
 * a batch is numbers (call codes, arguments, and for each string either
 * its id or its length),
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

/** What a batch's numbers begin with for each `RunTelemetry` call (`CallEncoder`). */
export const Call = {
  requestStarted: 1,
  traceStarted: 2,
  attemptPicked: 3,
  attemptSent: 4,
  attemptEnded: 5,
  denied: 6,
  inboundCompleted: 7,
  requestEnded: 8,
  retried: 9,
  retryOverflowed: 10,
  poolOverflowed: 11,
  ejected: 12,
  unejected: 13,
  configPushed: 14,
  finish: 15,
} as const;

/** A field with no value (`undefined`). */
export const ABSENT = -1;
/** A request's headers, cluster or client proxy are those last written for it (the engine kept them). */
export const SAME = -2;
/** A string written out in the batch's characters is coded `INLINE - length`. */
export const INLINE = -4;

/** Trace contexts kept on both sides (`traceSlot`): a request's trace field is its place there (≥ 0), or the context written out. */
export const RECENT_TRACES = 1_024;

