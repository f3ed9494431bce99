import type { Micros } from '../../model/index.ts';
import type { CallStats, CallFold } from './CallFold.ts';
import { callView, shares } from './callView.ts';
import type { DiffChange } from './diffConfigs.ts';
import { STATE_SEPARATOR } from './runRollout.ts';
import type { RolloutRun } from './runRollout.ts';

/** When a call failed during a rollout, exactly: between two pushes landing, in ms after the first documents were applied. */
export interface RolloutWindow {
  fromMs: number;
  toMs: number;
  durationMs: number;
  /** Requests of this call that started in the window. */
  requests: number;
  /** The push that opened the window (had reached the proxies) and the one that closed it. */
  arrived: string;
  until: string;
}

type Rows = CallFold['rows'];

/**
 * The calls that worked before the change and failed while it rolled out:
 * in some state between two pushes, an answer that is not usable (not
 * 1xx–3xx) and that neither steady state gives that call — a 503 NC while
 * a VirtualService names a subset its DestinationRule does not have yet.
 * Consecutive failing states make one window, whose bounds are the pushes'
 * arrivals (exact: the gap between pushes, not the requests' spacing).
 */
export function transientChanges(run: RolloutRun, was: Rows, now: Rows, applyAt: Micros): { byKey: Map<string, DiffChange[]>; unobserved: number } {
  const last = run.arrivals.length;
  const byState = new Map<string, Map<number, CallStats>>();
  const observed = new Set<number>();
  for (const [rowKey, row] of run.fold.rows) {
    const cut = rowKey.indexOf(STATE_SEPARATOR);
    const state = Number(rowKey.slice(0, cut));
    if (state >= last) continue;
    observed.add(state);
    const key = rowKey.slice(cut + 1);
    let states = byState.get(key);
    if (!states) byState.set(key, (states = new Map()));
    states.set(state, row.stats);
  }
  const byKey = new Map<string, DiffChange[]>();
  for (const [key, states] of byState) {
    const before = was.get(key)?.stats;
    if (!before || before.ok === 0) continue;
    const known = new Set([...before.answers.keys(), ...(now.get(key)?.stats.answers.keys() ?? [])]);
    const failing = (s: number): boolean => [...(states.get(s)?.answers.keys() ?? [])].some((answer) => !usable(answer) && !known.has(answer));
    const changes: DiffChange[] = [];
    for (let s = 1; s < last; s++) {
      if (!failing(s)) continue;
      let end = s;
      while (end + 1 < last && failing(end + 1)) end += 1;
      const answers = new Map<string, number>();
      let requests = 0;
      for (let k = s; k <= end; k++) {
        const stats = states.get(k);
        if (!stats) continue;
        requests += stats.requests;
        for (const [answer, n] of stats.answers) answers.set(answer, (answers.get(answer) ?? 0) + n);
      }
      const opened = run.arrivals[s - 1];
      const closed = run.arrivals[end];
      if (!opened || !closed) continue;
      const window: RolloutWindow = { fromMs: (opened.at - applyAt) / 1000, toMs: (closed.at - applyAt) / 1000, durationMs: (closed.at - opened.at) / 1000, requests, arrived: opened.label, until: closed.label };
      changes.push({ field: 'rollout', before: callView(before).answers, after: shares(answers, requests), window });
      s = end;
    }
    if (changes.length > 0) byKey.set(key, changes);
  }
  let unobserved = 0;
  for (let s = 1; s < last; s++) if (!observed.has(s)) unobserved += 1;
  return { byKey, unobserved };
}

/** An answer the caller can use: 1xx–3xx. */
function usable(answer: string): boolean {
  return /^[123]\d\d( |$)/.test(answer);
}
