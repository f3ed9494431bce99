import type { Micros } from '../../model/index.ts';
import type { TaskKind, TaskPayload, TimerTask } from './Task.ts';
import type { World } from './World.ts';

/**
 * Timeouts (route, per-try, an app's own call timeout) are queue entries
 * whose payload their owner keeps and cancels when what they guard ends
 * first — most never fire. A cancelled timer stays in the queue until it
 * surfaces or until the dead ones outnumber the live ones, when the queue
 * is compacted; so the queue holds what is still due, not every timeout
 * ever armed.
 */
export function startTimer<T extends TimerTask>(w: World, at: Micros, kind: TaskKind, timer: T): T {
  w.queue.push(at, kind, 0, 0, timer);
  return timer;
}

/** The owner no longer needs the timer (what it guarded has ended). Safe on a timer that already fired. */
export function cancelTimer(w: World, timer: TimerTask | undefined): void {
  if (!timer || timer.done) return;
  timer.done = true;
  w.deadTimers += 1;
  if (w.deadTimers > COMPACT_AT && w.deadTimers * 2 > w.queue.size) {
    w.queue.compact(isDeadTimer);
    w.deadTimers = 0;
  }
}

/** A timer surfaced from the queue: false if it was cancelled (nothing to do). */
export function timerFires(w: World, timer: TimerTask): boolean {
  if (timer.done) {
    w.deadTimers -= 1;
    return false;
  }
  timer.done = true;
  return true;
}

const COMPACT_AT = 256;

function isDeadTimer(payload: TaskPayload): boolean {
  return typeof payload === 'object' && 'done' in payload && payload.done;
}
