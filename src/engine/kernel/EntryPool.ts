import type { Micros } from '../../model/index.ts';

/**
 * The queue's entries, struct of arrays: each is a kind (a small integer
 * naming its handler, never 0), two numbers (ids, a status, an index), an
 * optional payload object for the few kinds that carry more, the time and
 * sequence number it is due at, and a link the timing wheel threads its
 * bucket lists through. Slots are reused through a free list: once the
 * arrays have grown, a push allocates nothing.
 */
export class EntryPool<P> {
  kind = new Uint8Array(256);
  a = new Float64Array(256);
  b = new Float64Array(256);
  time = new Float64Array(256);
  seq = new Float64Array(256);
  next = new Int32Array(256).fill(-1);
  payload: Array<P | undefined> = [];
  private free = -1;
  private used = 0;

  take(t: Micros, seq: number, kind: number, a: number, b: number, payload: P | undefined): number {
    let node = this.free;
    if (node >= 0) this.free = this.next[node] as number;
    else {
      if (this.used === this.kind.length) this.grow();
      node = this.used++;
    }
    this.kind[node] = kind;
    this.a[node] = a;
    this.b[node] = b;
    this.time[node] = t;
    this.seq[node] = seq;
    this.next[node] = -1;
    // Most entries carry no payload: leave the slot alone then (it was cleared on release).
    if (payload !== undefined) this.payload[node] = payload;
    return node;
  }

  linkOf(node: number): number {
    return this.next[node] as number;
  }

  setLink(node: number, next: number): void {
    this.next[node] = next;
  }

  release(node: number): void {
    if (this.payload[node] !== undefined) this.payload[node] = undefined;
    this.kind[node] = 0;
    this.next[node] = this.free;
    this.free = node;
  }

  private grow(): void {
    const size = this.kind.length * 2;
    this.kind = copyInto(new Uint8Array(size), this.kind);
    this.a = copyInto(new Float64Array(size), this.a);
    this.b = copyInto(new Float64Array(size), this.b);
    this.time = copyInto(new Float64Array(size), this.time);
    this.seq = copyInto(new Float64Array(size), this.seq);
    this.next = copyInto(new Int32Array(size).fill(-1), this.next);
  }
}

function copyInto<A extends Uint8Array | Int32Array | Float64Array>(into: A, from: A): A {
  into.set(from);
  return into;
}
