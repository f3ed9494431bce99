import { grown } from './FreeList.ts';

/**
 * A binary min-heap of (time, sequence) events whose payload is two small
 * integers (a kind and an id), all in typed arrays: pushing and popping
 * allocate nothing once the arrays have grown.
 */
export class EventHeap {
  private times = new Float64Array(1024);
  private seqs = new Float64Array(1024);
  private kinds = new Uint8Array(1024);
  private ids = new Int32Array(1024);
  private n = 0;
  private nextSeq = 0;
  /** Time, kind and id of the event `pop` removed last. */
  time = 0;
  kind = 0;
  id = 0;

  get size(): number {
    return this.n;
  }

  clear(): void {
    this.n = 0;
    this.nextSeq = 0;
  }

  push(t: number, kind: number, id: number): void {
    if (this.n === this.times.length) this.grow();
    const { times, seqs, kinds, ids } = this;
    const seq = this.nextSeq++;
    let i = this.n++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = times[parent] as number;
      if (pt < t || (pt === t && (seqs[parent] as number) < seq)) break;
      times[i] = pt;
      seqs[i] = seqs[parent] as number;
      kinds[i] = kinds[parent] as number;
      ids[i] = ids[parent] as number;
      i = parent;
    }
    times[i] = t;
    seqs[i] = seq;
    kinds[i] = kind;
    ids[i] = id;
  }

  /** Removes the earliest event into `time`, `kind` and `id`; false when empty. */
  pop(): boolean {
    if (this.n === 0) return false;
    const { times, seqs, kinds, ids } = this;
    this.time = times[0] as number;
    this.kind = kinds[0] as number;
    this.id = ids[0] as number;
    const n = --this.n;
    if (n === 0) return true;
    const t = times[n] as number;
    const seq = seqs[n] as number;
    const kind = kinds[n] as number;
    const id = ids[n] as number;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      const right = child + 1;
      if (right < n) {
        const ct = times[child] as number;
        const rt = times[right] as number;
        if (rt < ct || (rt === ct && (seqs[right] as number) < (seqs[child] as number))) child = right;
      }
      const ct = times[child] as number;
      if (t < ct || (t === ct && seq < (seqs[child] as number))) break;
      times[i] = ct;
      seqs[i] = seqs[child] as number;
      kinds[i] = kinds[child] as number;
      ids[i] = ids[child] as number;
      i = child;
    }
    times[i] = t;
    seqs[i] = seq;
    kinds[i] = kind;
    ids[i] = id;
    return true;
  }

  private grow(): void {
    const size = this.times.length * 2;
    this.times = grown(this.times, size);
    this.seqs = grown(this.seqs, size);
    this.kinds = grown(this.kinds, size);
    this.ids = grown(this.ids, size);
  }
}
