import { describe, expect, it } from 'vitest';
import { decideRetry, retryLimit } from './retryDecision.ts';
import { ISTIO_DEFAULT_RETRY, NO_RETRY, retryPolicy } from './testing/retryPolicies.ts';

const on5xx = retryPolicy(['5xx'], { numRetries: 2 });
const r503 = { kind: 'response', status: 503 } as const;
const connectFailure = { kind: 'reset', reason: 'connect-failure' } as const;

describe('decideRetry (§1): the router’s one decision after each attempt', () => {
  it('answers when there is no policy, nothing matches, or retries are off', () => {
    expect(decideRetry(undefined, r503, 2, 0, 10)).toBe('answer');
    expect(decideRetry(ISTIO_DEFAULT_RETRY, r503, 2, 0, 10)).toBe('answer'); // 503 is not in Istio's default retryOn
    expect(decideRetry(NO_RETRY, connectFailure, 2, 0, 10)).toBe('answer');
  });

  it('retries a matching outcome while retries are left and the breaker has room', () => {
    expect(decideRetry(on5xx, r503, 2, 0, 3)).toBe('retry');
    expect(decideRetry(ISTIO_DEFAULT_RETRY, connectFailure, 1, 2, 3)).toBe('retry');
  });

  it('URX when the retries are spent, before looking at the breaker', () => {
    expect(decideRetry(on5xx, r503, 0, 5, 3)).toBe('exhausted');
  });

  it('UO when the retry breaker is full (§1.6)', () => {
    expect(decideRetry(on5xx, r503, 2, 3, 3)).toBe('overflow');
  });
});

describe('retryLimit (§1.6)', () => {
  const thresholds = { maxConnections: 1, maxPendingRequests: 1, maxRequests: 1, maxRetries: 3 };
  it('is max_retries without a budget', () => {
    expect(retryLimit(thresholds, 1000)).toBe(3);
  });

  it('is max(percent × active requests, minimum) with a budget, replacing max_retries', () => {
    const budget = { ...thresholds, retryBudget: { percent: 20, minRetryConcurrency: 3 } };
    expect(retryLimit(budget, 100)).toBe(20);
    expect(retryLimit(budget, 9)).toBe(3);
    expect(retryLimit(budget, 19)).toBe(3);
  });
});
