import type { Micros } from '../../model/index.ts';
import { EntryPool } from './EntryPool.ts';
import { TaskHeap } from './TaskHeap.ts';
import { TimingWheel } from './TimingWheel.ts';

/** One queued entry, as `entries` lists it. */
export interface QueueEntry<P> {
  t: Micros;
  seq: number;
  kind: number;
  a: number;
  b: number;
  payload: P | undefined;
}

/**
 * The simulation's agenda, ordered by (time, sequence number). The sequence
 * number is assigned on push, so entries scheduled for the same microsecond
 * come out in the order they were scheduled (FIFO at ties).
 *
 * An entry is plain data: a kind (a small integer, never 0, that names its
 * handler), two numbers, and — only for the kinds that need one — a payload
 * object. They live in an `EntryPool` (typed arrays, reused slots), so
 * pushing and popping allocate nothing.
 *
 * Most entries are due within milliseconds (a hop, a service time): they go
 * to a timing wheel with O(1) push and pop; the rest (timeouts, later
 * traffic, the timeline) to a 4-ary heap. `pop` takes the earlier of the two
 * fronts. At equal times the heap's entry was pushed first (the wheel would
 * have taken a later push for that time too), so the heap goes first.
 */
export class EventQueue<P = unknown> {
  private readonly pool = new EntryPool<P>();
  private readonly wheel = new TimingWheel(this.pool);
  private readonly heap = new TaskHeap();
  private nextSeq = 0;
  /** The heap's earliest time, kept here so a pop from the wheel does not touch the heap's memory. */
  private heapTime: Micros = Infinity;
  /** The entry `pop` returned last: its time, numbers and payload. */
  time: Micros = 0;
  a = 0;
  b = 0;
  payload: P | undefined = undefined;

  get size(): number {
    return this.wheel.size + this.heap.size;
  }

  push(t: Micros, kind: number, a = 0, b = 0, payload?: P): void {
    if (!Number.isInteger(t)) throw new Error(`event time must be an integer number of µs, got ${t}`);
    if (t < this.wheel.cursor) throw new Error(`event time ${t} µs is before the last task's (${this.wheel.cursor} µs)`);
    if (!(kind > 0 && kind < 256 && Number.isInteger(kind))) throw new Error(`entry kind must be an integer in 1..255, got ${kind}`);
    const seq = this.nextSeq++;
    const node = this.pool.take(t, seq, kind, a, b, payload);
    if (this.wheel.accepts(t)) this.wheel.push(node, t);
    else {
      this.heap.push(t, seq, node);
      if (t < this.heapTime) this.heapTime = t;
    }
  }

  peekTime(): Micros | undefined {
    const t = Math.min(this.wheel.peekTime(), this.heapTime);
    return t === Infinity ? undefined : t;
  }

  /** Removes the earliest entry and returns its kind (0 when empty); its time, numbers and payload are then in `time`, `a`, `b`, `payload`. */
  pop(): number {
    return this.popUntil(Infinity);
  }

  /** `pop`, if the earliest entry is due at or before `limit`; otherwise 0 and nothing changes. */
  popUntil(limit: Micros): number {
    const tw = this.wheel.peekTime();
    const th = this.heapTime;
    let node: number;
    if (th <= tw) {
      if (th === Infinity || th > limit) return 0;
      node = this.heap.pop();
      this.heapTime = this.heap.peekTime();
      this.wheel.advance(th);
    } else {
      if (tw > limit) return 0;
      node = this.wheel.pop();
    }
    const pool = this.pool;
    const kind = pool.kind[node] as number;
    this.time = pool.time[node] as number;
    this.a = pool.a[node] as number;
    this.b = pool.b[node] as number;
    this.payload = pool.payload[node];
    pool.release(node);
    return kind;
  }

  /** Every queued entry in pop order, without changing the queue (for snapshots and inspection). */
  entries(): Array<QueueEntry<P>> {
    const pool = this.pool;
    return [...this.wheel.nodes(), ...this.heap.allNodes()]
      .map((node) => ({ t: pool.time[node] as number, seq: pool.seq[node] as number, kind: pool.kind[node] as number, a: pool.a[node] as number, b: pool.b[node] as number, payload: pool.payload[node] }))
      .sort((x, y) => x.t - y.t || x.seq - y.seq);
  }

  /** Drops the entries whose payload `dead` picks (entries without one stay); the order of the rest is unchanged. */
  compact(dead: (payload: P) => boolean): void {
    const pool = this.pool;
    const isDead = (node: number): boolean => {
      const payload = pool.payload[node];
      return payload !== undefined && dead(payload);
    };
    const drop = (node: number): void => pool.release(node);
    this.wheel.compact(isDead, drop);
    this.heap.compact(isDead, drop);
    this.heapTime = this.heap.peekTime();
  }
}
