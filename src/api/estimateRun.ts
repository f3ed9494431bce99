import type { SimulationSpec } from '../model/index.ts';
import type { Session } from './Session.ts';

/**
 * Request-hops (one client sidecar → server sidecar attempt) simulated per
 * second of wall time, rounded down from what `npm run bench` measures on
 * two shared vCPUs with Node 24 (375,000 in `throughput`, 440,000 in
 * `bookinfoHour`). It only turns work into a time people can weigh.
 */
export const HOPS_PER_SECOND = 300_000;
/** Events per request-hop in the benchmarks (Bookinfo and the default mesh: 10.7–11.7). */
export const EVENTS_PER_HOP = 12;
/**
 * The work a run may take without `--force`: 100 million request-hops,
 * about five and a half minutes at the measured rate.
 */
export const RUN_BUDGET_HOPS = 100_000_000;

/** Calls nested deeper than this are not counted (the engine fails them: `MAX_CALL_DEPTH`). */
const MAX_DEPTH = 16;

/** What a run will cost, worked out before it starts. */
export interface RunEstimate {
  /** Requests the traffic entries start. */
  requests: number;
  /** Those requests and the app calls they cause, each counted once (no retries, no failures). */
  hops: number;
  events: number;
  /** Wall time at `HOPS_PER_SECOND`. */
  seconds: number;
}

/**
 * Estimates a run from its traffic and the apps' calls: each traffic entry's
 * requests times the calls one request sets off, following each call to the
 * workloads behind its Service (the most expensive of them). Retries and
 * failures can make a run cost more; the run itself stops at twice the
 * budget's events whatever the estimate said.
 */
export function estimateRun(session: Session, spec: SimulationSpec): RunEstimate {
  const pods = new Map(session.scenario.pods.map((p) => [p.name, p]));
  const namespaces = new Map(session.scenario.pods.map((p) => [p.workload, p.namespace]));
  const memo = new Map<string, number>();
  /** Request-hops one call to `host` costs: itself plus what the app behind it calls. */
  const callCost = (namespace: string, host: string, port: number | undefined, depth: number): number => {
    const target = session.resolve(namespace, host, port);
    if (!target || depth >= MAX_DEPTH) return 1;
    const key = `${target.host}:${target.port}@${depth}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    const endpoints = session.xds.kubeServices[`${target.host}:${target.port}`]?.endpoints ?? [];
    let most = 0;
    for (const workload of new Set(endpoints.map((e) => pods.get(e.pod)?.workload))) {
      if (workload === undefined) continue;
      let cost = 0;
      for (const call of session.scenario.simulation.workloads[workload]?.calls ?? []) {
        cost += callCost(namespaces.get(workload) ?? namespace, call.host, call.port, depth + 1);
      }
      most = Math.max(most, cost);
    }
    memo.set(key, 1 + most);
    return 1 + most;
  };
  let hops = 0;
  let requests = 0;
  for (const traffic of spec.traffic) {
    const count = traffic.load.kind === 'open' ? Math.ceil((traffic.load.rps * traffic.load.duration) / 1_000_000) : traffic.load.requests;
    requests += count;
    hops += count * callCost(namespaces.get(traffic.from) ?? 'default', traffic.host, traffic.port, 0);
  }
  return { requests, hops, events: hops * EVENTS_PER_HOP, seconds: hops / HOPS_PER_SECOND };
}

/** `72,000,000 requests (≈ 288,000,000 request-hops, ≈ 16 min here)` */
export function describeEstimate(estimate: RunEstimate): string {
  return `${count(estimate.requests)} requests (≈ ${count(estimate.hops)} request-hops, ≈ ${wallTime(estimate.seconds)} here)`;
}

function count(n: number): string {
  return n >= 1e15 ? n.toExponential(1).replace('e+', 'e') : Math.round(n).toLocaleString('en-US');
}

/** `40 s`, `16 min`, `3.5 h`, `12 days`, `4e9 years`. */
export function wallTime(seconds: number): string {
  if (seconds < 90) return `${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  if (seconds < 48 * 3600) return `${(seconds / 3600).toFixed(1)} h`;
  if (seconds < 730 * 86400) return `${Math.round(seconds / 86400)} days`;
  return `${count(seconds / (365 * 86400))} years`;
}
