import type { Micros } from '../../model/index.ts';

/** One queued entry, as `entries` lists it. */
export interface QueueEntry<P> {
  t: Micros;
  seq: number;
  kind: number;
  a: number;
  b: number;
  payload: P | undefined;
}

/*
 * The wheel's size, written out as literals where the hot paths use it: a
 * module-level constant is a context load and a type check on every use,
 * a literal folds into the instruction.
 */
/** Microseconds (and buckets) the wheel covers: 2^14. */
const SPAN = 16_384;
/** Words of the wheel's bitmap: SPAN / 32. */
const WORDS = 512;
/** Words of its summary (one bit per non-empty bitmap word): WORDS / 32. */
const SUMMARY_WORDS = 16;

/**
 * The simulation's agenda, ordered by (time, sequence number). The sequence
 * number is assigned on push, so entries scheduled for the same microsecond
 * come out in the order they were scheduled (FIFO at ties).
 *
 * An entry is plain data: a kind (a small integer, never 0, that names its
 * handler), two numbers, and — only for the kinds that need one — a payload
 * object. Entries are rows of typed arrays (kind, a, b, time, sequence, a
 * link), their slots reused through a free list, so pushing and popping
 * allocate nothing once the arrays have grown.
 *
 * Most entries are due within milliseconds (a hop, a service time): they go
 * to a timing wheel, one FIFO bucket per µs for the next `SPAN` µs (a ring
 * indexed by `t & (SPAN - 1)`, each bucket a list threaded through the
 * links), with a bitmap of non-empty buckets and a summary of non-empty
 * bitmap words, so the next bucket is found in a few steps however sparse
 * the wheel is. Later entries (timeouts, later traffic, the timeline) go to
 * a 4-ary min-heap of (time, sequence, entry). `pop` takes the earlier of
 * the two fronts; at equal times the heap's entry was pushed first (the
 * wheel would have taken a later push for that time too), so the heap goes
 * first.
 *
 * One class with flat fields, on purpose: every push and pop of a run comes
 * here, and each object a field access goes through costs instructions.
 */
export class EventQueue<P = unknown> {
  static readonly SPAN = SPAN;

  // Entries, by slot.
  private kinds = new Uint8Array(256);
  private as = new Float64Array(256);
  private bs = new Float64Array(256);
  private times = new Float64Array(256);
  private seqs = new Float64Array(256);
  /** The next slot in a wheel bucket's list, or in the free list. */
  private links = new Int32Array(256).fill(-1);
  private payloads: Array<P | undefined> = [];
  private free = -1;
  private used = 0;
  private nextSeq = 0;

  // The wheel.
  /** Time of the last pop; every wheel entry is due in [cursor, cursor + SPAN). */
  private cursor: Micros = 0;
  private wheelCount = 0;
  /** Per bucket, its first and last slot side by side (`2k`, `2k + 1`; -1 when empty): one cache line for both. */
  private readonly ends = new Int32Array(2 * SPAN).fill(-1);
  private readonly occupied = new Uint32Array(WORDS);
  private readonly summary = new Uint32Array(SUMMARY_WORDS);
  /** The earliest wheel entry's time: Infinity when the wheel is empty, -1 when not known (its bucket emptied). */
  private wheelTime: Micros = Infinity;

  // The heap.
  private heapTimes = new Float64Array(1024);
  private heapSeqs = new Float64Array(1024);
  private heapSlots = new Int32Array(1024);
  private heapCount = 0;
  /** The heap's earliest time, kept here so a pop from the wheel does not touch the heap's memory. */
  private heapTime: Micros = Infinity;

  /** The entry `pop` returned last: its time, numbers and payload. */
  time: Micros = 0;
  a = 0;
  b = 0;
  payload: P | undefined = undefined;

  get size(): number {
    return this.wheelCount + this.heapCount;
  }

  push(t: Micros, kind: number, a = 0, b = 0, payload?: P): void {
    if (!Number.isInteger(t)) throw new Error(`event time must be an integer number of µs, got ${t}`);
    if (t < this.cursor) throw new Error(`event time ${t} µs is before the last task's (${this.cursor} µs)`);
    if (!(kind > 0 && kind < 256 && Number.isInteger(kind))) throw new Error(`entry kind must be an integer in 1..255, got ${kind}`);
    const seq = this.nextSeq++;
    let slot = this.free;
    if (slot >= 0) this.free = this.links[slot] as number;
    else {
      if (this.used === this.kinds.length) this.growEntries();
      slot = this.used++;
    }
    this.kinds[slot] = kind;
    this.as[slot] = a;
    this.bs[slot] = b;
    this.times[slot] = t;
    this.seqs[slot] = seq;
    this.links[slot] = -1;
    // Most entries carry no payload: leave the slot alone then (it was cleared when popped).
    if (payload !== undefined) this.payloads[slot] = payload;
    if (t - this.cursor < 16_384) this.wheelPush(slot, t);
    else this.heapPush(t, seq, slot);
  }

  peekTime(): Micros | undefined {
    const t = Math.min(this.wheelFront(), this.heapTime);
    return t === Infinity ? undefined : t;
  }

  /** Removes the earliest entry and returns its kind (0 when empty); its time, numbers and payload are then in `time`, `a`, `b`, `payload`. */
  pop(): number {
    return this.popUntil(Infinity);
  }

  /** `pop`, if the earliest entry is due at or before `limit`; otherwise 0 and nothing changes. */
  popUntil(limit: Micros): number {
    let tw = this.wheelTime;
    if (tw < 0) tw = this.findWheelTime();
    const th = this.heapTime;
    let slot: number;
    if (th <= tw) {
      if (th === Infinity || th > limit) return 0;
      slot = this.heapPop();
      // The clock went to `th` without a pop from the wheel: nothing there is earlier.
      if (th > this.cursor) this.cursor = th;
    } else {
      if (tw > limit) return 0;
      slot = this.wheelPop(tw);
    }
    const payload = this.payloads[slot];
    this.time = this.times[slot] as number;
    this.a = this.as[slot] as number;
    this.b = this.bs[slot] as number;
    this.payload = payload;
    if (payload !== undefined) this.payloads[slot] = undefined;
    const kind = this.kinds[slot] as number;
    this.kinds[slot] = 0;
    this.links[slot] = this.free;
    this.free = slot;
    return kind;
  }

  /** Every queued entry in pop order, without changing the queue (for snapshots and inspection). */
  entries(): Array<QueueEntry<P>> {
    const slots: number[] = [];
    for (let k = 0; k < SPAN; k++) for (let s = this.ends[2 * k] as number; s >= 0; s = this.links[s] as number) slots.push(s);
    for (let i = 0; i < this.heapCount; i++) slots.push(this.heapSlots[i] as number);
    return slots
      .map((s) => ({ t: this.times[s] as number, seq: this.seqs[s] as number, kind: this.kinds[s] as number, a: this.as[s] as number, b: this.bs[s] as number, payload: this.payloads[s] }))
      .sort((x, y) => x.t - y.t || x.seq - y.seq);
  }

  /** Drops the entries whose payload `dead` picks (entries without one stay); the order of the rest is unchanged. */
  compact(dead: (payload: P) => boolean): void {
    const isDead = (slot: number): boolean => {
      const payload = this.payloads[slot];
      return payload !== undefined && dead(payload);
    };
    for (let w = 0; w < WORDS; w++) {
      let bits = this.occupied[w] as number;
      while (bits !== 0) {
        const low = bits & -bits;
        bits ^= low;
        this.compactBucket((w << 5) | (31 - Math.clz32(low)), isDead);
      }
    }
    this.wheelTime = this.wheelCount === 0 ? Infinity : -1;
    const { heapTimes, heapSeqs, heapSlots } = this;
    let kept = 0;
    for (let i = 0; i < this.heapCount; i++) {
      const slot = heapSlots[i] as number;
      if (isDead(slot)) {
        this.release(slot);
        continue;
      }
      heapTimes[kept] = heapTimes[i] as number;
      heapSeqs[kept] = heapSeqs[i] as number;
      heapSlots[kept] = slot;
      kept += 1;
    }
    this.heapCount = kept;
    for (let i = (kept >> 2) + 1; i >= 0; i--) if (i < kept) this.siftDown(i);
    this.heapTime = kept > 0 ? (heapTimes[0] as number) : Infinity;
  }

  // The wheel.

  private wheelPush(slot: number, t: Micros): void {
    const k = t & 16_383;
    const ends = this.ends;
    const last = ends[2 * k + 1] as number;
    if (last < 0) {
      ends[2 * k] = slot;
      this.markOccupied(k);
    } else this.links[last] = slot;
    ends[2 * k + 1] = slot;
    this.wheelCount += 1;
    // An entry due before the known front becomes the front (its bucket was empty); one due later or at the same time leaves it. When the front is not known (-1) it stays unknown.
    if (t < this.wheelTime) this.wheelTime = t;
  }

  /** Takes the first entry of the bucket due at `t` (the wheel's front) and returns its slot. */
  private wheelPop(t: Micros): number {
    const k = t & 16_383;
    const ends = this.ends;
    const slot = ends[2 * k] as number;
    const after = this.links[slot] as number;
    ends[2 * k] = after;
    this.wheelCount -= 1;
    this.cursor = t;
    if (after < 0) {
      ends[2 * k + 1] = -1;
      this.clearOccupied(k);
      // The next entry is found when asked for.
      this.wheelTime = this.wheelCount === 0 ? Infinity : -1;
    }
    return slot;
  }

  private markOccupied(k: number): void {
    const w = k >>> 5;
    const word = this.occupied[w] as number;
    this.occupied[w] = word | (1 << (k & 31));
    if (word === 0) this.summary[w >>> 5] = (this.summary[w >>> 5] as number) | (1 << (w & 31));
  }

  private clearOccupied(k: number): void {
    const w = k >>> 5;
    const word = (this.occupied[w] as number) & ~(1 << (k & 31));
    this.occupied[w] = word;
    if (word === 0) this.summary[w >>> 5] = (this.summary[w >>> 5] as number) & ~(1 << (w & 31));
  }

  /** The wheel's earliest time (Infinity when empty), looked for if not known. */
  private wheelFront(): Micros {
    const t = this.wheelTime;
    return t < 0 ? this.findWheelTime() : t;
  }

  /** Finds the earliest non-empty bucket from the cursor on (the wheel is not empty) and keeps its time. */
  private findWheelTime(): Micros {
    const start = this.cursor & 16_383;
    let w = start >>> 5;
    let bits = (this.occupied[w] as number) & (~0 << (start & 31));
    if (bits === 0) {
      w = this.nextOccupiedWord(w + 1);
      bits = this.occupied[w] as number;
    }
    const k = (w << 5) | (31 - Math.clz32(bits & -bits));
    return (this.wheelTime = this.cursor + ((k - start) & 16_383));
  }

  /** The first non-empty bitmap word at or after `from` (modulo WORDS, at most one lap), by the summary. */
  private nextOccupiedWord(from: number): number {
    const summary = this.summary;
    const at = from & 511;
    let s = at >>> 5;
    let bits = (summary[s] as number) & (~0 << (at & 31));
    for (let i = 0; i <= SUMMARY_WORDS; i++) {
      if (bits !== 0) return (s << 5) | (31 - Math.clz32(bits & -bits));
      s = s + 1 === SUMMARY_WORDS ? 0 : s + 1;
      bits = summary[s] as number;
    }
    throw new Error('event queue: the wheel counts entries but none is marked');
  }

  private compactBucket(k: number, dead: (slot: number) => boolean): void {
    const ends = this.ends;
    let prev = -1;
    let slot = ends[2 * k] as number;
    while (slot >= 0) {
      const after = this.links[slot] as number;
      if (dead(slot)) {
        if (prev < 0) ends[2 * k] = after;
        else this.links[prev] = after;
        this.wheelCount -= 1;
        this.release(slot);
      } else prev = slot;
      slot = after;
    }
    ends[2 * k + 1] = prev;
    if (prev < 0) this.clearOccupied(k);
  }

  // The heap.

  private heapPush(t: Micros, seq: number, slot: number): void {
    if (this.heapCount === this.heapTimes.length) this.growHeap();
    const { heapTimes: times, heapSeqs: seqs, heapSlots: slots } = this;
    let i = this.heapCount++;
    while (i > 0) {
      const parent = (i - 1) >> 2;
      const pt = times[parent] as number;
      if (pt < t || (pt === t && (seqs[parent] as number) < seq)) break;
      times[i] = pt;
      seqs[i] = seqs[parent] as number;
      slots[i] = slots[parent] as number;
      i = parent;
    }
    times[i] = t;
    seqs[i] = seq;
    slots[i] = slot;
    if (t < this.heapTime) this.heapTime = t;
  }

  /** Removes the heap's earliest entry (there is one) and returns its slot. */
  private heapPop(): number {
    const { heapTimes: times, heapSeqs: seqs, heapSlots: slots } = this;
    const top = slots[0] as number;
    const n = --this.heapCount;
    if (n > 0) {
      times[0] = times[n] as number;
      seqs[0] = seqs[n] as number;
      slots[0] = slots[n] as number;
      this.siftDown(0);
      this.heapTime = times[0] as number;
    } else this.heapTime = Infinity;
    return top;
  }

  private siftDown(start: number): void {
    const { heapTimes: times, heapSeqs: seqs, heapSlots: slots } = this;
    const n = this.heapCount;
    const t = times[start] as number;
    const s = seqs[start] as number;
    const slot = slots[start] as number;
    let i = start;
    for (;;) {
      const first = 4 * i + 1;
      if (first >= n) break;
      let child = first;
      let ct = times[first] as number;
      let cs = seqs[first] as number;
      const last = first + 4 < n ? first + 4 : n;
      for (let c = first + 1; c < last; c++) {
        const xt = times[c] as number;
        if (xt < ct || (xt === ct && (seqs[c] as number) < cs)) {
          child = c;
          ct = xt;
          cs = seqs[c] as number;
        }
      }
      if (ct > t || (ct === t && cs > s)) break;
      times[i] = ct;
      seqs[i] = cs;
      slots[i] = slots[child] as number;
      i = child;
    }
    times[i] = t;
    seqs[i] = s;
    slots[i] = slot;
  }

  // Slots.

  private release(slot: number): void {
    if (this.payloads[slot] !== undefined) this.payloads[slot] = undefined;
    this.kinds[slot] = 0;
    this.links[slot] = this.free;
    this.free = slot;
  }

  private growEntries(): void {
    const size = this.kinds.length * 2;
    this.kinds = grown(new Uint8Array(size), this.kinds);
    this.as = grown(new Float64Array(size), this.as);
    this.bs = grown(new Float64Array(size), this.bs);
    this.times = grown(new Float64Array(size), this.times);
    this.seqs = grown(new Float64Array(size), this.seqs);
    this.links = grown(new Int32Array(size).fill(-1), this.links);
  }

  private growHeap(): void {
    const size = this.heapTimes.length * 2;
    this.heapTimes = grown(new Float64Array(size), this.heapTimes);
    this.heapSeqs = grown(new Float64Array(size), this.heapSeqs);
    this.heapSlots = grown(new Int32Array(size), this.heapSlots);
  }
}

function grown<A extends Uint8Array | Int32Array | Float64Array>(into: A, from: A): A {
  into.set(from);
  return into;
}
