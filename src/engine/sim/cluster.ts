import { createBalancerState, createOutlierHost } from '../proxy/index.ts';
import type { ClusterRuntime, ProxyRuntime, World } from './World.ts';

/**
 * The runtime side of a cluster in one proxy: created on first use, kept
 * across requests (balancer position, outlier counters, pools).
 */
export function clusterRuntime(w: World, proxy: ProxyRuntime, name: string): ClusterRuntime | undefined {
  const existing = proxy.clusters[name];
  if (existing) return existing;
  const config = proxy.xds.clusters[name];
  if (!config) return undefined;
  const rng = w.rng.stream(`lb:${proxy.pod}:${name}`);
  const cr: ClusterRuntime = {
    config,
    rng,
    balancer: createBalancerState(rng),
    outlier: {},
    ticking: false,
    activeByHost: {},
    connsByHost: {},
    pendingByHost: {},
    open: { connections: 0, pending: 0, requests: 0, retries: 0 },
    overflows: 0,
  };
  if (config.outlier) for (const ep of config.endpoints) cr.outlier[ep.pod] = createOutlierHost();
  proxy.clusters[name] = cr;
  return cr;
}

/** Endpoints the balancer may use: not ejected, unless the healthy share is under the panic threshold (§3.6). */
export function availableEndpoints(cr: ClusterRuntime): { pods: string[]; panic: boolean } {
  const all = cr.config.endpoints.map((e) => e.pod);
  if (!cr.config.outlier) return { pods: all, panic: false };
  const healthy = all.filter((pod) => !cr.outlier[pod]?.ejected);
  const threshold = cr.config.healthyPanicThreshold;
  if (threshold > 0 && all.length > 0 && (healthy.length / all.length) * 100 < threshold) return { pods: all, panic: true };
  return { pods: healthy, panic: false };
}

export function ejectedCount(cr: ClusterRuntime): number {
  let n = 0;
  for (const host of Object.values(cr.outlier)) if (host.ejected) n += 1;
  return n;
}
