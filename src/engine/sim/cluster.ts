import { byName } from '../../model/index.ts';
import { accrualAdmits, createAccrualHost, createBalancerState, createFailFastQueue, createOutlierHost } from '../proxy/index.ts';
import type { Micros } from '../../model/index.ts';
import type { AttemptState, ClusterRuntime, EndpointHost, PriorityState, ProxyRuntime, World } from './World.ts';

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
    accrual: byName(),
    failFast: config.failFast ? createFailFastQueue() : undefined,
    retryBudget: undefined,
    ticking: false,
    hosts: new Map(),
    hostList: [],
    hostListFor: undefined,
    ejectionEpoch: 0,
    available: { epoch: -1, from: [], hosts: [] },
    priorities: proxy.xds.priorities?.[name],
    priorityState: undefined,
    localityWeights: proxy.xds.localityWeights?.[name],
    localityState: undefined,
    pools: new Map(),
    open: { connections: 0, pending: 0, requests: 0, retries: 0 },
    overflows: 0,
    removed: false,
  };
  if (config.outlier) for (const ep of config.endpoints) cr.outlier[ep.pod] = createOutlierHost();
  if (config.accrual) for (const ep of config.endpoints) cr.accrual[ep.pod] = createAccrualHost();
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
    // Every field from birth (the ones found on first use too): hosts that grew them in different orders would each
    // have a shape of their own, and every pick, admission and result reads hosts.
    const made: EndpointHost = { pod: endpoint.pod, activeRequests: 0, ewma: undefined, endpoint, runtime: undefined, pool: undefined, outlier: undefined };
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
export function availableEndpoints(cr: ClusterRuntime, now: Micros): EndpointHost[] {
  const all = lbHosts(cr);
  if (cr.config.accrual) return admittedByAccrual(cr, all, now);
  if (!cr.config.outlier) return all;
  const cached = cr.available;
  if (cached.epoch === cr.ejectionEpoch && cached.from === all) return cached.hosts;
  const ejected = ejectedCount(cr);
  const hosts = ejected === 0 || inPanic(cr, ejected) ? all : all.filter((h) => !cr.outlier[h.pod]?.ejected);
  cr.available = { epoch: cr.ejectionEpoch, from: all, hosts };
  return hosts;
}

/** Envoy's overprovisioning factor, in percent (1.4). */
const OVERPROVISIONING = 140;

/**
 * Locality failover (§5): the priority a request goes to, drawn by Envoy's
 * priority load, and the hosts the balancer may use there. A priority's
 * health is min(100, 1.4 × its healthy share in percent, in whole numbers);
 * levels take load in order, each as much as its health scaled to the
 * normalized total (at most 100), the rounding rest going to the first
 * healthy level; a level is in panic (all its hosts used) when the total is
 * under 100 and its healthy share under the panic threshold, and when every
 * level is, load follows host counts (Envoy src
 * `source/common/upstream/load_balancer_impl.cc`: `recalculatePerPriorityState`,
 * `distributeLoad`, `recalculatePerPriorityPanic`, `choosePriority` with
 * `random % 100 + 1`). The draw comes from the cluster's balancer stream.
 */
export function priorityHosts(cr: ClusterRuntime, priorities: number[]): { hosts: EndpointHost[]; priority: number; load: number[] } {
  const state = priorityStateOf(cr, priorities);
  const draw = cr.rng.int(100) + 1;
  let sum = 0;
  for (let p = 0; p < state.load.length; p++) {
    sum += state.load[p] as number;
    if (draw <= sum) return { hosts: state.hosts[p] as EndpointHost[], priority: p, load: state.load };
  }
  return { hosts: state.hosts[0] as EndpointHost[], priority: 0, load: state.load };
}

function priorityStateOf(cr: ClusterRuntime, priorities: number[]): PriorityState {
  const all = lbHosts(cr);
  const cached = cr.priorityState;
  if (cached && cached.epoch === cr.ejectionEpoch && cached.from === all && cached.priorities === priorities) return cached;
  let levels = 0;
  for (const p of priorities) if (p + 1 > levels) levels = p + 1;
  const every: EndpointHost[][] = Array.from({ length: levels }, () => []);
  const healthy: EndpointHost[][] = Array.from({ length: levels }, () => []);
  all.forEach((host, i) => {
    const p = priorities[i] ?? 0;
    (every[p] as EndpointHost[]).push(host);
    if (!cr.outlier[host.pod]?.ejected) (healthy[p] as EndpointHost[]).push(host);
  });
  const health = every.map((hosts, p) => (hosts.length === 0 ? 0 : Math.min(100, Math.floor((OVERPROVISIONING * (healthy[p] as EndpointHost[]).length) / hosts.length))));
  const normalized = Math.min(100, health.reduce((a, b) => a + b, 0));
  const threshold = cr.config.healthyPanicThreshold;
  const panic = every.map((hosts, p) => normalized < 100 && threshold > 0 && hosts.length > 0 && (100 * (healthy[p] as EndpointHost[]).length) / hosts.length < threshold);
  let load: number[];
  let hosts: EndpointHost[][];
  if ((normalized === 0 && threshold > 0) || (normalized > 0 && panic.every(Boolean))) {
    load = shares(every.map((h) => h.length), all.length);
    hosts = every;
  } else if (normalized === 0) {
    // Panic disabled and nothing healthy: P0 takes it all, and has no host to give it to.
    load = every.map((_, p) => (p === 0 ? 100 : 0));
    hosts = healthy;
  } else {
    load = [];
    let left = 100;
    for (const h of health) {
      const share = Math.min(left, Math.floor((h * 100) / normalized));
      load.push(share);
      left -= share;
    }
    const first = health.findIndex((h) => h > 0);
    load[first] = (load[first] as number) + left;
    hosts = every.map((h, p) => (panic[p] ? h : (healthy[p] as EndpointHost[])));
  }
  const state: PriorityState = { epoch: cr.ejectionEpoch, from: all, priorities, load, hosts };
  cr.priorityState = state;
  return state;
}

/** Whole percents in proportion to `counts`, the rounding rest to the first non-empty one. */
function shares(counts: number[], total: number): number[] {
  if (total === 0) return counts.map((_, p) => (p === 0 ? 100 : 0));
  const out = counts.map((n) => Math.floor((100 * n) / total));
  const first = counts.findIndex((n) => n > 0);
  out[first] = (out[first] as number) + 100 - out.reduce((a, b) => a + b, 0);
  return out;
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

/**
 * Linkerd's balancer sees only endpoints whose breaker admits a request now
 * (§10.4): available ones, and one in probation until its probe is taken.
 * Worked out on every pick, since back-offs end with time.
 */
function admittedByAccrual(cr: ClusterRuntime, all: EndpointHost[], now: Micros): EndpointHost[] {
  let admitted: EndpointHost[] | undefined;
  for (let i = 0; i < all.length; i++) {
    const host = all[i] as EndpointHost;
    const state = cr.accrual[host.pod] ?? (cr.accrual[host.pod] = createAccrualHost());
    if (accrualAdmits(state, now)) {
      admitted?.push(host);
    } else if (!admitted) {
      admitted = all.slice(0, i);
    }
  }
  return admitted ?? all;
}

/** Endpoints the balancer may not use now: ejected, or unavailable under failure accrual. */
export function unavailableCount(cr: ClusterRuntime): number {
  if (!cr.config.accrual) return ejectedCount(cr);
  let n = 0;
  for (const h of lbHosts(cr)) if (cr.accrual[h.pod]?.state === 'unavailable' || cr.accrual[h.pod]?.probing) n += 1;
  return n;
}
