import { firstMatchingRoute, matchDomain, matchRoute, pickHostAvoiding, pickReadyWeighted, pickWeighted, pickWeightedShowingDraw } from '../proxy/index.ts';
import { localityHosts } from './localityHosts.ts';
import { availableEndpoints, clusterOf, clusterRuntime, inPanic, originalDestination, priorityHosts, unavailableCount } from './cluster.ts';
import { takeAccrualProbe } from './accrual.ts';
import { backendReady, queueForEndpoint } from './failFast.ts';
import { applyRetryDecision, armRouter } from './router.ts';
import type { AttemptOutcome } from '../proxy/index.ts';
import { acquireConnection, hostPool } from './pool.ts';
import { abortNow, applyFault } from './fault.ts';
import { startShadow } from './mirror.ts';
import { ensureTrace } from './trace.ts';
import { attemptedHosts, emitFor, finishRequest, NONE, watching } from './request.ts';
import { sendOnConnection } from './wire.ts';
import { cancelTimer } from './timers.ts';
import { attemptReleased, requestAdmitted } from './gauges.ts';
import type { HeaderEditXds, ResponseFlag, RouteActionXds, RouteMiss, VirtualHostXds } from '../../model/index.ts';
import type { AttemptState, ClusterRuntime, EndpointHost, ProxyRuntime, RequestState, World } from './World.ts';
import { clientProxyWhere, ingressToWaypoint } from './ambient.ts';

const NOTHING: ReadonlySet<string> = new Set();
const FAIL_FAST: AttemptOutcome = Object.freeze({ kind: 'reset', reason: 'fail-fast' });
const NO_MISSES: RouteMiss[] = [];
/** The flags a try refused at the caller's sidecar ends with, for the run's telemetry. */
const UH: readonly ResponseFlag[] = Object.freeze(['UH'] as const);
const UO: readonly ResponseFlag[] = Object.freeze(['UO'] as const);

/**
 * The caller's sidecar has the request (§2.4 then §1): match the route, pick
 * the weighted destination, arm the route timeout, start the first attempt.
 */
export function onOutbound(w: World, req: RequestState): void {
  const proxy = req.sidecar;
  if (!proxy) return finishRequest(w, req, 503, NONE, `no sidecar config for ${req.from}`);
  const vhost = virtualHostOf(proxy, req);
  if (!vhost) {
    const vhostName = `${req.host}:${req.port}`;
    if (watching(w)) emitFor(w, req, clientProxyWhere(req), { kind: 'route.none', virtualHost: vhostName, misses: [] });
    return finishRequest(w, req, 404, ['NR'], `no route configuration for ${vhostName}`);
  }
  // ztunnel and a gateway's TCP proxy never parse HTTP, so they start no trace (§11); a waypoint does, as a sidecar would.
  const plane = proxy.xds.dataPlane;
  if (plane !== 'ztunnel' && vhost.tcpProxy !== true) ensureTrace(w, req, plane === 'waypoint' ? proxy.pod : req.from, proxy.rng.trace);
  // Only a reader of events needs the routes that did not match, and why.
  const explained = w.emit !== undefined ? matchRoute(vhost, req.head, true) : undefined;
  const route = explained ? explained.route : firstMatchingRoute(vhost, req.head);
  const misses = explained ? explained.misses : NO_MISSES;
  if (!route) {
    if (watching(w)) emitFor(w, req, clientProxyWhere(req), { kind: 'route.none', virtualHost: vhost.name, misses });
    return finishRequest(w, req, 404, ['NR'], 'no route rule matched');
  }
  req.route = route;
  if (watching(w)) emitFor(w, req, clientProxyWhere(req), { kind: 'route.match', virtualHost: vhost.name, route: route.name, origin: route.origin, misses });
  const action = route.action;
  if (action.kind !== 'route') return answerWithoutUpstream(w, req, action);
  if (applyFault(w, proxy, req, action.fault)) continueToRouter(w, req);
}

/** A route that answers itself: a direct response, a redirect, or (BlackHoleCluster) a closed connection. */
function answerWithoutUpstream(w: World, req: RequestState, action: Exclude<RouteActionXds, { kind: 'route' }>): void {
  if (action.kind === 'directResponse') return finishRequest(w, req, action.status, NONE, 'direct response from the route');
  if (action.kind === 'redirect') return finishRequest(w, req, action.status, NONE, `redirect to ${action.location}`);
  finishRequest(w, req, 0, [action.flag], action.detail);
}

/** An injected delay is over: the abort is still drawn, then the router runs. */
export function onAfterFault(w: World, req: RequestState): void {
  const proxy = req.sidecar;
  const action = req.route?.action;
  if (!proxy || action?.kind !== 'route') return;
  if (!abortNow(w, proxy, req, action.fault)) continueToRouter(w, req);
}

/** The router: weighted destination, shadows, its policy and route timeout (router.ts), the first attempt. */
function continueToRouter(w: World, req: RequestState): void {
  const proxy = req.sidecar;
  const action = req.route?.action;
  if (!proxy || action?.kind !== 'route') return;
  if (action.requestHeaders) editHeaders(req, action.requestHeaders);
  const cr = drawCluster(w, req, proxy, action);
  if (!cr) return;
  for (const mirror of action.mirrors) {
    if (mirror.percent >= 100 || proxy.rng.mirror.next() * 100 < mirror.percent) startShadow(w, req, mirror.cluster);
  }
  if (cr.config.waypoint !== undefined) return ingressToWaypoint(w, req, cr.config);
  armRouter(w, req, action);
  startAttempt(w, req, false);
}

/** The route's request header changes, on a copy: a request's headers may be shared with its caller's plan. */
function editHeaders(req: RequestState, edit: HeaderEditXds): void {
  const headers: Record<string, string> = {};
  for (const name in req.head.headers) headers[name] = req.head.headers[name] as string;
  for (const [name, value] of edit.set) headers[name] = value;
  for (const [name, value] of edit.add) headers[name] = Object.hasOwn(headers, name) ? `${headers[name]},${value}` : value;
  for (const name of edit.remove) delete headers[name];
  req.head.headers = headers;
}

/**
 * The weighted destination (§2.4) and its cluster runtime; a missing cluster
 * ends the request (503 NC). The same single draw whoever watches; a reader
 * of events is also told what it was.
 */
function drawCluster(w: World, req: RequestState, proxy: ProxyRuntime, action: Extract<RouteActionXds, { kind: 'route' }>, retry = false): ClusterRuntime | undefined {
  // linkerd-proxy draws among the backends whose queues take requests (failFast.ts `backendReady`); none: LOAD_SHED.
  if (proxy.xds.dataPlane === 'linkerd-proxy') {
    const shown = w.emit !== undefined ? { draw: 0, total: 0 } : undefined;
    const ready = pickReadyWeighted(action.clusters, proxy.rng.route, backendReady, w, req, shown);
    if (ready === undefined) return void shedAtRoute(w, req, action.clusters.length);
    req.cluster = ready;
    if (watching(w) && (!retry || action.clusters.length > 1)) {
      emitFor(w, req, clientProxyWhere(req), { kind: 'route.cluster', cluster: ready, weights: action.clusters, ...(shown && shown.total > 0 ? { draw: shown.draw } : {}) });
    }
    return runtimeOf(w, req, proxy, ready);
  }
  const shown = w.emit !== undefined ? pickWeightedShowingDraw(action.clusters, proxy.rng.route) : undefined;
  const cluster = shown ? shown.cluster : pickWeighted(action.clusters, proxy.rng.route);
  req.cluster = cluster;
  if (watching(w)) emitFor(w, req, clientProxyWhere(req), { kind: 'route.cluster', cluster, weights: action.clusters, ...(shown && shown.total > 0 ? { draw: shown.draw } : {}) });
  return runtimeOf(w, req, proxy, cluster);
}

/** The drawn cluster's runtime; a missing cluster ends the request (503 NC). */
function runtimeOf(w: World, req: RequestState, proxy: ProxyRuntime, cluster: string): ClusterRuntime | undefined {
  // A cluster's runtime exists only while the proxy's config has the cluster.
  const cr = clusterRuntime(w, proxy, cluster);
  if (!cr) {
    if (watching(w)) emitFor(w, req, clientProxyWhere(req), { kind: 'cluster.missing', cluster });
    finishRequest(w, req, 503, ['NC'], `cluster ${cluster} not found (no DestinationRule defines that subset)`);
    return undefined;
  }
  req.cr = cr;
  return cr;
}

/**
 * A Linkerd retry goes through the route's backends again (§10.1: retries
 * can hit a different backend of a multi-backend HTTPRoute), so the weighted
 * draw is made anew; Envoy keeps the cluster it drew for the request.
 */
export function startLinkerdRetry(w: World, req: RequestState): void {
  const proxy = req.sidecar;
  const action = req.route?.action;
  if (!proxy || action?.kind !== 'route') return startAttempt(w, req, true);
  // A retry passes the route's distributor again: a new draw among the ready backends (one backend: its gate).
  if (!drawCluster(w, req, proxy, action, true)) return;
  startAttempt(w, req, true);
}

/** One try at an upstream host: balance among non-ejected endpoints, then the pool. */
export function startAttempt(w: World, req: RequestState, isRetry: boolean): void {
  const proxy = req.sidecar;
  let cr = req.cr;
  if (cr === undefined || cr.removed) cr = req.cr = proxy && req.cluster ? clusterRuntime(w, proxy, req.cluster) : undefined;
  const action = req.route?.action;
  if (!proxy || !cr || !action || action.kind !== 'route') return finishRequest(w, req, 503, ['NC'], 'cluster not found');
  const byPriority = cr.priorities !== undefined && !cr.config.accrual ? priorityHosts(cr, cr.priorities) : undefined;
  // `distribute` and failover priorities never come together (istiod applies one or the other).
  const byLocality = byPriority === undefined && cr.localityWeights !== undefined && !cr.config.accrual ? localityHosts(cr, cr.localityWeights) : undefined;
  const hosts = byPriority ? byPriority.hosts : byLocality ?? (cr.config.originalDestination ? originalDestination(cr, req.host, req.port) : availableEndpoints(cr, w.now));
  // A Linkerd backend queues a request no endpoint can take, up to its fail-fast timeout (failFast.ts).
  if (cr.failFast !== undefined) {
    const queued = queueForEndpoint(w, proxy, req, cr, isRetry, hosts.length > 0);
    if (queued === 'wait') return;
    if (queued === 'loadShed') return shedRequest(w, req, cr);
  }
  req.attemptCount += 1;
  const retry = req.retryPolicy ?? action.retry;
  if (hosts.length === 0) return failFastAttempt(w, req, cr);
  const avoid = retry.previousHosts && req.attempted !== undefined ? new Set(attemptedHosts(req)) : NOTHING;
  const explain = w.emit !== undefined;
  // The header's name is the user's (`constructor`…): only the request's own headers count, never Object's members.
  const hashKey = action.hashHeader === undefined || !Object.hasOwn(req.head.headers, action.hashHeader) ? undefined : req.head.headers[action.hashHeader];
  const pick = pickHostAvoiding(cr.config.lb, hosts, cr.balancer, cr.rng, hashKey, avoid, retry.hostSelectionRetryMaxAttempts, explain, w.now);
  const host = pick.host as EndpointHost;
  const endpoint = host.pod;
  if (cr.config.accrual) takeAccrualProbe(w, req, cr, endpoint);
  w.telemetry?.attemptPicked(w.now, req.id, req.attemptCount, endpoint);
  if (watching(w)) emitFor(w, req, clientProxyWhere(req), {
    kind: 'lb.pick',
    cluster: cr.config.name,
    endpoint,
    policy: cr.config.lb.kind,
    reason: inPanic(cr) ? `panic mode (healthy share under ${cr.config.healthyPanicThreshold}%): ${pick.reason}` : pick.reason,
    healthy: hosts.length,
    // Through an ORIGINAL_DST cluster the address dialled is the whole choice.
    total: cr.config.originalDestination ? hosts.length : cr.config.endpoints.length,
    ...(byPriority ? { locality: { priority: byPriority.priority, load: byPriority.load } } : {}),
    ...(byLocality ? weightedLocality(cr) : {}),
  });
  const before = req.attempted;
  if (before === undefined) req.attempted = endpoint;
  else if (typeof before === 'string') req.attempted = [before, endpoint];
  else before.push(endpoint);
  const ep = host.endpoint;
  // Only ISTIO_MUTUAL presents the workload's mesh certificate. SIMPLE and MUTUAL (the user's own certificates)
  // are TLS the callee's app would have to terminate: to its sidecar they are not Istio mTLS, carry no SPIFFE
  // identity, and STRICT refuses them (§6.2: a DestinationRule without ISTIO_MUTUAL toward STRICT gets a 503).
  const mtls = cr.config.tls.mode === 'ISTIO_MUTUAL' && (cr.config.tls.auto ? Boolean(ep?.sidecar) : true);
  const attempt: AttemptState = {
    id: ++w.nextId.attempt,
    requestId: req.id,
    n: req.attemptCount,
    sidecar: proxy,
    cluster: cr.config.name,
    cr,
    endpoint,
    host,
    callee: (host.runtime ??= w.pods[endpoint]),
    port: ep?.port ?? req.port,
    isRetry,
    pickedAt: w.now,
    connection: undefined,
    mtls,
    state: 'connecting',
    perTryTimer: undefined,
  };
  w.attempts.set(attempt.id, attempt);
  req.currentAttempt = attempt.id;
  const got = acquireConnection(w, cr, attempt, (host.pool ??= hostPool(cr, endpoint)));
  // Most attempts get a connection at once: the words (an overflow, a wait) are compared only when none came.
  if (typeof got === 'string' && got !== 'waiting') {
    cr.overflows += 1;
    const telemetry = w.telemetry;
    if (telemetry) {
      telemetry.poolOverflowed(w.now, cr.config.name, got);
      telemetry.attemptEnded(w.now, req.id, attempt.n, 503, UO);
    }
    if (watching(w)) emitFor(w, req, clientProxyWhere(req), { kind: 'pool.overflow', cluster: cr.config.name, limit: got });
    attempt.state = 'done';
    w.attempts.delete(attempt.id);
    // Overflow is a local reset that Envoy never retries (§4.1).
    return finishRequest(w, req, 503, ['UO'], `upstream overflow: ${got} reached`);
  }
  requestAdmitted(cr, host);
  // The one word left: 'waiting'.
  if (typeof got === 'string') {
    if (watching(w)) emitFor(w, req, clientProxyWhere(req), { kind: 'pool.pending', cluster: cr.config.name, pending: cr.open.pending });
    return;
  }
  if (watching(w)) emitFor(w, req, clientProxyWhere(req), { kind: 'conn.reuse', cluster: cr.config.name, endpoint, connection: got.id, ...(got.maxStreams > 0 ? { streams: got.streams } : {}) });
  sendOnConnection(w, attempt, got);
}

/**
 * No endpoint can take the attempt: fail fast (503 UH; under Linkerd FAIL_FAST, which its router may retry,
 * and which the proxy answers the app with a 504: linkerd2-proxy `linkerd/app/outbound/src/http/server.rs`
 * `ServerRescue` maps `FailFastError` to `gateway_timeout`, `LoadShedError` to `unavailable`).
 */
export function failFastAttempt(w: World, req: RequestState, cr: ClusterRuntime): void {
  const status = cr.failFast === undefined ? 503 : 504;
  w.telemetry?.attemptEnded(w.now, req.id, req.attemptCount, status, UH);
  if (watching(w)) emitFor(w, req, clientProxyWhere(req), { kind: 'lb.noHealthy', cluster: cr.config.name, ejected: unavailableCount(cr), total: cr.config.endpoints.length, ...(cr.config.accrual ? { failureAccrual: true as const } : {}) });
  const why = cr.config.endpoints.length === 0 ? 'the destination selects no pods' : cr.config.accrual ? 'every endpoint is unavailable (failure accrual)' : 'every endpoint is ejected';
  // A fail-fast is an outcome the router may retry (Linkerd does, §10.1); Envoy's retry_on matches no condition for it.
  applyRetryDecision(w, req, cr, FAIL_FAST, status, ['UH'], `${cr.config.accrual ? 'no endpoint available' : 'no healthy upstream'}: ${why}`);
}

/** A Linkerd backend's queue does not take the request (full, or its gate shut): it is shed (503 UO; Linkerd's LOAD_SHED). */
function shedRequest(w: World, req: RequestState, cr: ClusterRuntime): void {
  req.attemptCount += 1;
  cr.overflows += 1;
  w.telemetry?.attemptEnded(w.now, req.id, req.attemptCount, 503, UO);
  if (watching(w)) emitFor(w, req, clientProxyWhere(req), { kind: 'pool.overflow', cluster: cr.config.name, limit: 'maxPendingRequests' });
  finishRequest(w, req, 503, ['UO'], cr.failFast?.mode === 'failFast' ? "the backend's queue is in fail-fast" : 'the backend queue is full');
}

/**
 * No backend of the route takes requests (each queue in fail-fast or full):
 * linkerd-proxy's route sheds the request at once (LOAD_SHED, 503 UO here),
 * an error its retries never retry (§10.1).
 */
function shedAtRoute(w: World, req: RequestState, backends: number): void {
  req.attemptCount += 1;
  w.telemetry?.attemptEnded(w.now, req.id, req.attemptCount, 503, UO);
  finishRequest(w, req, 503, ['UO'], backends > 1 ? 'no backend of the route is ready (each is in fail-fast or full)' : 'the backend is not ready (in fail-fast, or its queue full)');
}

/** Releases the circuit-breaker gauges an attempt held. */
export function endAttempt(w: World, attempt: AttemptState): void {
  if (attempt.state === 'done') return;
  attempt.state = 'done';
  cancelTimer(w, attempt.perTryTimer);
  w.attempts.delete(attempt.id);
  const cr = clusterOf(attempt);
  if (cr) attemptReleased(w, cr, attempt);
}

/** Where a sidecar's events happen (built only for a reader). */
export function sidecarOf(pod: string): { kind: 'sidecar'; pod: string } {
  return { kind: 'sidecar', pod };
}

/**
 * The proxy's virtual host for the request's `host:port`: as last found
 * for the request's plan (no lookup at all), else looked up by host then
 * port (no key string per request).
 */
function virtualHostOf(proxy: ProxyRuntime, req: RequestState): VirtualHostXds | undefined {
  const { host, port, plan } = req;
  const known = plan >= 0 ? proxy.vhostBySlot[plan] : undefined;
  // A plan's requests can reach one proxy for several hosts (a gateway's split sent on to a waypoint, ingressToWaypoint).
  if (known !== undefined && known.host === host && known.port === port) return known.vhost ?? undefined;
  let byPort = proxy.virtualHosts.get(host);
  if (!byPort) {
    byPort = new Map();
    proxy.virtualHosts.set(host, byPort);
  }
  let vhost = byPort.get(port);
  if (vhost === undefined) {
    vhost = proxy.xds.virtualHosts[`${host}:${port}`] ?? wildcardHost(proxy, host, port) ?? null;
    byPort.set(port, vhost);
  }
  if (known !== undefined) {
    known.host = host;
    known.port = port;
    known.vhost = vhost;
  } else if (plan >= 0) {
    while (proxy.vhostBySlot.length <= plan) proxy.vhostBySlot.push(undefined);
    proxy.vhostBySlot[plan] = { host, port, vhost };
  }
  return vhost ?? undefined;
}

/** A gateway's or sidecar's wildcard virtual host for a host no domain equals (looked up once per host and port, then kept). */
function wildcardHost(proxy: ProxyRuntime, host: string, port: number): VirtualHostXds | undefined {
  const domains = (proxy.xds.gateway?.wildcardDomains ?? proxy.xds.wildcardDomains)?.[port];
  const domain = domains ? matchDomain(host, domains) : undefined;
  return domain === undefined ? undefined : proxy.xds.virtualHosts[`${domain}:${port}`];
}

/** The locality `distribute` picked, for the `lb.pick` event (built only for a reader). */
function weightedLocality(cr: ClusterRuntime): { weighted?: { locality: string; weight: number; total: number } } {
  const state = cr.localityState;
  if (!state || state.panic || state.chosen < 0) return {};
  const total = state.effective.reduce((a, b) => a + b, 0);
  return { weighted: { locality: state.table.localities[state.chosen] as string, weight: Math.round((state.effective[state.chosen] as number) * 10) / 10, total: Math.round(total * 10) / 10 } };
}
