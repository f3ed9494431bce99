import type { LinkerdRetryBudgetXds, ResponseFlag, RouteActionXds, RetryPolicyXds } from '../../model/index.ts';
import { budgetBalance, budgetDeposit, budgetWithdraw, createBackoff, createTpsBudget, decideRetry, describeRetryOn, hasOverrideHeaders, nextBackoff, nextLinkerdBackoff, requestPolicy, retryLimit } from '../proxy/index.ts';
import type { RetryDecision } from '../proxy/index.ts';
import type { AttemptOutcome } from '../proxy/index.ts';
import { retryGranted } from './gauges.ts';
import { startAttempt, startLinkerdRetry } from './outbound.ts';
import { emitFor, finishRequest, mergeFlags, watching } from './request.ts';
import { cancelAttempt, countEndpointResult } from './response.ts';
import { clusterOf } from './cluster.ts';
import { Task } from './Task.ts';
import { startTimer } from './timers.ts';
import type { ClusterRuntime, ProxyRuntime, RequestState, World } from './World.ts';
import { clientProxyWhere } from './ambient.ts';

/**
 * The router's hold on one request, from its first attempt to its answer:
 * the retry policy and route timeout (the route's, or as the request's own
 * x-envoy headers adjust them), the retries left, the back-off, the route
 * timer. This module is the one writer of those fields (ESLint rejects
 * writes elsewhere); the decisions themselves are `engine/proxy`'s
 * (`requestPolicy`, `decideRetry`, `nextBackoff`).
 */
export function armRouter(w: World, req: RequestState, action: Extract<RouteActionXds, { kind: 'route' }>): void {
  let retry: RetryPolicyXds = action.retry;
  let timeout = action.timeout;
  if (req.mayOverride && hasOverrideHeaders(req.head.headers)) {
    const policy = requestPolicy(action.retry, action.timeout, req.head.headers);
    if (policy.changes.length > 0 && watching(w)) emitFor(w, req, clientProxyWhere(req), { kind: 'route.overrides', changes: policy.changes });
    retry = policy.retry;
    timeout = policy.timeout;
  }
  req.retryPolicy = retry;
  req.routeTimeout = timeout;
  req.retriesLeft = retry.numRetries;
  if (req.routeTimeout > 0) req.routeTimer = startTimer(w, w.now + req.routeTimeout, Task.routeTimeout, { requestId: req.id, done: false });
}

/** Applies the router's decision (proxy/retryDecision.ts) to this request. */
export function applyRetryDecision(w: World, req: RequestState, cr: ClusterRuntime | undefined, outcome: AttemptOutcome, status: number, flags: ResponseFlag[], finalDetail: string): void {
  const retry = req.retryPolicy;
  let decision: RetryDecision | 'budget' = cr ? decideRetry(retry, outcome, req.retriesLeft, cr.open.retries, retryLimit(cr.config.thresholds, cr.open.requests)) : 'answer';
  if (cr && retry?.linkerd?.budget) decision = askRetryBudget(w, cr, retry.linkerd.budget, decision);
  if (decision === 'answer' || !retry || !cr) return finishRequest(w, req, status, flags, finalDetail);
  const where = clientProxyWhere(req);
  if (decision === 'budget') {
    if (watching(w)) emitFor(w, req, where, { kind: 'retry.budget', cluster: cr.config.name, balance: cr.retryBudget ? budgetBalance(cr.retryBudget) : 0 });
    return finishRequest(w, req, status, flags, finalDetail);
  }
  if (decision === 'exhausted') {
    if (watching(w)) emitFor(w, req, where, { kind: 'retry.exhausted', retries: retry.numRetries });
    return finishRequest(w, req, status, mergeFlags(flags, ['URX']), finalDetail);
  }
  req.retriesLeft -= 1;
  if (decision === 'overflow') {
    // §1.6: the retry counter is spent, the current response goes back, flagged UO.
    w.telemetry?.retryOverflowed(w.now, cr.config.name);
    if (watching(w)) emitFor(w, req, where, { kind: 'retry.overflow', cluster: cr.config.name });
    return finishRequest(w, req, status, mergeFlags(flags, ['UO']), finalDetail);
  }
  retryGranted(cr, req);
  w.counters?.retried();
  w.telemetry?.retried(w.now, cr.config.name);
  const rng = (req.sidecar as ProxyRuntime).rng.backoff;
  const n = retry.numRetries - req.retriesLeft;
  const { delay, range } = retry.linkerd ? nextLinkerdBackoff(retry, n, rng) : nextBackoff((req.backoff ??= createBackoff(retry.backoffBase, retry.backoffMax)), rng);
  if (watching(w)) emitFor(w, req, where, {
    kind: 'retry.backoff',
    retry: n,
    delay,
    range,
    reason: retry.linkerd ? describeRetryOn(retry, outcome) : `${status}${flags.length ? ` ${flags.join(',')}` : ''} matches retryOn ${retry.retryOn.join(',')}`,
  });
  w.queue.push(w.now + delay, Task.retryFire, req.id);
}

/** The back-off is over: the retry's attempt starts (the request keeps the retry slot until it ends). */
export function onRetryFire(w: World, req: RequestState | undefined): void {
  if (!req || req.done) return;
  if (req.retryPolicy?.linkerd) return startLinkerdRetry(w, req);
  startAttempt(w, req, true);
}

/** §1.3: the route timeout covers every try and back-off; expiry is never retried. */
export function onRouteTimeout(w: World, req: RequestState | undefined): void {
  if (!req || req.done) return;
  const attempt = req.currentAttempt === undefined ? undefined : w.attempts.get(req.currentAttempt);
  // §3.2: an attempt on the wire still waiting for its answer reports a timeout (504) for its host;
  // one still waiting for a connection has no host yet.
  const waited = attempt?.state === 'sent' ? clusterOf(attempt) : undefined;
  if (attempt) cancelAttempt(w, attempt);
  if (watching(w)) emitFor(w, req, clientProxyWhere(req), { kind: 'route.timeout', timeout: req.routeTimeout });
  if (waited && attempt) countEndpointResult(w, req, waited, attempt, 504, 'local');
  finishRequest(w, req, 504, ['UT'], 'upstream request timeout');
}

/**
 * A Linkerd ServiceProfile retry budget (§10.1): an answer that is not
 * retried deposits, a retry withdraws — refused when the budget is spent.
 * The budget is the client proxy's, per destination.
 */
function askRetryBudget(w: World, cr: ClusterRuntime, cfg: LinkerdRetryBudgetXds, decision: RetryDecision): RetryDecision | 'budget' {
  const budget = (cr.retryBudget ??= createTpsBudget(cfg, w.now));
  if (decision === 'retry') return budgetWithdraw(budget, w.now) ? 'retry' : 'budget';
  if (decision === 'answer') budgetDeposit(budget, w.now);
  return decision;
}
