import type { AttemptState, ClusterRuntime, EndpointHost, RequestState, World } from './World.ts';

/**
 * The circuit-breaker gauges of a cluster as one client proxy sees it
 * (§4.1, §1.6) — `open.connections`, `open.pending`, `open.requests`,
 * `open.retries` — and each endpoint's active requests. Every take is here
 * with its release; nothing else writes them.
 *
 * - connection: opened → closed.
 * - pending: an attempt joins the queue → leaves it (gets a connection, or is abandoned).
 * - request: an attempt is admitted by the pool → the attempt ends.
 * - retry: granted when a retry is decided, held by the request through its
 *   back-off and its retry attempt → released when that attempt ends, or when
 *   the request finishes first (a timeout during the back-off, no healthy
 *   host, overflow).
 */
export function connectionOpened(cr: ClusterRuntime): void {
  cr.open.connections += 1;
}

export function connectionClosed(cr: ClusterRuntime): void {
  cr.open.connections -= 1;
}

export function pendingJoined(cr: ClusterRuntime): void {
  cr.open.pending += 1;
}

export function pendingLeft(cr: ClusterRuntime): void {
  cr.open.pending -= 1;
}

/** The attempt counts as an active request of the cluster and of its host (what least-request compares). */
export function requestAdmitted(cr: ClusterRuntime, host: EndpointHost): void {
  cr.open.requests += 1;
  host.activeRequests += 1;
}

/** An admitted attempt has ended: its request slot, and the retry slot if it was a retry. */
export function attemptReleased(w: World, cr: ClusterRuntime, attempt: AttemptState): void {
  cr.open.requests -= 1;
  // The host it was admitted on (`requestAdmitted`): the balancer's host objects last as long as the cluster.
  const host = attempt.host;
  if (host) host.activeRequests -= 1;
  if (attempt.isRetry) {
    const req = w.requests.get(attempt.requestId);
    if (req) retryReleased(req);
  }
}

export function retryGranted(cr: ClusterRuntime, req: RequestState): void {
  cr.open.retries += 1;
  req.retrySlot = cr;
}

/** Gives the request's retry slot back, if it holds one (safe to call twice). */
export function retryReleased(req: RequestState): void {
  const cr = req.retrySlot;
  if (!cr) return;
  cr.open.retries -= 1;
  req.retrySlot = undefined;
}
