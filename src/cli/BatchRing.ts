import { BATCH_CHARS, BATCH_NUMS } from '../telemetry/index.ts';
import type { WireBatch, WireBuffers } from '../telemetry/index.ts';

/** Batches written and not yet taken at most: past that the writer waits, so memory stays at the ring's size. */
const SLOTS = 8;

/** The ring's memory, shared by both threads (it crosses to the worker as it is). */
export interface RingMemory {
  /** Batches published, batches taken, and 1 once the taker failed. */
  control: Int32Array;
  /** Per slot: its numbers, its characters, and 1 when a message goes with it. */
  counts: Int32Array;
  nums: Float64Array[];
  chars: Uint16Array[];
}

/** What goes by message with a batch: the values it first used, and its arrays when it outgrew its slot. */
export interface RingMessage {
  batch: number;
  fresh: unknown[];
  nums?: Float64Array;
  chars?: Uint16Array;
}

const PRODUCED = 0;
const TAKEN = 1;
const FAILED = 2;
/** 1 while the writer waits for a slot: the taker wakes it only then. */
const WRITER_WAITS = 3;

/**
 * Batches of telemetry records passed from the run's thread to the writers'
 * thread through shared memory: `SLOTS` slots of fixed size used in turn,
 * two counters and `Atomics.wait` on each side, so handing a batch over
 * copies and allocates nothing. Batch `n` is in slot `n % SLOTS`. The run
 * never makes a system call to hand a batch over: the taker looks for the
 * next each millisecond, and wakes the run only when it says it waits for
 * a free slot.
 */
export class BatchRing {
  readonly memory: RingMemory;

  constructor(memory?: RingMemory) {
    this.memory = memory ?? {
      control: new Int32Array(new SharedArrayBuffer(4 * 4)),
      counts: new Int32Array(new SharedArrayBuffer(4 * 3 * SLOTS)),
      nums: Array.from({ length: SLOTS }, () => new Float64Array(new SharedArrayBuffer(8 * BATCH_NUMS))),
      chars: Array.from({ length: SLOTS }, () => new Uint16Array(new SharedArrayBuffer(2 * BATCH_CHARS))),
    };
  }

  /** The arrays of batch `n`'s slot. */
  slot(n: number): WireBuffers {
    const s = n % SLOTS;
    return { nums: this.memory.nums[s] as Float64Array, chars: this.memory.chars[s] as Uint16Array };
  }

  /** Whether `batch` was written in batch `n`'s slot (it did not outgrow it). */
  holds(n: number, batch: WireBatch): boolean {
    const s = n % SLOTS;
    return batch.nums === this.memory.nums[s] && batch.chars === this.memory.chars[s];
  }

  produced(): number {
    return Atomics.load(this.memory.control, PRODUCED);
  }

  /** Batch `n` is written: its counts, and whether a message goes with it. */
  publish(n: number, numCount: number, charCount: number, message: boolean): void {
    const { control, counts } = this.memory;
    const s = n % SLOTS;
    counts[3 * s] = numCount;
    counts[3 * s + 1] = charCount;
    counts[3 * s + 2] = message ? 1 : 0;
    // The taker looks again each millisecond: waking it would cost the run a system call per batch.
    Atomics.store(control, PRODUCED, n + 1);
  }

  /** Whether batch `n` may be written: the batch that used its slot before has been taken. */
  free(n: number): boolean {
    return n - Atomics.load(this.memory.control, TAKEN) < SLOTS;
  }

  /** Waits (at most `ms`) for the taker to take another batch than batch `n - SLOTS`. */
  waitTaken(n: number, ms: number): void {
    const control = this.memory.control;
    const taken = Atomics.load(control, TAKEN);
    Atomics.store(control, WRITER_WAITS, 1);
    // Looked at again once the flag is up: a batch taken in between is not waited for.
    if (!this.free(n) && Atomics.load(control, FAILED) === 0) Atomics.wait(control, TAKEN, taken, ms);
    Atomics.store(control, WRITER_WAITS, 0);
  }

  /** The taker's side: waits until batch `n` is published, then gives its counts. */
  await(n: number): { numCount: number; charCount: number; message: boolean } {
    const { control, counts } = this.memory;
    while (Atomics.load(control, PRODUCED) <= n) Atomics.wait(control, PRODUCED, n, 1);
    const s = n % SLOTS;
    return { numCount: counts[3 * s] as number, charCount: counts[3 * s + 1] as number, message: counts[3 * s + 2] === 1 };
  }

  /** The taker is done with batch `n`: its slot may be written again. */
  taken(n: number): void {
    const control = this.memory.control;
    Atomics.store(control, TAKEN, n + 1);
    if (Atomics.load(control, WRITER_WAITS) !== 0) Atomics.notify(control, TAKEN);
  }

  failed(): boolean {
    return Atomics.load(this.memory.control, FAILED) !== 0;
  }

  /** The taker failed: the writer stops at its next batch. */
  fail(): void {
    const control = this.memory.control;
    Atomics.store(control, FAILED, 1);
    Atomics.notify(control, TAKEN);
  }
}
