import type { Micros } from '../../model/index.ts';

/**
 * Tasks due within the next `SPAN` µs of the cursor, one bucket per
 * microsecond (a ring indexed by `t & (SPAN - 1)`), each bucket a FIFO list
 * — pushes come with increasing sequence numbers, so a bucket's order is
 * (time, sequence) order. A bitmap of non-empty buckets finds the next one.
 * Push and pop are O(1) and allocate nothing once the node arrays have
 * grown; `EventQueue` sends later tasks to a heap.
 */
export class TimingWheel<T> {
  static readonly SPAN = 1 << 14;
  private static readonly MASK = TimingWheel.SPAN - 1;

  /** Time of the last pop; every task here is due in [cursor, cursor + SPAN). */
  cursor: Micros = 0;
  /** The time and sequence number of the item `pop` returned last. */
  time: Micros = 0;
  seq = 0;
  private count = 0;
  private readonly head = new Int32Array(TimingWheel.SPAN).fill(-1);
  private readonly tail = new Int32Array(TimingWheel.SPAN).fill(-1);
  private readonly occupied = new Uint32Array(TimingWheel.SPAN >>> 5);
  // Nodes: a pool of list cells in typed arrays, with a free list through `next`.
  private next = new Int32Array(256).fill(-1);
  private times = new Float64Array(256);
  private seqs = new Float64Array(256);
  private items: Array<T | undefined> = [];
  private free = -1;
  private used = 0;
  /** The node at the front, or -1 when empty, or -2 when not known (after a pop). */
  private front = -1;

  get size(): number {
    return this.count;
  }

  /** Whether a task due at `t` belongs here. */
  accepts(t: Micros): boolean {
    return t - this.cursor < TimingWheel.SPAN;
  }

  push(t: Micros, seq: number, item: T): void {
    const node = this.allocate();
    this.times[node] = t;
    this.seqs[node] = seq;
    this.items[node] = item;
    this.next[node] = -1;
    const b = t & TimingWheel.MASK;
    const last = this.tail[b] as number;
    if (last < 0) {
      this.head[b] = node;
      this.occupied[b >>> 5] = (this.occupied[b >>> 5] as number) | (1 << (b & 31));
    } else this.next[last] = node;
    this.tail[b] = node;
    this.count += 1;
    // A task due before the known front becomes the front (its bucket was empty); one due later or at the same time leaves it.
    if (this.front === -1 || (this.front >= 0 && t < (this.times[this.front] as number))) this.front = node;
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
    return node < 0 ? Infinity : (this.times[node] as number);
  }

  peekSeq(): number {
    const node = this.first();
    return node < 0 ? Infinity : (this.seqs[node] as number);
  }

  pop(): T | undefined {
    const node = this.first();
    if (node < 0) return undefined;
    const t = this.times[node] as number;
    const b = t & TimingWheel.MASK;
    const after = this.next[node] as number;
    this.head[b] = after;
    if (after < 0) {
      this.tail[b] = -1;
      this.occupied[b >>> 5] = (this.occupied[b >>> 5] as number) & ~(1 << (b & 31));
    }
    const item = this.items[node];
    this.items[node] = undefined;
    this.next[node] = this.free;
    this.free = node;
    this.count -= 1;
    this.time = t;
    this.seq = this.seqs[node] as number;
    this.cursor = t;
    // The next task at the same µs, if any, is the new front; otherwise look for the next bucket when asked.
    this.front = after >= 0 ? after : -2;
    return item;
  }

  /** Moves the cursor to `t` (the queue's clock went there without a task from here); nothing here is earlier. */
  advance(t: Micros): void {
    if (t > this.cursor) this.cursor = t;
  }

  /** Every queued entry (in no particular order). */
  entries(): Array<{ t: Micros; seq: number; item: T }> {
    const out: Array<{ t: Micros; seq: number; item: T }> = [];
    for (let b = 0; b < TimingWheel.SPAN; b++) {
      for (let node = this.head[b] as number; node >= 0; node = this.next[node] as number) {
        out.push({ t: this.times[node] as number, seq: this.seqs[node] as number, item: this.items[node] as T });
      }
    }
    return out;
  }

  /** Drops the items `dead` picks; the order of the rest is unchanged. */
  compact(dead: (item: T) => boolean): void {
    this.front = -2;
    if (this.count === 0) return;
    for (let w = 0; w < this.occupied.length; w++) {
      let bits = this.occupied[w] as number;
      while (bits !== 0) {
        const low = bits & -bits;
        bits ^= low;
        this.compactBucket((w << 5) | (31 - Math.clz32(low)), dead);
      }
    }
  }

  private compactBucket(b: number, dead: (item: T) => boolean): void {
    let prev = -1;
    let node = this.head[b] as number;
    while (node >= 0) {
      const after = this.next[node] as number;
      if (dead(this.items[node] as T)) {
        if (prev < 0) this.head[b] = after;
        else this.next[prev] = after;
        this.items[node] = undefined;
        this.next[node] = this.free;
        this.free = node;
        this.count -= 1;
      } else prev = node;
      node = after;
    }
    this.tail[b] = prev;
    if (prev < 0) this.occupied[b >>> 5] = (this.occupied[b >>> 5] as number) & ~(1 << (b & 31));
  }

  private allocate(): number {
    if (this.free >= 0) {
      const node = this.free;
      this.free = this.next[node] as number;
      return node;
    }
    if (this.used === this.times.length) this.grow();
    return this.used++;
  }

  private grow(): void {
    const size = this.times.length * 2;
    const next = new Int32Array(size).fill(-1);
    next.set(this.next);
    const times = new Float64Array(size);
    times.set(this.times);
    const seqs = new Float64Array(size);
    seqs.set(this.seqs);
    this.next = next;
    this.times = times;
    this.seqs = seqs;
  }
}
