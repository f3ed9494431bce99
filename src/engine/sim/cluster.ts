import { byName } from '../../model/index.ts';
import { createBalancerState, createOutlierHost } from '../proxy/index.ts';
import type { AttemptState, ClusterRuntime, EndpointHost, ProxyRuntime, World } from './World.ts';

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
    outlier: byName(),
    ticking: false,
    hosts: new Map(),
    hostList: [],
    hostListFor: undefined,
    ejectionEpoch: 0,
    available: { epoch: -1, from: [], hosts: [] },
    pools: new Map(),
    open: { connections: 0, pending: 0, requests: 0, retries: 0 },
    overflows: 0,
    removed: false,
  };
  if (config.outlier) for (const ep of config.endpoints) cr.outlier[ep.pod] = createOutlierHost();
  proxy.clusters[name] = cr;
  return cr;
}

/** An attempt's cluster in its client sidecar, unless a config push has removed it since. */
export function clusterOf(attempt: AttemptState): ClusterRuntime | undefined {
  const cr = attempt.cr;
  return cr !== undefined && !cr.removed ? cr : undefined;
}

/** The cluster's endpoints as balancer hosts, in config order; made again only when the cluster's config changes (active counts are kept). */
export function lbHosts(cr: ClusterRuntime): EndpointHost[] {
  if (cr.hostListFor === cr.config) return cr.hostList;
  cr.hostList = cr.config.endpoints.map((endpoint) => {
    const host = cr.hosts.get(endpoint.pod);
    if (host) {
      host.endpoint = endpoint;
      return host;
    }
    const made: EndpointHost = { pod: endpoint.pod, activeRequests: 0, endpoint };
    cr.hosts.set(endpoint.pod, made);
    return made;
  });
  cr.hostListFor = cr.config;
  return cr.hostList;
}

/**
 * Endpoints the balancer may use: not ejected, unless the healthy share is
 * under the panic threshold (§3.6). Worked out again only after an ejection,
 * a return or a config change.
 */
export function availableEndpoints(cr: ClusterRuntime): EndpointHost[] {
  const all = lbHosts(cr);
  if (!cr.config.outlier) return all;
  const cached = cr.available;
  if (cached.epoch === cr.ejectionEpoch && cached.from === all) return cached.hosts;
  const ejected = ejectedCount(cr);
  const hosts = ejected === 0 || inPanic(cr, ejected) ? all : all.filter((h) => !cr.outlier[h.pod]?.ejected);
  cr.available = { epoch: cr.ejectionEpoch, from: all, hosts };
  return hosts;
}

/** An ORIGINAL_DST cluster (PassthroughCluster) connects to the address dialled: the endpoints listed under the request's `host:port`. */
export function originalDestination(cr: ClusterRuntime, host: string, port: number): EndpointHost[] {
  const dialled = `${host}:${port}`;
  const endpoints = cr.config.endpoints;
  return lbHosts(cr).filter((_, i) => endpoints[i]?.dialled === dialled);
}

/** An endpoint of the cluster was ejected or came back: what the balancer may use is to be worked out again. */
export function ejectionsChanged(cr: ClusterRuntime): void {
  cr.ejectionEpoch += 1;
}

/** Panic mode (§3.6): so few hosts are healthy that the balancer ignores ejection. */
export function inPanic(cr: ClusterRuntime, ejected = ejectedCount(cr)): boolean {
  const total = cr.config.endpoints.length;
  const threshold = cr.config.healthyPanicThreshold;
  return ejected > 0 && threshold > 0 && total > 0 && ((total - ejected) / total) * 100 < threshold;
}

export function ejectedCount(cr: ClusterRuntime): number {
  let n = 0;
  for (const h of lbHosts(cr)) if (cr.outlier[h.pod]?.ejected) n += 1;
  return n;
}
