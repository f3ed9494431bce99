import type { Micros } from '../../model/index.ts';
import type { EntryPool } from './EntryPool.ts';

/**
 * Entries due within the next `SPAN` µs of the cursor, one bucket per
 * microsecond (a ring indexed by `t & (SPAN - 1)`), each bucket a FIFO list
 * threaded through the entry pool's links — pushes come with increasing
 * sequence numbers, so a bucket's order is (time, sequence) order. A bitmap
 * of non-empty buckets finds the next one. Push and pop are O(1) and
 * allocate nothing; `EventQueue` sends later entries to a heap.
 */
export class TimingWheel {
  static readonly SPAN = 1 << 14;
  private static readonly MASK = TimingWheel.SPAN - 1;

  /** Time of the last pop; every entry here is due in [cursor, cursor + SPAN). */
  cursor: Micros = 0;
  private count = 0;
  /** Per bucket, its first and last node side by side (`2b`, `2b + 1`; -1 when empty): one cache line for both. */
  private readonly ends = new Int32Array(2 * TimingWheel.SPAN).fill(-1);
  private readonly occupied = new Uint32Array(TimingWheel.SPAN >>> 5);
  /** The node at the front, or -1 when empty, or -2 when not known (after a pop). */
  private front = -1;
  /** The front's time (a bucket is one µs, so its index gives the time without reading the entry). */
  private frontTime = Infinity;

  constructor(private readonly pool: EntryPool<unknown>) {}

  get size(): number {
    return this.count;
  }

  /** Whether an entry due at `t` belongs here. */
  accepts(t: Micros): boolean {
    return t - this.cursor < TimingWheel.SPAN;
  }

  /** Files a pool entry due at `t` at the back of its bucket. */
  push(node: number, t: Micros): void {
    const b = t & TimingWheel.MASK;
    const ends = this.ends;
    const last = ends[2 * b + 1] as number;
    if (last < 0) {
      ends[2 * b] = node;
      this.occupied[b >>> 5] = (this.occupied[b >>> 5] as number) | (1 << (b & 31));
    } else this.pool.setLink(last, node);
    ends[2 * b + 1] = node;
    this.count += 1;
    // An entry due before the known front becomes the front (its bucket was empty); one due later or at the same time leaves it.
    if (this.front === -1 || (this.front >= 0 && t < this.frontTime)) {
      this.front = node;
      this.frontTime = t;
    }
  }

  /** The node at the front of the earliest bucket, or -1 when empty. */
  private first(): number {
    if (this.front === -2) this.scan();
    return this.front;
  }

  /** Finds the earliest non-empty bucket from the cursor on, and sets `front` and `frontTime` from it. */
  private scan(): void {
    this.front = -1;
    this.frontTime = Infinity;
    if (this.count === 0) return;
    const words = this.occupied.length;
    const start = this.cursor & TimingWheel.MASK;
    let w = start >>> 5;
    let bits = (this.occupied[w] as number) & (~0 << (start & 31));
    for (let k = 0; k <= words; k++) {
      if (bits !== 0) {
        const b = (w << 5) | (31 - Math.clz32(bits & -bits));
        this.front = this.ends[2 * b] as number;
        this.frontTime = this.cursor + ((b - start) & TimingWheel.MASK);
        return;
      }
      w = w + 1 === words ? 0 : w + 1;
      bits = this.occupied[w] as number;
    }
  }

  peekTime(): Micros {
    this.first();
    return this.frontTime;
  }

  /** Takes the front entry off the wheel and returns its node (-1 when empty); the caller releases it to the pool. */
  pop(): number {
    const node = this.first();
    if (node < 0) return -1;
    const t = this.frontTime;
    const b = t & TimingWheel.MASK;
    const after = this.pool.linkOf(node);
    this.ends[2 * b] = after;
    if (after < 0) {
      this.ends[2 * b + 1] = -1;
      this.occupied[b >>> 5] = (this.occupied[b >>> 5] as number) & ~(1 << (b & 31));
    }
    this.count -= 1;
    this.cursor = t;
    // The next entry at the same µs, if any, is the new front; otherwise look for the next bucket when asked.
    this.front = after >= 0 ? after : -2;
    return node;
  }

  /** Moves the cursor to `t` (the queue's clock went there without an entry from here); nothing here is earlier. */
  advance(t: Micros): void {
    if (t > this.cursor) this.cursor = t;
  }

  /** Every queued node (in no particular order). */
  nodes(): number[] {
    const out: number[] = [];
    for (let b = 0; b < TimingWheel.SPAN; b++) {
      for (let node = this.ends[2 * b] as number; node >= 0; node = this.pool.linkOf(node)) out.push(node);
    }
    return out;
  }

  /** Unlinks the nodes `dead` picks and hands each to `drop`; the order of the rest is unchanged. */
  compact(dead: (node: number) => boolean, drop: (node: number) => void): void {
    this.front = -2;
    if (this.count === 0) return;
    for (let w = 0; w < this.occupied.length; w++) {
      let bits = this.occupied[w] as number;
      while (bits !== 0) {
        const low = bits & -bits;
        bits ^= low;
        this.compactBucket((w << 5) | (31 - Math.clz32(low)), dead, drop);
      }
    }
  }

  private compactBucket(b: number, dead: (node: number) => boolean, drop: (node: number) => void): void {
    const pool = this.pool;
    let prev = -1;
    let node = this.ends[2 * b] as number;
    while (node >= 0) {
      const after = pool.linkOf(node);
      if (dead(node)) {
        if (prev < 0) this.ends[2 * b] = after;
        else pool.setLink(prev, after);
        this.count -= 1;
        drop(node);
      } else prev = node;
      node = after;
    }
    this.ends[2 * b + 1] = prev;
    if (prev < 0) this.occupied[b >>> 5] = (this.occupied[b >>> 5] as number) & ~(1 << (b & 31));
  }
}
