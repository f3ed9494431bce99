import type { Micros } from '../../model/index.ts';

/**
 * A 4-ary min-heap ordered by (time, sequence number), for the tasks
 * `EventQueue` keeps beyond its timing wheel. Times and sequence numbers
 * live in typed arrays beside the items (struct of arrays): a push
 * allocates nothing once the arrays have grown.
 */
export class TaskHeap<T> {
  private times = new Float64Array(1024);
  private seqs = new Float64Array(1024);
  private items: Array<T | undefined> = [];
  private n = 0;
  /** The time and sequence number of the item `pop` returned last. */
  time: Micros = 0;
  seq = 0;

  get size(): number {
    return this.n;
  }

  push(t: Micros, seq: number, item: T): void {
    if (this.n === this.times.length) this.grow();
    const { times, seqs, items } = this;
    let i = this.n++;
    while (i > 0) {
      const parent = (i - 1) >> 2;
      const pt = times[parent] as number;
      if (pt < t || (pt === t && (seqs[parent] as number) < seq)) break;
      times[i] = pt;
      seqs[i] = seqs[parent] as number;
      items[i] = items[parent];
      i = parent;
    }
    times[i] = t;
    seqs[i] = seq;
    items[i] = item;
  }

  /** Time of the earliest item; Infinity when empty. */
  peekTime(): Micros {
    return this.n > 0 ? (this.times[0] as number) : Infinity;
  }

  /** Sequence number of the earliest item (when not empty). */
  peekSeq(): number {
    return this.seqs[0] as number;
  }

  /** Removes and returns the earliest item (its time is then in `time`). */
  pop(): T | undefined {
    if (this.n === 0) return undefined;
    const { times, seqs, items } = this;
    const top = items[0];
    this.time = times[0] as number;
    this.seq = seqs[0] as number;
    const n = --this.n;
    if (n > 0) {
      times[0] = times[n] as number;
      seqs[0] = seqs[n] as number;
      items[0] = items[n];
      this.siftDown(0);
    }
    items[n] = undefined;
    return top;
  }

  /** Every queued entry in pop order, without changing the queue (for snapshots and inspection). */
  entries(): Array<{ t: Micros; seq: number; item: T }> {
    const out: Array<{ t: Micros; seq: number; item: T }> = [];
    for (let i = 0; i < this.n; i++) out.push({ t: this.times[i] as number, seq: this.seqs[i] as number, item: this.items[i] as T });
    return out.sort((a, b) => a.t - b.t || a.seq - b.seq);
  }

  /** Drops the items `dead` picks and restores the heap (O(n)); the order of the rest is unchanged. */
  compact(dead: (item: T) => boolean): void {
    const { times, seqs, items } = this;
    let k = 0;
    for (let i = 0; i < this.n; i++) {
      const item = items[i] as T;
      if (dead(item)) continue;
      times[k] = times[i] as number;
      seqs[k] = seqs[i] as number;
      items[k] = item;
      k += 1;
    }
    for (let i = k; i < this.n; i++) items[i] = undefined;
    this.n = k;
    for (let i = (k >> 2) + 1; i >= 0; i--) if (i < k) this.siftDown(i);
  }

  private siftDown(start: number): void {
    const { times, seqs, items } = this;
    const n = this.n;
    const t = times[start] as number;
    const s = seqs[start] as number;
    const item = items[start];
    let i = start;
    for (;;) {
      const first = 4 * i + 1;
      if (first >= n) break;
      let child = first;
      const last = first + 4 < n ? first + 4 : n;
      for (let c = first + 1; c < last; c++) if (earlier(times, seqs, c, child)) child = c;
      const ct = times[child] as number;
      if (ct > t || (ct === t && (seqs[child] as number) > s)) break;
      times[i] = ct;
      seqs[i] = seqs[child] as number;
      items[i] = items[child];
      i = child;
    }
    times[i] = t;
    seqs[i] = s;
    items[i] = item;
  }

  private grow(): void {
    const times = new Float64Array(this.times.length * 2);
    times.set(this.times);
    const seqs = new Float64Array(this.seqs.length * 2);
    seqs.set(this.seqs);
    this.times = times;
    this.seqs = seqs;
  }
}

function earlier(times: Float64Array, seqs: Float64Array, a: number, b: number): boolean {
  const ta = times[a] as number;
  const tb = times[b] as number;
  return ta < tb || (ta === tb && (seqs[a] as number) < (seqs[b] as number));
}
