import { describe, expect, it } from 'vitest';
import { ms, type RetryPolicyXds } from '../../model/index.ts';
import { requestPolicy } from './requestOverrides.ts';

/** Istio's default outbound policy (§2.1). */
const istioDefault: RetryPolicyXds = {
  numRetries: 2,
  retryOn: ['connect-failure', 'refused-stream', 'unavailable', 'cancelled', 'retriable-status-codes'],
  retriableStatusCodes: [],
  perTryTimeout: 0,
  backoffBase: ms(25),
  backoffMax: ms(250),
  previousHosts: true,
  hostSelectionRetryMaxAttempts: 5,
};
const none: RetryPolicyXds = { ...istioDefault, numRetries: 0, retryOn: [], previousHosts: false, hostSelectionRetryMaxAttempts: 1 };

describe('request headers that adjust retries and timeouts (§1.1, §1.3)', () => {
  it('no x-envoy headers: the route’s policy as it is', () => {
    expect(requestPolicy(istioDefault, ms(3_000), { 'end-user': 'jason' })).toEqual({ retry: istioDefault, timeout: ms(3_000), changes: [] });
  });

  it('x-envoy-retry-on adds conditions; on a route without a policy it retries once (num_retries defaults to 1)', () => {
    const p = requestPolicy(none, 0, { 'x-envoy-retry-on': '5xx, bogus,connect-failure' });
    expect(p.retry.retryOn).toEqual(['5xx', 'connect-failure']);
    expect(p.retry.numRetries).toBe(1);
    expect(requestPolicy(istioDefault, 0, { 'x-envoy-retry-on': '5xx' }).retry).toMatchObject({ numRetries: 2, retryOn: [...istioDefault.retryOn, '5xx'] });
  });

  it('x-envoy-max-retries replaces the count only when some condition is on; x-envoy-retriable-status-codes adds codes', () => {
    expect(requestPolicy(istioDefault, 0, { 'x-envoy-max-retries': '5', 'x-envoy-retriable-status-codes': '503,429' }).retry).toMatchObject({ numRetries: 5, retriableStatusCodes: [503, 429] });
    expect(requestPolicy(none, 0, { 'x-envoy-max-retries': '5' }).retry.numRetries).toBe(0);
    expect(requestPolicy(istioDefault, 0, { 'x-envoy-max-retries': 'many' }).retry.numRetries).toBe(2);
  });

  it('x-envoy-upstream-rq-timeout-ms replaces the route timeout; the per-try header counts only below it', () => {
    expect(requestPolicy(istioDefault, ms(3_000), { 'x-envoy-upstream-rq-timeout-ms': '500' }).timeout).toBe(ms(500));
    expect(requestPolicy(istioDefault, ms(3_000), { 'x-envoy-upstream-rq-timeout-ms': '0' }).timeout).toBe(0);
    expect(requestPolicy(istioDefault, ms(1_000), { 'x-envoy-upstream-rq-per-try-timeout-ms': '200' }).retry.perTryTimeout).toBe(ms(200));
    const ignored = requestPolicy(istioDefault, ms(1_000), { 'x-envoy-upstream-rq-per-try-timeout-ms': '1000' });
    expect(ignored.retry.perTryTimeout).toBe(0);
    expect(ignored.changes).toEqual(['x-envoy-upstream-rq-per-try-timeout-ms ignored: 1000ms is not shorter than the route timeout']);
  });
});
