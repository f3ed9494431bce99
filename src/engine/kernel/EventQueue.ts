import type { Micros } from '../../model/index.ts';
import { TaskHeap } from './TaskHeap.ts';
import { TimingWheel } from './TimingWheel.ts';

/**
 * The simulation's agenda, ordered by (time, sequence number). The sequence
 * number is assigned on push, so items scheduled for the same microsecond
 * come out in the order they were scheduled (FIFO at ties).
 *
 * Most tasks are due within milliseconds (a hop, a service time): they go to
 * a timing wheel with O(1) push and pop; the rest (timeouts, later traffic,
 * the timeline) to a 4-ary heap. `pop` takes the earlier of the two fronts.
 * At equal times the heap's task was pushed first (the wheel would have
 * taken a later push for that time too), so the heap goes first.
 */
export class EventQueue<T> {
  private readonly wheel = new TimingWheel<T>();
  private readonly heap = new TaskHeap<T>();
  private nextSeq = 0;
  /** The time of the item `pop` returned last. */
  time: Micros = 0;

  get size(): number {
    return this.wheel.size + this.heap.size;
  }

  push(t: Micros, item: T): void {
    if (!Number.isInteger(t)) throw new Error(`event time must be an integer number of µs, got ${t}`);
    if (t < this.wheel.cursor) throw new Error(`event time ${t} µs is before the last task's (${this.wheel.cursor} µs)`);
    const seq = this.nextSeq++;
    if (this.wheel.accepts(t)) this.wheel.push(t, seq, item);
    else this.heap.push(t, seq, item);
  }

  peekTime(): Micros | undefined {
    const t = Math.min(this.wheel.peekTime(), this.heap.peekTime());
    return t === Infinity ? undefined : t;
  }

  /** Removes and returns the earliest item (its time is then in `time`). */
  pop(): T | undefined {
    return this.popUntil(Infinity);
  }

  /** `pop`, if the earliest item is due at or before `limit`; otherwise undefined and nothing changes. */
  popUntil(limit: Micros): T | undefined {
    const tw = this.wheel.peekTime();
    const th = this.heap.peekTime();
    if (th <= tw) {
      if (th === Infinity || th > limit) return undefined;
      const item = this.heap.pop();
      this.time = th;
      this.wheel.advance(th);
      return item;
    }
    if (tw > limit) return undefined;
    const item = this.wheel.pop();
    this.time = tw;
    return item;
  }

  /** Every queued entry in pop order, without changing the queue (for snapshots and inspection). */
  entries(): Array<{ t: Micros; seq: number; item: T }> {
    return [...this.wheel.entries(), ...this.heap.entries()].sort((a, b) => a.t - b.t || a.seq - b.seq);
  }

  /** Drops the items `dead` picks; the order of the rest is unchanged. */
  compact(dead: (item: T) => boolean): void {
    this.wheel.compact(dead);
    this.heap.compact(dead);
  }
}
