import { recordAccrual, takeProbe } from '../proxy/index.ts';
import { emitFor, watching } from './request.ts';
import type { ClusterRuntime, ProxyRuntime, RequestState, World } from './World.ts';
import { clientPodOf, clientProxyWhere } from './ambient.ts';
import { endpointChanged } from './failFast.ts';

/**
 * Linkerd's failure accrual in a client proxy (§10.4): what the breaker of
 * each endpoint does with results, and the probe it lets through. The
 * decisions are `proxy/failureAccrual.ts`'s; this applies them and says so.
 */
export function countForAccrual(w: World, req: RequestState, cr: ClusterRuntime, endpoint: string, status: number): void {
  const cfg = cr.config.accrual;
  const host = cr.accrual[endpoint];
  if (!cfg || !host) return;
  // A failure is an HTTP 5xx; a reset or a timeout comes here as 503 or 504.
  const success = status < 500;
  const wasProbation = host.state === 'probation';
  const change = recordAccrual(host, cfg, success, w.now, (req.sidecar as ProxyRuntime).rng.outlier.next());
  if (change.kind === 'none') return;
  // Requests waiting in the backend's queue may now have an endpoint, or wait for a later one.
  endpointChanged(w, req.sidecar as ProxyRuntime, cr);
  const base = { clientPod: clientPodOf(req), cluster: cr.config.name, endpoint };
  if (change.kind === 'unavailable') {
    // Linkerd knows the back-off when it starts: the period is counted whole at once (as the event fold does).
    w.counters?.ejected(clientPodOf(req), cr.config.name, endpoint, w.now);
    w.counters?.unejected(clientPodOf(req), cr.config.name, endpoint, change.duration);
    if (watching(w)) emitFor(w, req, clientProxyWhere(req), { kind: 'accrual.unavailable', ...base, duration: change.duration, penalty: change.penalty, reason: change.reason });
  } else if (wasProbation) {
    if (watching(w)) emitFor(w, req, clientProxyWhere(req), { kind: 'accrual.available', ...base });
  }
}

/** The balancer chose an endpoint in probation: this request is its one probe. */
export function takeAccrualProbe(w: World, req: RequestState, cr: ClusterRuntime, endpoint: string): void {
  const host = cr.accrual[endpoint];
  if (!host || !takeProbe(host)) return;
  if (watching(w)) emitFor(w, req, clientProxyWhere(req), { kind: 'accrual.probe', clientPod: clientPodOf(req), cluster: cr.config.name, endpoint });
}
