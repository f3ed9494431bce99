import type { Micros } from '../../model/index.ts';
import type { TimerTask } from './Task.ts';
import type { World } from './World.ts';

/**
 * Timeouts (route, per-try, an app's own call timeout) are queue tasks their
 * owner keeps and cancels when what they guard ends first — most never
 * fire. A cancelled timer stays in the heap until it surfaces or until the
 * dead ones outnumber the live ones, when the queue is compacted; so the
 * heap holds what is still due, not every timeout ever armed.
 */
export function startTimer<T extends TimerTask>(w: World, at: Micros, task: T): T {
  w.queue.push(at, task);
  return task;
}

/** The owner no longer needs the timer (what it guarded has ended). Safe on a timer that already fired. */
export function cancelTimer(w: World, task: TimerTask | undefined): void {
  if (!task || task.done) return;
  task.done = true;
  w.deadTimers += 1;
  if (w.deadTimers > COMPACT_AT && w.deadTimers * 2 > w.queue.size) {
    w.queue.compact(isDeadTimer);
    w.deadTimers = 0;
  }
}

/** A timer surfaced from the queue: false if it was cancelled (nothing to do). */
export function timerFires(w: World, task: TimerTask): boolean {
  if (task.done) {
    w.deadTimers -= 1;
    return false;
  }
  task.done = true;
  return true;
}

const COMPACT_AT = 256;

function isDeadTimer(task: { kind: string }): boolean {
  return (task as Partial<TimerTask>).done === true;
}
