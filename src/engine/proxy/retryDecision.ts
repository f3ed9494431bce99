import type { RetryPolicyXds, ThresholdsXds } from '../../model/index.ts';
import { isRetriable } from './retryPolicy.ts';
import type { AttemptOutcome } from './retryPolicy.ts';

/**
 * What the router does with an attempt's outcome (§1): pass it on as the
 * answer; pass it on flagged URX (retries spent); pass it on flagged UO
 * (the cluster's retry breaker or budget is full, §1.6); or retry after a
 * back-off. The one place this is decided; the simulation applies it.
 */
export type RetryDecision = 'answer' | 'exhausted' | 'overflow' | 'retry';

export function decideRetry(policy: RetryPolicyXds | undefined, outcome: AttemptOutcome, retriesLeft: number, retriesOpen: number, limit: number): RetryDecision {
  if (!policy || !isRetriable(policy, outcome)) return 'answer';
  if (retriesLeft <= 0) return 'exhausted';
  if (retriesOpen >= limit) return 'overflow';
  return 'retry';
}

/**
 * How many retries may be outstanding on the cluster now: the retry budget
 * when one is set (§1.6: max(percent × active requests, minimum); meshviz's
 * active count includes requests waiting for a connection), else max_retries.
 */
export function retryLimit(thresholds: ThresholdsXds, activeRequests: number): number {
  const budget = thresholds.retryBudget;
  if (!budget) return thresholds.maxRetries;
  return Math.max(Math.floor((budget.percent / 100) * activeRequests), budget.minRetryConcurrency);
}
