import type { Micros } from '../../model/index.ts';

/**
 * A binary min-heap of plain-data entries ordered by (time, sequence number).
 * The sequence number is assigned on push, so entries scheduled for the same
 * microsecond come out in the order they were scheduled (FIFO at ties).
 */
export interface QueueEntry<T> {
  t: Micros;
  seq: number;
  item: T;
}

export class EventQueue<T> {
  private heap: Array<QueueEntry<T>> = [];
  private nextSeq = 0;

  get size(): number {
    return this.heap.length;
  }

  push(t: Micros, item: T): void {
    if (!Number.isInteger(t)) throw new Error(`event time must be an integer number of µs, got ${t}`);
    const entry = { t, seq: this.nextSeq++, item };
    const heap = this.heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent] as QueueEntry<T>;
      if (!before(entry, p)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = entry;
  }

  peekTime(): Micros | undefined {
    return this.heap[0]?.t;
  }

  pop(): QueueEntry<T> | undefined {
    const heap = this.heap;
    const top = heap[0];
    if (top === undefined) return undefined;
    const last = heap.pop() as QueueEntry<T>;
    if (heap.length > 0) {
      let i = 0;
      const n = heap.length;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const child = r < n && before(heap[r] as QueueEntry<T>, heap[l] as QueueEntry<T>) ? r : l;
        const c = heap[child] as QueueEntry<T>;
        if (!before(c, last)) break;
        heap[i] = c;
        i = child;
      }
      heap[i] = last;
    }
    return top;
  }
}

function before<T>(a: QueueEntry<T>, b: QueueEntry<T>): boolean {
  return a.t < b.t || (a.t === b.t && a.seq < b.seq);
}
