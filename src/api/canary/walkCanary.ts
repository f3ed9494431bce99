import type { Micros, RolloutSpec, TrafficSpec } from '../../model/index.ts';
import { ApiError } from '../ApiError.ts';
import { openLive } from '../live/LiveMesh.ts';
import { openSession } from '../Session.ts';
import type { Session } from '../Session.ts';
import { CanaryFold } from './CanaryFold.ts';
import { check } from './gateCheck.ts';
import type { GateCheck } from './gateCheck.ts';
import { walkArgoRollout } from './walkArgoRollout.ts';
import type { ArgoGate } from './walkArgoRollout.ts';
import type { WindowStats } from './CanaryFold.ts';
import { canaryDocuments } from './canaryDocuments.ts';


/** One tick of Flagger's control loop, or one step of an Argo Rollout. */
export interface CanaryStep {
  step: number;
  atMs: number;
  /** What the controller did: Flagger's start, advance, halt, promote, rollback; Argo's setWeight, pause (its gate checked at its end), abort, promote. */
  action: 'start' | 'advance' | 'halt' | 'promote' | 'rollback' | 'setWeight' | 'pause' | 'abort';
  /** The canary's weight from this tick on (what the VirtualService now says). */
  weight: number;
  checks: GateCheck[];
  failedChecks: number;
  /** What the traffic's callers got since the previous tick. */
  users: WindowStats;
}

export interface CanaryWalk {
  /** Flagger's Canary or Argo's Rollout. */
  kind: 'Canary' | 'Rollout';
  canary: string;
  /** The workload running the new version, and the one running the old. */
  target: string;
  stable: string;
  /** The Service (Flagger) or VirtualService (Argo) whose weights move. */
  service: string;
  /** `paused`: an Argo pause without a duration, which waits for someone to promote it. */
  outcome: 'promoted' | 'rolled back' | 'traffic ended' | 'paused';
  /** The step at which the failed checks reached the threshold (the rollback follows at the next tick), or null. */
  failedAtStep: number | null;
  steps: CanaryStep[];
  /** The VirtualService weights each step applied, in order: [primary, canary]. */
  weights: Array<[number, number]>;
  /** What users got in the interval after the rollback; null when there was none. */
  afterRollback: WindowStats | null;
  /** Whether the traffic was generated (the Simulation had none): external → the Service at 10 rps. */
  generatedTraffic: boolean;
}

/**
 * Walks a Flagger Canary through a run, as Flagger's control loop would
 * (its scheduler, canary strategy): every `interval`, roll back when the
 * failed checks have reached `threshold`; at the first tick start the
 * analysis; otherwise run the built-in checks over the canary's sidecar
 * metrics of the last `metrics[].interval` (a check with no request fails,
 * as "no values found" does) and count a failure, or advance the canary by
 * `stepWeight` until `maxWeight`, then promote. Each change is a
 * VirtualService edit pushed through the live mesh's one change path (push
 * delay included), while the Simulation's traffic runs; the canary
 * behaves as the Simulation says its Deployment does, the primary as
 * `<target>-primary` does (defaults when not listed). After promotion the
 * primary runs the canary's version: the walk ends there.
 */
export function walkCanary(session: Session, name?: string, gate: ArgoGate = {}): CanaryWalk {
  const { rollouts, argoRollouts } = session.scenario;
  const names = [...rollouts, ...argoRollouts].map((r) => r.name);
  if (name === undefined && names.length > 1) throw new ApiError(`${names.length} rollouts in the files`, `name one with --canary: ${names.join(', ')}`);
  const argo = argoRollouts.find((r) => name === undefined || r.name === name);
  const rollout = rollouts.find((r) => name === undefined || r.name === name);
  if (!rollout && argo) return walkArgoRollout(session, argo, gate);
  if (!rollout) throw new ApiError(name === undefined ? 'no Canary (flagger.app/v1beta1) or Rollout (argoproj.io/v1alpha1) in the files' : `no Canary or Rollout named ${name}`, names.length ? `rollouts: ${names.join(', ')}` : 'add the Canary beside the Deployment it rolls out, or the Rollout');
  // The gate is the Argo Rollout's pauses' check: a Flagger Canary's analysis names its own thresholds.
  const given = gate.minSuccessRate !== undefined ? '--min-success-rate' : gate.maxP99Ms !== undefined ? '--max-p99' : undefined;
  if (given) throw new ApiError(`${given} gates an Argo Rollout's pauses, and ${rollout.name} is a Flagger Canary, whose analysis sets its own thresholds: it would change nothing`, `leave ${given} out; the Canary's spec.analysis.metrics (request-success-rate, request-duration) are what it checks`);
  const { analysis } = rollout;
  const horizon = analysis.interval * (Math.ceil(analysis.maxWeight / analysis.stepWeight) + analysis.threshold + 3);
  const generatedTraffic = session.scenario.simulation.traffic.length === 0;
  const users: TrafficSpec = { name: 'users', from: 'external', host: rollout.service.name, port: rollout.service.port, path: '/', method: 'GET', headers: {}, load: { kind: 'open', rps: 10, duration: horizon }, start: 0 };
  const generated = canaryDocuments(session.scenario, rollout, generatedTraffic ? users : undefined);
  const load = generatedTraffic ? { simulationFile: generated.name } : {};
  const opened = openSession([...session.files, generated], load);
  if (!opened.ok) {
    const first = opened.diagnostics.find((d) => d.severity === 'error');
    throw new ApiError(`with what Flagger creates for ${rollout.name}, the scenario has errors: ${first?.message ?? ''}`, 'meshviz analyze the files for the rest');
  }
  const walked = opened.session;
  const traffic = walked.scenario.simulation.traffic;
  const fold = new CanaryFold(rollout.target);
  const live = openLive(walked, { sink: fold.add, load });
  live.scheduleScenario();
  const route = live.routes().find((r) => r.doc.kind === 'VirtualService' && r.doc.name === rollout.service.name && r.doc.namespace === rollout.namespace);
  if (!route) throw new ApiError(`no weighted route for ${rollout.service.name}`, 'the generated VirtualService did not load');
  const trafficEnd = Math.max(...traffic.map((t) => t.start + (t.load.kind === 'open' ? t.load.duration : horizon)));
  return walk(rollout, live, route.key, fold, trafficEnd, generatedTraffic);
}

function walk(rollout: RolloutSpec, live: ReturnType<typeof openLive>, routeKey: string, fold: CanaryFold, trafficEnd: Micros, generatedTraffic: boolean): CanaryWalk {
  const { analysis } = rollout;
  const steps: CanaryStep[] = [];
  const weights: Array<[number, number]> = [];
  let weight = 0;
  let failedChecks = 0;
  let failedAtStep: number | null = null;
  let outcome: CanaryWalk['outcome'] = 'traffic ended';
  const setWeight = (w: number): void => {
    weight = w;
    weights.push([100 - w, w]);
    const changed = live.change({ kind: 'weights', route: routeKey, weights: [100 - w, w] });
    if (!changed.ok) throw new ApiError(`the weights ${100 - w}/${w} were refused: ${changed.diagnostics[0]?.message ?? ''}`, 'report this: the generated VirtualService should take any weight');
  };
  for (let k = 0; ; k++) {
    const t = k * analysis.interval;
    if (t > trafficEnd) break;
    live.runUntil(t);
    const users = fold.usersWindow(Math.max(0, t - analysis.interval), t);
    const record = (action: CanaryStep['action'], checks: GateCheck[] = []): void => {
      steps.push({ step: k, atMs: t / 1000, action, weight, checks, failedChecks, users });
    };
    if (failedChecks >= analysis.threshold) {
      setWeight(0);
      record('rollback');
      outcome = 'rolled back';
      break;
    }
    if (k === 0) {
      setWeight(Math.min(analysis.stepWeight, 100));
      record('start');
      continue;
    }
    const checks = analysis.metrics.map((m) => check(m, fold.canaryWindow(Math.max(0, t - m.interval), t)));
    if (checks.some((c) => !c.passed)) {
      failedChecks += 1;
      if (failedChecks >= analysis.threshold && failedAtStep === null) failedAtStep = k;
      record('halt', checks);
      continue;
    }
    if (weight < analysis.maxWeight) {
      setWeight(Math.min(weight + analysis.stepWeight, 100));
      record('advance', checks);
      continue;
    }
    record('promote', checks);
    outcome = 'promoted';
    break;
  }
  // One more interval after a rollback: what users saw once the canary was out.
  let afterRollback: WindowStats | null = null;
  const last = steps.at(-1);
  if (outcome === 'rolled back' && last) {
    const from = last.atMs * 1000;
    live.runUntil(from + analysis.interval);
    afterRollback = fold.usersWindow(from, from + analysis.interval);
  }
  return { kind: 'Canary', canary: rollout.name, target: rollout.target, stable: `${rollout.target}-primary`, service: rollout.service.name, outcome, failedAtStep, steps, weights, afterRollback, generatedTraffic };
}
