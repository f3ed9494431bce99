import { meshCostsFor } from '../../model/index.ts';
import type { CostedMesh, Flavor, MeshCostFigures, Scenario } from '../../model/index.ts';
import type { SimulationReport } from '../../telemetry/index.ts';
import { ApiError } from '../ApiError.ts';
import { sessionOf, type Session } from '../Session.ts';
import { runSimulation, type SimulateOptions } from '../simulate.ts';
import { translateToLinkerd } from './translateToLinkerd.ts';

/** What `meshviz compare` puts side by side for one flavor. */
export interface FlavorComparison {
  flavor: CostedMesh;
  /** False for a flavor meshviz does not simulate yet: its costs alone are shown. */
  simulated: boolean;
  run?: {
    requests: number;
    /** Share of the traffic's answers that were 2xx. */
    successRate: number;
    p50Ms: number;
    p99Ms: number;
    retries: number;
    /** Answers a client proxy made itself because no endpoint could take the request (UH, FAIL_FAST). */
    failFast: number;
    /** Outlier ejections (Istio) or failure-accrual back-offs (Linkerd). */
    ejections: number;
  };
  /** The proxies the pods run, and what they cost at the rate the run pushed through them. */
  proxies: number;
  proxyMemoryMB: number;
  proxyCpu: number;
  costs: MeshCostFigures;
  /** What this flavor did about each failure of the timeline, in its own terms. */
  onFailure: string[];
  /** The scenario as this flavor configures it: what was carried over and what was not. */
  translated: string[];
  notTranslated: string[];
}

export interface CompareOptions extends Pick<SimulateOptions, 'duration' | 'seed' | 'force'> {
  flavors: readonly CostedMesh[];
}

/**
 * The same workloads, traffic and failures under each flavor: the scenario is
 * run as written under its own flavor and translated for the others (Istio →
 * Linkerd; `translateToLinkerd` lists what cannot be carried over), then
 * each run's latency, success, retries and fail-fast answers are set beside
 * the proxies' published costs (`MESH_COSTS`, every figure cited). A flavor
 * meshviz does not simulate yet shows its costs only.
 */
export function compareFlavors(session: Session, options: CompareOptions): FlavorComparison[] {
  return options.flavors.map((flavor) => compareOne(session, flavor, options));
}

function compareOne(session: Session, flavor: CostedMesh, options: CompareOptions): FlavorComparison {
  const costs = meshCostsFor(flavor, session.scenario.simulation.meshCosts);
  if (flavor === 'istio-ambient') {
    return { flavor, simulated: false, proxies: 0, proxyMemoryMB: 0, proxyCpu: 0, costs, onFailure: [], translated: [], notTranslated: ['istio-ambient is not simulated yet: its published costs are shown for comparison'] };
  }
  const { scenario, translated, notTranslated } = forFlavor(session.scenario, flavor);
  const opened = scenario === session.scenario ? { ok: true as const, session } : sessionOf(session.files, scenario);
  if (!opened.ok) throw new ApiError(`the scenario translated to ${flavor} does not compile: ${opened.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message).join('; ')}`, 'compare the flavors one at a time with simulate');
  const report = runSimulation(opened.session, { duration: options.duration, seed: options.seed, force: options.force });
  const proxies = scenario.pods.filter((p) => p.sidecar).length;
  const seconds = Math.max(report.durationMs / 1000, 1e-9);
  // Every hop passes two proxies (the caller's and the callee's) when both are meshed.
  const proxyRps = (report.edges.reduce((n, e) => n + e.requests, 0) * 2) / seconds;
  return {
    flavor,
    simulated: true,
    run: runFigures(report),
    proxies,
    proxyMemoryMB: round(proxies * costs.memoryMB, 1),
    proxyCpu: round((proxyRps / 1000) * costs.cpuPer1000Rps, 3),
    costs,
    onFailure: failureStory(scenario, report, flavor),
    translated,
    notTranslated,
  };
}

function forFlavor(scenario: Scenario, flavor: Flavor): { scenario: Scenario; translated: string[]; notTranslated: string[] } {
  if (scenario.simulation.flavor === flavor) return { scenario, translated: [], notTranslated: [] };
  if (scenario.simulation.flavor === 'istio' && flavor === 'linkerd') return translateToLinkerd(scenario);
  throw new ApiError(`compare translates Istio scenarios to other flavors; this scenario's flavor is ${scenario.simulation.flavor}`, `compare it with --flavors ${scenario.simulation.flavor}, or start from the Istio version of the scenario`);
}

function runFigures(report: SimulationReport): NonNullable<FlavorComparison['run']> {
  const traffic = report.traffic;
  const completed = traffic.reduce((n, t) => n + t.completed, 0);
  const ok = traffic.reduce((n, t) => n + Object.entries(t.byCode).filter(([code]) => code.startsWith('2')).reduce((m, [, c]) => m + c, 0), 0);
  const busiest = [...traffic].sort((a, b) => b.completed - a.completed)[0];
  const failFast = report.calls.reduce((n, c) => n + (c.byFlags['UH'] ?? 0) + (c.byFlags['FAIL_FAST'] ?? 0), 0);
  return {
    requests: completed,
    successRate: completed === 0 ? 0 : round(ok / completed, 4),
    p50Ms: round(busiest?.latencyMs.p50 ?? 0, 2),
    p99Ms: round(busiest?.latencyMs.p99 ?? 0, 2),
    retries: report.retries,
    failFast,
    ejections: report.ejections.length,
  };
}

/** Each timeline failure, and what the flavor's proxies did about the failing pods. */
function failureStory(scenario: Scenario, report: SimulationReport, flavor: Flavor): string[] {
  const out: string[] = [];
  for (const entry of scenario.simulation.timeline) {
    const action = entry.action;
    if (action.kind !== 'fail') continue;
    const target = 'workload' in action.target ? action.target.workload : action.target.pod;
    const pods = new Set(scenario.pods.filter((p) => p.workload === target || p.name === target).map((p) => p.name));
    const hits = report.ejections.filter((e) => pods.has(e.endpoint) && e.atMs >= entry.at / 1000);
    const at = `${entry.at / 1_000_000} s`;
    if (hits.length === 0) {
      out.push(`${target} fails (${action.mode}) at ${at}: ${flavor === 'linkerd' ? 'failure accrual never made it unavailable' : 'outlier detection never ejected it'}`);
      continue;
    }
    const first = hits[0] as (typeof hits)[number];
    const periods = hits.map((h) => (h.durationMs === null ? 'to the end' : `${round(h.durationMs / 1000, 1)} s`)).join(', ');
    out.push(
      flavor === 'linkerd'
        ? `${target} fails (${action.mode}) at ${at}: failure accrual made it unavailable ${hits.length}× from ${round(first.atMs / 1000, 1)} s (${periods}), one probe request after each`
        : `${target} fails (${action.mode}) at ${at}: outlier detection ejected it ${hits.length}× from ${round(first.atMs / 1000, 1)} s (${periods})`,
    );
  }
  return out;
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
