import type { ArgoRollout, GateMetric, Micros, TrafficSpec } from '../../model/index.ts';
import { ApiError } from '../ApiError.ts';
import { openLive } from '../live/LiveMesh.ts';
import { openSession } from '../Session.ts';
import type { Session } from '../Session.ts';
import { argoDocuments } from './argoDocuments.ts';
import { CanaryFold } from './CanaryFold.ts';
import type { WindowStats } from './CanaryFold.ts';
import { check } from './gateCheck.ts';
import type { CanaryStep, CanaryWalk } from './walkCanary.ts';

/** The gate meshviz applies at the end of each pause of an Argo Rollout (its AnalysisTemplates query a Prometheus meshviz does not have). */
export interface ArgoGate {
  /** The canary's success rate over the pause, in % (default 99). */
  minSuccessRate?: number;
  /** The canary's p99 over the pause, in ms (default: not checked). */
  maxP99Ms?: number;
}

/**
 * Walks an Argo Rollout's canary steps through a run: `setWeight` edits
 * the VirtualService routes it names (stable and canary Services), a
 * `pause` lets the traffic run for its duration and then checks the gate
 * over what the canary's sidecars recorded during it; a failed gate aborts
 * the rollout (everything back to stable, as an abort does), a pause
 * without a duration waits for a promotion that the walk does not make,
 * and after the last step the rollout is promoted.
 */
export function walkArgoRollout(session: Session, rollout: ArgoRollout, gate: ArgoGate): CanaryWalk {
  const metrics: GateMetric[] = [{ name: 'request-success-rate', min: gate.minSuccessRate ?? 99, interval: 0 }, ...(gate.maxP99Ms !== undefined ? [{ name: 'request-duration' as const, max: gate.maxP99Ms, interval: 0 }] : [])];
  const paused = rollout.steps.reduce((t, s) => t + (s.kind === 'pause' ? (s.duration ?? 0) : 0), 0);
  const generatedTraffic = session.scenario.simulation.traffic.length === 0;
  const vs = session.scenario.virtualServices.find((v) => v.metadata.name === rollout.virtualService.name && v.metadata.namespace === rollout.namespace);
  if (!vs) throw new ApiError(`Rollout ${rollout.name}: no VirtualService ${rollout.virtualService.name}`, 'trafficRouting.istio.virtualService must name a VirtualService of the files');
  const stablePort = session.scenario.services.find((s) => s.name === rollout.stableService)?.ports[0]?.port;
  const users: TrafficSpec = { name: 'users', from: 'external', host: vs.spec.hosts?.[0] ?? rollout.stableService, ...(stablePort ? { port: stablePort } : {}), path: '/', method: 'GET', headers: {}, load: { kind: 'open', rps: 10, duration: paused + 60_000_000 }, start: 0 };
  const generated = argoDocuments(session.scenario, rollout, generatedTraffic ? users : undefined);
  const load = generatedTraffic ? { simulationFile: generated.name } : {};
  const opened = openSession([...session.files, generated], load);
  if (!opened.ok) {
    const first = opened.diagnostics.find((d) => d.severity === 'error');
    throw new ApiError(`with what Argo Rollouts makes for ${rollout.name}, the scenario has errors: ${first?.message ?? ''}`, 'meshviz analyze the files for the rest');
  }
  const fold = new CanaryFold(`${rollout.name}-canary`);
  const live = openLive(opened.session, { sink: fold.add, load });
  live.scheduleScenario();
  const isService = (host: string, service: string): boolean => host === service || host.startsWith(`${service}.`);
  const routes = live.routes().filter((r) => r.doc.name === rollout.virtualService.name && r.doc.namespace === rollout.namespace && (rollout.virtualService.routes.length === 0 || rollout.virtualService.routes.includes(r.label)));
  if (routes.length === 0) throw new ApiError(`Rollout ${rollout.name}: VirtualService ${rollout.virtualService.name} has no route splitting ${rollout.stableService} and ${rollout.canaryService}${rollout.virtualService.routes.length ? ` named ${rollout.virtualService.routes.join(', ')}` : ''}`, 'its http route must list both Services as destinations');
  const steps: CanaryStep[] = [];
  const weights: Array<[number, number]> = [];
  let weight = 0;
  let t: Micros = 0;
  let outcome: CanaryWalk['outcome'] = 'promoted';
  let failedAtStep: number | null = null;
  const setWeight = (w: number): void => {
    weight = w;
    weights.push([100 - w, w]);
    for (const route of routes) {
      const changed = live.change({ kind: 'weights', route: route.key, weights: route.destinations.map((d) => (isService(d.host, rollout.canaryService) ? w : isService(d.host, rollout.stableService) ? 100 - w : 0)) });
      if (!changed.ok) throw new ApiError(`the weights ${100 - w}/${w} were refused: ${changed.diagnostics[0]?.message ?? ''}`, 'the route must list the stable and canary Services');
    }
  };
  let from: Micros = 0;
  const record = (index: number, action: CanaryStep['action'], checks: CanaryStep['checks'] = []): void => {
    steps.push({ step: index, atMs: t / 1000, action, weight, checks, failedChecks: checks.some((c) => !c.passed) ? 1 : 0, users: fold.usersWindow(from, t) });
    from = t;
  };
  for (const [index, step] of rollout.steps.entries()) {
    if (step.kind === 'setWeight') {
      setWeight(step.weight);
      record(index, 'setWeight');
      continue;
    }
    if (step.duration === null) {
      record(index, 'pause');
      outcome = 'paused';
      break;
    }
    const start = t;
    t += step.duration;
    live.runUntil(t);
    const window = fold.canaryWindow(start, t);
    const checks = metrics.map((m) => check(m, window));
    if (weight > 0 && checks.some((c) => !c.passed)) {
      record(index, 'pause', checks);
      failedAtStep = index;
      setWeight(0);
      record(index, 'abort');
      outcome = 'rolled back';
      break;
    }
    record(index, 'pause', weight > 0 ? checks : []);
  }
  if (outcome === 'promoted') record(rollout.steps.length, 'promote');
  let afterRollback: WindowStats | null = null;
  if (outcome === 'rolled back') {
    live.runUntil(t + 60_000_000);
    afterRollback = fold.usersWindow(t, t + 60_000_000);
  }
  return { kind: 'Rollout', canary: rollout.name, target: `${rollout.name}-canary`, stable: `${rollout.name}-stable`, service: rollout.virtualService.name, outcome, failedAtStep, steps, weights, afterRollback, generatedTraffic };
}
