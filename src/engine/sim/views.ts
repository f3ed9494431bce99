import type { FailureMode } from '../../model/index.ts';
import type { World } from './World.ts';

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

/** One endpoint as one client sidecar's outlier detector sees it (§3: the state is per client). */
export interface EndpointView {
  pod: string;
  ejected: boolean;
  ejections: number;
  consecutive5xx: number;
}

/** A cluster one client sidecar has used: its circuit-breaker gauges and its endpoints. */
export interface ClusterView {
  /** `outbound|port|subset|fqdn` */
  name: string;
  outlierDetection: boolean;
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
          overflows: cr.overflows,
          connections: cr.open.connections,
          pending: cr.open.pending,
          active: cr.open.requests,
          endpoints: cr.config.endpoints.map((ep) => {
            const host = cr.outlier[ep.pod];
            return { pod: ep.pod, ejected: host?.ejected === true, ejections: host?.ejections ?? 0, consecutive5xx: host?.consecutive5xx ?? 0 };
          }),
        },
      ];
    });
}

/** Whether any client sidecar has any endpoint ejected now. */
export function anyEjected(w: World): boolean {
  for (const proxy of Object.values(w.proxies)) {
    for (const cr of Object.values(proxy.clusters)) for (const host of Object.values(cr.outlier)) if (host.ejected) return true;
  }
  return false;
}
