import { decideQueue, decideWake, queueReady } from '../proxy/index.ts';
import type { FailFastQueueState } from '../proxy/index.ts';
import { Task } from './Task.ts';
import { availableEndpoints, clusterRuntime } from './cluster.ts';
import { failFastAttempt, startAttempt } from './outbound.ts';
import { emitFor, watching } from './request.ts';
import { clientProxyWhere } from './ambient.ts';
import type { ClusterRuntime, ProxyRuntime, RequestState, World } from './World.ts';

/**
 * linkerd-proxy's queue before a backend's balancer (`proxy/failFastQueue.ts`
 * decides): a request no endpoint can take waits, up to the fail-fast
 * timeout, for one that can — an endpoint whose failure-accrual back-off
 * ends, or whose probe succeeds — and then all that waited fail fast, and
 * the queue's gate is shut to new requests until an endpoint is ready
 * (`backendReady`, asked by the route's draw in `outbound.ts`). The
 * cluster keeps the waiting request ids; one wake-up is scheduled at a time,
 * at the earlier of the timeout and the next back-off's end, or at once when
 * an endpoint's state changes.
 */

/**
 * Whether the route's distributor may give a request to `cluster` now
 * (`queueReady`); a backend that may not is said to a reader (`queue.gateShut`).
 * A cluster without a queue, or without a runtime (the request then ends
 * NC where it is drawn), counts as ready.
 */
export function backendReady(cluster: string, w: World, req: RequestState): boolean {
  const proxy = req.sidecar;
  const cr = proxy ? clusterRuntime(w, proxy, cluster) : undefined;
  const q = cr?.failFast;
  if (!cr || !q || q.mode === 'open') return true;
  const capacity = (cr.config.failFast as { capacity: number }).capacity;
  if (queueReady(q, q.mode === 'failFast' && availableEndpoints(cr, w.now).length > 0, capacity)) return true;
  if (watching(w)) emitFor(w, req, clientProxyWhere(req), { kind: 'queue.gateShut', cluster, reason: q.mode === 'failFast' ? 'failFast' : 'full' });
  return false;
}

/**
 * What becomes of a request at the queue: `wait` (the queue keeps it),
 * `proceed` (to its endpoint when `available`), or `loadShed` (the queue
 * does not take it: full, or its gate shut).
 */
export function queueForEndpoint(w: World, proxy: ProxyRuntime, req: RequestState, cr: ClusterRuntime, isRetry: boolean, available: boolean): 'wait' | 'proceed' | 'loadShed' {
  const q = cr.failFast as FailFastQueueState;
  const decision = decideQueue(q, available, (cr.config.failFast as { capacity: number }).capacity, w.now);
  if (decision !== 'wait') return decision;
  q.waiting.push(req.id * 2 + (isRetry ? 1 : 0));
  if (watching(w)) emitFor(w, req, clientProxyWhere(req), { kind: 'queue.wait', cluster: cr.config.name, waiting: q.waiting.length, failFastAt: q.since + (cr.config.failFast as { timeout: number }).timeout });
  wakeAt(w, proxy, cr, available ? w.now : nextChange(cr, q));
  return 'wait';
}

/** An endpoint's failure-accrual state changed: a queue with requests waiting looks again now. */
export function endpointChanged(w: World, proxy: ProxyRuntime, cr: ClusterRuntime): void {
  if (cr.failFast?.mode === 'waiting') wakeAt(w, proxy, cr, w.now);
}

/**
 * The queue wakes: with an endpoint ready it hands every waiting request on
 * in order (each may take it, or wait again — the timeout then starts anew,
 * as linkerd-proxy's does each time its balancer stops being ready); past
 * the timeout with none, each waiting request fails fast; else it sleeps
 * until the next change.
 */
export function onFailFastWake(w: World, proxy: ProxyRuntime, cr: ClusterRuntime): void {
  const q = cr.failFast;
  if (!q || q.wakeAt !== w.now) return;
  q.wakeAt = Infinity;
  const decision = decideWake(q, availableEndpoints(cr, w.now).length > 0, (cr.config.failFast as { timeout: number }).timeout, w.now);
  if (decision === 'sleep') {
    if (q.mode === 'waiting') wakeAt(w, proxy, cr, nextChange(cr, q));
    return;
  }
  const list = q.waiting;
  q.waiting = q.handing;
  q.handing = list;
  for (let i = 0; i < list.length; i++) {
    const entry = list[i] as number;
    const req = w.requests.get(entry >> 1);
    if (!req || req.done) continue;
    if (decision === 'serve') {
      startAttempt(w, req, (entry & 1) === 1);
    } else {
      req.attemptCount += 1;
      failFastAttempt(w, req, cr);
    }
  }
  list.length = 0;
}

/** Schedules the queue's wake-up at `at`, unless one is due sooner. */
function wakeAt(w: World, proxy: ProxyRuntime, cr: ClusterRuntime, at: number): void {
  const q = cr.failFast as FailFastQueueState;
  if (at >= q.wakeAt) return;
  q.wakeAt = at;
  w.queue.push(at, Task.failFastWake, 0, 0, { proxy: proxy.pod, cluster: cr.config.name });
}

/** The earlier of the fail-fast deadline and the end of the soonest failure-accrual back-off. */
function nextChange(cr: ClusterRuntime, q: FailFastQueueState): number {
  let at = q.since + (cr.config.failFast as { timeout: number }).timeout;
  for (const pod in cr.accrual) {
    const host = cr.accrual[pod];
    if (host && host.state === 'unavailable' && host.until < at) at = host.until;
  }
  return at;
}
