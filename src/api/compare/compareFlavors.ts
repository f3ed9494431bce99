import { meshCostsFor } from '../../model/index.ts';
import type { CostedMesh, Flavor, MeshCostFigures, MeshXds, Scenario } from '../../model/index.ts';
import type { SimulationReport } from '../../telemetry/index.ts';
import { ApiError } from '../ApiError.ts';
import { sessionOf, type Session } from '../Session.ts';
import { runSimulation, type SimulateOptions } from '../simulate.ts';
import { translateScenario } from './translateScenario.ts';

/** What `meshviz compare` puts side by side for one flavor. */
export interface FlavorComparison {
  flavor: CostedMesh;
  /** Whether the flavor was run (every flavor is now; kept for readers of the JSON). */
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
  /** The proxies the pods run (under ambient: ztunnels and waypoints), and what they cost at the rate the run pushed through them. */
  proxies: number;
  /** Under ambient: how the proxies divide. */
  ambient?: { ztunnels: number; waypoints: number; requestsThroughWaypoints: number };
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
 * Linkerd and Linkerd → Istio; `translateToLinkerd` and `translateFromLinkerd`
 * list what cannot be carried over; Linkerd → ambient goes through Istio), then
 * each run's latency, success, retries and fail-fast answers are set beside
 * the proxies' published costs (`MESH_COSTS`, every figure cited); Istio →
 * ambient by `translateToAmbient`.
 */
export function compareFlavors(session: Session, options: CompareOptions): FlavorComparison[] {
  return options.flavors.map((flavor) => compareOne(session, flavor, options));
}

function compareOne(session: Session, flavor: CostedMesh, options: CompareOptions): FlavorComparison {
  const costs = meshCostsFor(flavor, session.scenario.simulation.meshCosts);
  const { scenario, translated, notTranslated } = translateScenario(session.scenario, flavor);
  const opened = scenario === session.scenario ? { ok: true as const, session } : sessionOf(session.files, scenario);
  if (!opened.ok) throw new ApiError(`the scenario translated to ${flavor} does not compile: ${opened.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message).join('; ')}`, 'compare the flavors one at a time with simulate');
  const report = runSimulation(opened.session, { duration: options.duration, seed: options.seed, force: options.force });
  const seconds = Math.max(report.durationMs / 1000, 1e-9);
  const load = flavor === 'istio-ambient' ? ambientLoad(opened.session.xds, scenario, report, seconds, costs) : sidecarLoad(scenario, report, seconds, costs);
  return {
    flavor,
    simulated: true,
    run: runFigures(report),
    ...load,
    costs,
    onFailure: failureStory(scenario, report, flavor),
    translated,
    notTranslated,
  };
}

/** Sidecars: one proxy per meshed pod; every hop passes two (the caller's and the callee's) when both are meshed. */
function sidecarLoad(scenario: Scenario, report: SimulationReport, seconds: number, costs: MeshCostFigures): Pick<FlavorComparison, 'proxies' | 'proxyMemoryMB' | 'proxyCpu'> {
  const proxies = scenario.pods.filter((p) => p.sidecar).length;
  const proxyRps = (report.edges.reduce((n, e) => n + e.requests, 0) * 2) / seconds;
  return { proxies, proxyMemoryMB: round(proxies * costs.memoryMB, 1), proxyCpu: round((proxyRps / 1000) * costs.cpuPer1000Rps, 3) };
}

/**
 * Ambient (§11, §12): one ztunnel per node that runs meshed pods and one
 * waypoint per Gateway; every call passes the caller's node's ztunnel and,
 * when it reaches a pod, the callee's; a call to a service bound to a
 * waypoint passes the waypoint too.
 */
function ambientLoad(xds: MeshXds, scenario: Scenario, report: SimulationReport, seconds: number, costs: MeshCostFigures): Pick<FlavorComparison, 'proxies' | 'proxyMemoryMB' | 'proxyCpu' | 'ambient'> {
  const ztunnels = new Set(scenario.pods.filter((p) => p.ambient).map((p) => p.node)).size;
  const waypoints = scenario.waypoints.length;
  const bound = new Set<string>();
  for (const proxy of Object.values(xds.proxies)) for (const host of Object.keys(proxy.ztunnel?.waypoints ?? {})) bound.add(host);
  // The caller's ztunnel (and a waypoint) see every call, answered or not; the destination's ztunnel only what reached a pod.
  const calls = report.calls.reduce((n, c) => n + c.requests, 0);
  const arrived = report.edges.reduce((n, e) => n + e.requests, 0);
  const throughWaypoint = report.calls.filter((c) => bound.has(c.destinationService)).reduce((n, c) => n + c.requests, 0);
  const waypointCpu = costs.waypointCpuPer1000Rps ?? 0;
  const waypointMemory = costs.waypointMemoryMB ?? 0;
  const cpu = ((calls + arrived) / seconds / 1000) * costs.cpuPer1000Rps + (throughWaypoint / seconds / 1000) * waypointCpu;
  return {
    proxies: ztunnels + waypoints,
    proxyMemoryMB: round(ztunnels * costs.memoryMB + waypoints * waypointMemory, 1),
    proxyCpu: round(cpu, 3),
    ambient: { ztunnels, waypoints, requestsThroughWaypoints: throughWaypoint },
  };
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
      out.push(`${target} fails (${action.mode}) at ${at}: ${flavor === 'linkerd' ? 'failure accrual never made it unavailable' : flavor === 'istio-ambient' ? 'no waypoint ejected it (ztunnel alone has no outlier detection)' : 'outlier detection never ejected it'}`);
      continue;
    }
    const first = hits[0] as (typeof hits)[number];
    const periods = hits.map((h) => (h.durationMs === null ? 'to the end' : `${round(h.durationMs / 1000, 1)} s`)).join(', ');
    out.push(
      flavor === 'linkerd'
        ? `${target} fails (${action.mode}) at ${at}: failure accrual made it unavailable ${hits.length}× from ${round(first.atMs / 1000, 1)} s (${periods}), one probe request after each`
        : `${target} fails (${action.mode}) at ${at}: ${flavor === 'istio-ambient' ? "the waypoint's outlier detection (one for every caller)" : 'outlier detection'} ejected it ${hits.length}× from ${round(first.atMs / 1000, 1)} s (${periods})`,
    );
  }
  return out;
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
