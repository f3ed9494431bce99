import type { Diagnostic, MeshEvent, Micros, SimulationSpec } from '../../model/index.ts';
import { openLive } from '../live/LiveMesh.ts';
import { trafficEnd } from '../simulate.ts';
import type { Session } from '../Session.ts';
import { CallFold } from './CallFold.ts';
import type { FoldedRequest } from './CallFold.ts';
import type { RolloutStep } from './planRollout.ts';
import { routeLabels } from './routeLabel.ts';

/** One push of a rollout: when its documents were applied and when they reached the proxies. */
export interface RolloutPush {
  label: string;
  appliedAt: Micros;
  /** When the proxies had it (`config.push`); undefined when it was refused or never landed. */
  arrivedAt: Micros | undefined;
  /** Why the live mesh refused it (the change had errors, or changed workloads). */
  refused?: string;
}

export interface RolloutRun {
  pushes: RolloutPush[];
  /** The pushes that landed, by arrival: state k is the mesh between `arrivals[k-1]` and `arrivals[k]`. */
  arrivals: Array<{ at: Micros; label: string }>;
  /** What each kind of call did in each state from the first arrival on, keyed `state` + U+0001 + the call's key (states 1 to `arrivals.length - 1` are the ones in between). */
  fold: CallFold;
}

/** The separator between a state's number and a call's key in `RolloutRun.fold`'s rows. */
export const STATE_SEPARATOR = '\u0001';

/**
 * Applies a change onto a running mesh the way it reaches a cluster: BEFORE
 * runs the traffic; at `applyAt` the first push's documents go through the
 * live mesh's one change path, the next `gap` later, and so on; each lands
 * on the proxies after istiod's push delay. The requests are folded by the
 * state of the mesh when they started, for the states in between (after the
 * first push landed and before the last did) — what no steady state shows.
 */
export function runRollout(before: Session, simulation: SimulationSpec, steps: RolloutStep[], keyOf: (r: FoldedRequest) => string, options: { applyAt: Micros; gap: Micros; drain: Micros; seed?: number }): RolloutRun {
  const arrivals: RolloutRun['arrivals'] = [];
  const pushes: RolloutPush[] = [];
  const versions = new Map<number, RolloutPush>();
  let applying: RolloutPush | undefined;
  const stateAt = (t: Micros): number => {
    let state = 0;
    while (state < arrivals.length && (arrivals[state]?.at ?? Infinity) <= t) state += 1;
    return state;
  };
  const fold = new CallFold(routeLabels(before.xds), (r) => {
    const state = stateAt(r.startedAt);
    // The last state is AFTER's (or as far as the pushes got): which states were in between is known once the run is over.
    return state >= 1 ? `${state}${STATE_SEPARATOR}${keyOf(r)}` : undefined;
  });
  const sink = (e: MeshEvent): void => {
    if (e.kind === 'config.change' && applying) versions.set(e.version, applying);
    else if (e.kind === 'config.push') {
      const push = versions.get(e.version);
      if (push && push.arrivedAt === undefined) {
        push.arrivedAt = e.t;
        arrivals.push({ at: e.t, label: push.label });
      }
    }
    fold.add(e);
  };
  const seed = options.seed ?? simulation.seed;
  const live = openLive({ ...before, scenario: { ...before.scenario, simulation: { ...simulation, seed } } }, { sink, base: before });
  // One push leaves no state in between: the traffic is only needed when a timeline may hold istiod back.
  if (steps.length > 1 || simulation.timeline.some((e) => e.action.kind === 'controlPlane')) live.scheduleScenario();
  steps.forEach((step, i) => {
    const at = options.applyAt + i * options.gap;
    live.runUntil(at);
    applying = { label: step.label, appliedAt: at, arrivedAt: undefined };
    pushes.push(applying);
    const result = live.change({ kind: 'apply', documents: step.documents });
    if (!result.ok) applying.refused = refusal(result.diagnostics);
    applying = undefined;
  });
  // Closed-loop traffic has no fixed end: an hour of virtual time, as `simulate` gives it.
  const end = trafficEnd(simulation) + Math.max(options.drain, simulation.traffic.some((t) => t.load.kind === 'closed') ? 3_600_000_000 : 0);
  const accepted = pushes.filter((p) => p.refused === undefined).length;
  // Only the states before the last push count: the run stops once it has landed and the requests started before it have ended.
  while (!live.idle) {
    const next = live.nextTaskTime();
    if (next === undefined || next > end) break;
    const last = arrivals.at(-1);
    if (arrivals.length >= accepted && (!last || !fold.inFlightSince(last.at))) break;
    live.runUntil(Math.min(end, next + 100_000));
  }
  return { pushes, arrivals, fold };
}

/** Why a push was refused: its errors, each said once, with how many places it was found in when more than one. */
function refusal(diagnostics: readonly Diagnostic[]): string {
  const counts = new Map<string, number>();
  for (const d of diagnostics) if (d.severity === 'error') counts.set(`${d.code} ${d.message}`, (counts.get(`${d.code} ${d.message}`) ?? 0) + 1);
  return [...counts].map(([text, n]) => (n > 1 ? `${text} (${n} places)` : text)).join('; ');
}
