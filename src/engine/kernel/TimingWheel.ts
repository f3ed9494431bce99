import type { Micros } from '../../model/index.ts';
import type { EntryPool } from './EntryPool.ts';

/**
 * Entries due within the next `SPAN` µs of the cursor, one bucket per
 * microsecond (a ring indexed by `t & (SPAN - 1)`), each bucket a FIFO list
 * threaded through the entry pool's `next` — pushes come with increasing
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
  private readonly head = new Int32Array(TimingWheel.SPAN).fill(-1);
  private readonly tail = new Int32Array(TimingWheel.SPAN).fill(-1);
  private readonly occupied = new Uint32Array(TimingWheel.SPAN >>> 5);
  /** The node at the front, or -1 when empty, or -2 when not known (after a pop). */
  private front = -1;

  constructor(private readonly pool: EntryPool<unknown>) {}

  get size(): number {
    return this.count;
  }

  /** Whether an entry due at `t` belongs here. */
  accepts(t: Micros): boolean {
    return t - this.cursor < TimingWheel.SPAN;
  }

  /** Files a pool entry (its time already set) at the back of its bucket. */
  push(node: number): void {
    const { time, next } = this.pool;
    const t = time[node] as number;
    const b = t & TimingWheel.MASK;
    const last = this.tail[b] as number;
    if (last < 0) {
      this.head[b] = node;
      this.occupied[b >>> 5] = (this.occupied[b >>> 5] as number) | (1 << (b & 31));
    } else next[last] = node;
    this.tail[b] = node;
    this.count += 1;
    // An entry due before the known front becomes the front (its bucket was empty); one due later or at the same time leaves it.
    if (this.front === -1 || (this.front >= 0 && t < (time[this.front] as number))) this.front = node;
  }

  /** The node at the front of the earliest bucket, or -1 when empty. */
  private first(): number {
    if (this.front !== -2) return this.front;
    this.front = this.scan();
    return this.front;
  }

  private scan(): number {
    if (this.count === 0) return -1;
    const words = this.occupied.length;
    const start = this.cursor & TimingWheel.MASK;
    let w = start >>> 5;
    let bits = (this.occupied[w] as number) & (~0 << (start & 31));
    for (let k = 0; k <= words; k++) {
      if (bits !== 0) return this.head[(w << 5) | (31 - Math.clz32(bits & -bits))] as number;
      w = w + 1 === words ? 0 : w + 1;
      bits = this.occupied[w] as number;
    }
    return -1;
  }

  peekTime(): Micros {
    const node = this.first();
    return node < 0 ? Infinity : (this.pool.time[node] as number);
  }

  /** Takes the front entry off the wheel and returns its node (-1 when empty); the caller releases it to the pool. */
  pop(): number {
    const node = this.first();
    if (node < 0) return -1;
    const t = this.pool.time[node] as number;
    const b = t & TimingWheel.MASK;
    const after = this.pool.next[node] as number;
    this.head[b] = after;
    if (after < 0) {
      this.tail[b] = -1;
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
      for (let node = this.head[b] as number; node >= 0; node = this.pool.next[node] as number) out.push(node);
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
    const next = this.pool.next;
    let prev = -1;
    let node = this.head[b] as number;
    while (node >= 0) {
      const after = next[node] as number;
      if (dead(node)) {
        if (prev < 0) this.head[b] = after;
        else next[prev] = after;
        this.count -= 1;
        drop(node);
      } else prev = node;
      node = after;
    }
    this.tail[b] = prev;
    if (prev < 0) this.occupied[b >>> 5] = (this.occupied[b >>> 5] as number) & ~(1 << (b & 31));
  }
}
