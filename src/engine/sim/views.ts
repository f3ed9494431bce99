import type { FailureMode, Micros } from '../../model/index.ts';
import { budgetBalance } from '../proxy/index.ts';
import type { ClusterRuntime, World } from './World.ts';

/**
 * Plain read models of a running simulation, for views (the visualizer's
 * cards and grids): copies, so a reader never holds engine records.
 */
export interface PodView {
  name: string;
  workload: string;
  namespace: string;
  sidecar: boolean;
  /** How the pod fails now (the timeline's or a control's `fail`). */
  failing: FailureMode | undefined;
  /** Attempts that reached it. */
  received: number;
}

/**
 * One endpoint as one client sidecar sees it (§3, §10.4: the state is per
 * client): Envoy's outlier detector, or Linkerd's failure accrual (then
 * `ejected` means unavailable, `ejections` counts back-offs and
 * `consecutive5xx` failures in a row).
 */
export interface EndpointView {
  pod: string;
  ejected: boolean;
  ejections: number;
  consecutive5xx: number;
  /** Under failure accrual: its state now, and when an unavailable endpoint is let to probe again. */
  accrual?: { state: 'available' | 'unavailable' | 'probation'; until: Micros };
  /** Under Peak-EWMA: the balancer's cost now, in ms (the estimate decayed to now × requests in flight + 1). */
  ewmaCost?: number;
}

/** A cluster one client sidecar has used: its circuit-breaker gauges and its endpoints. */
export interface ClusterView {
  /** `outbound|port|subset|fqdn` */
  name: string;
  outlierDetection: boolean;
  /** Linkerd's failure accrual instead of outlier detection. */
  failureAccrual: boolean;
  /** The balancer (`LEAST_REQUEST`, `PEAK_EWMA`, …). */
  balancer: string;
  /** A Linkerd ServiceProfile retry budget this sidecar keeps for it: the retries it would grant now. */
  retryBudget?: number;
  overflows: number;
  connections: number;
  pending: number;
  active: number;
  endpoints: EndpointView[];
}

export function podView(w: World, name: string): PodView | undefined {
  const runtime = w.pods[name];
  if (!runtime) return undefined;
  const { pod } = runtime;
  return { name: pod.name, workload: pod.workload, namespace: pod.namespace, sidecar: pod.sidecar, failing: runtime.failure?.mode, received: runtime.received };
}

/** The clusters `callerPod`'s sidecar has used, by name. */
export function clusterViews(w: World, callerPod: string): ClusterView[] {
  const proxy = w.proxies[callerPod];
  if (!proxy) return [];
  return Object.keys(proxy.clusters)
    .sort()
    .flatMap((name) => {
      const cr = proxy.clusters[name];
      if (!cr) return [];
      return [
        {
          name,
          outlierDetection: cr.config.outlier !== undefined,
          failureAccrual: cr.config.accrual !== undefined,
          balancer: cr.config.lb.kind,
          ...(cr.retryBudget ? { retryBudget: Math.floor(budgetBalance(cr.retryBudget) / cr.retryBudget.withdraw) } : {}),
          overflows: cr.overflows,
          connections: cr.open.connections,
          pending: cr.open.pending,
          active: cr.open.requests,
          endpoints: cr.config.endpoints.map((ep) => (cr.config.accrual ? accrualView(cr, ep.pod, w.now) : outlierView(cr, ep.pod, w.now))),
        },
      ];
    });
}

function outlierView(cr: ClusterRuntime, pod: string, now: Micros): EndpointView {
  const host = cr.outlier[pod];
  return { pod, ejected: host?.ejected === true, ejections: host?.ejections ?? 0, consecutive5xx: host?.consecutive5xx ?? 0, ...ewmaOf(cr, pod, now) };
}

/** An unavailable endpoint whose back-off is over is on probation (the engine moves it there at its next pick). */
function accrualView(cr: ClusterRuntime, pod: string, now: Micros): EndpointView {
  const host = cr.accrual[pod];
  const state = host?.state === 'unavailable' && now >= host.until ? 'probation' : (host?.state ?? 'available');
  return {
    pod,
    ejected: state === 'unavailable',
    ejections: host?.penalties ?? 0,
    consecutive5xx: host?.failures ?? 0,
    accrual: { state, until: host?.until ?? 0 },
    ...ewmaOf(cr, pod, now),
  };
}

/** Peak-EWMA's cost read without touching the estimate (the balancer's own read decays it). */
function ewmaOf(cr: ClusterRuntime, pod: string, now: Micros): { ewmaCost?: number } {
  const lb = cr.config.lb;
  if (lb.kind !== 'PEAK_EWMA') return {};
  const host = cr.hosts.get(pod);
  const estimate = host?.ewma;
  const rtt = estimate ? estimate.rtt * Math.exp(-Math.max(0, now - estimate.at) / lb.decay) : lb.defaultRtt;
  return { ewmaCost: (rtt * ((host?.activeRequests ?? 0) + 1)) / 1000 };
}

/** Whether any client sidecar has any endpoint ejected now. */
export function anyEjected(w: World): boolean {
  for (const proxy of Object.values(w.proxies)) {
    for (const cr of Object.values(proxy.clusters)) {
      for (const host of Object.values(cr.outlier)) if (host.ejected) return true;
      for (const host of Object.values(cr.accrual)) if (host.state !== 'available') return true;
    }
  }
  return false;
}
