import type { Micros } from '../../model/index.ts';

/**
 * A 4-ary min-heap of entry-pool nodes ordered by (time, sequence number),
 * for the entries `EventQueue` keeps beyond its timing wheel. Times and
 * sequence numbers sit beside the nodes in typed arrays, so sifting reads
 * nothing else; a push allocates nothing once the arrays have grown.
 */
export class TaskHeap {
  private times = new Float64Array(1024);
  private seqs = new Float64Array(1024);
  private nodes = new Int32Array(1024);
  private n = 0;

  get size(): number {
    return this.n;
  }

  push(t: Micros, seq: number, node: number): void {
    if (this.n === this.times.length) this.grow();
    const { times, seqs, nodes } = this;
    let i = this.n++;
    while (i > 0) {
      const parent = (i - 1) >> 2;
      const pt = times[parent] as number;
      if (pt < t || (pt === t && (seqs[parent] as number) < seq)) break;
      times[i] = pt;
      seqs[i] = seqs[parent] as number;
      nodes[i] = nodes[parent] as number;
      i = parent;
    }
    times[i] = t;
    seqs[i] = seq;
    nodes[i] = node;
  }

  /** Time of the earliest entry; Infinity when empty. */
  peekTime(): Micros {
    return this.n > 0 ? (this.times[0] as number) : Infinity;
  }

  /** Removes the earliest entry and returns its node (-1 when empty). */
  pop(): number {
    if (this.n === 0) return -1;
    const { times, seqs, nodes } = this;
    const top = nodes[0] as number;
    const n = --this.n;
    if (n > 0) {
      times[0] = times[n] as number;
      seqs[0] = seqs[n] as number;
      nodes[0] = nodes[n] as number;
      this.siftDown(0);
    }
    return top;
  }

  /** Every queued node (in no particular order). */
  allNodes(): number[] {
    return Array.from(this.nodes.subarray(0, this.n));
  }

  /** Drops the nodes `dead` picks, handing each to `drop`, and restores the heap (O(n)); the order of the rest is unchanged. */
  compact(dead: (node: number) => boolean, drop: (node: number) => void): void {
    const { times, seqs, nodes } = this;
    let k = 0;
    for (let i = 0; i < this.n; i++) {
      const node = nodes[i] as number;
      if (dead(node)) {
        drop(node);
        continue;
      }
      times[k] = times[i] as number;
      seqs[k] = seqs[i] as number;
      nodes[k] = node;
      k += 1;
    }
    this.n = k;
    for (let i = (k >> 2) + 1; i >= 0; i--) if (i < k) this.siftDown(i);
  }

  private siftDown(start: number): void {
    const { times, seqs, nodes } = this;
    const n = this.n;
    const t = times[start] as number;
    const s = seqs[start] as number;
    const node = nodes[start] as number;
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
      nodes[i] = nodes[child] as number;
      i = child;
    }
    times[i] = t;
    seqs[i] = s;
    nodes[i] = node;
  }

  private grow(): void {
    const size = this.times.length * 2;
    const times = new Float64Array(size);
    times.set(this.times);
    const seqs = new Float64Array(size);
    seqs.set(this.seqs);
    const nodes = new Int32Array(size);
    nodes.set(this.nodes);
    this.times = times;
    this.seqs = seqs;
    this.nodes = nodes;
  }
}

function earlier(times: Float64Array, seqs: Float64Array, a: number, b: number): boolean {
  const ta = times[a] as number;
  const tb = times[b] as number;
  return ta < tb || (ta === tb && (seqs[a] as number) < (seqs[b] as number));
}
