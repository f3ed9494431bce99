import { describe, expect, it } from 'vitest';
import { ms } from '../../model/index.ts';
import { requestPolicy } from './requestOverrides.ts';
import { ISTIO_DEFAULT_RETRY, NO_RETRY } from './testing/retryPolicies.ts';


describe('request headers that adjust retries and timeouts (§1.1, §1.3)', () => {
  it('no x-envoy headers: the route’s policy as it is', () => {
    expect(requestPolicy(ISTIO_DEFAULT_RETRY, ms(3_000), { 'end-user': 'jason' })).toEqual({ retry: ISTIO_DEFAULT_RETRY, timeout: ms(3_000), changes: [] });
  });

  it('x-envoy-retry-on adds conditions; on a route without a policy it retries once (num_retries defaults to 1)', () => {
    const p = requestPolicy(NO_RETRY, 0, { 'x-envoy-retry-on': '5xx, bogus,connect-failure' });
    expect(p.retry.retryOn).toEqual(['5xx', 'connect-failure']);
    expect(p.retry.numRetries).toBe(1);
    expect(requestPolicy(ISTIO_DEFAULT_RETRY, 0, { 'x-envoy-retry-on': '5xx' }).retry).toMatchObject({ numRetries: 2, retryOn: [...ISTIO_DEFAULT_RETRY.retryOn, '5xx'] });
  });

  it('x-envoy-max-retries replaces the count only when some condition is on; x-envoy-retriable-status-codes adds codes', () => {
    expect(requestPolicy(ISTIO_DEFAULT_RETRY, 0, { 'x-envoy-max-retries': '5', 'x-envoy-retriable-status-codes': '503,429' }).retry).toMatchObject({ numRetries: 5, retriableStatusCodes: [503, 429] });
    expect(requestPolicy(NO_RETRY, 0, { 'x-envoy-max-retries': '5' }).retry.numRetries).toBe(0);
    expect(requestPolicy(ISTIO_DEFAULT_RETRY, 0, { 'x-envoy-max-retries': 'many' }).retry.numRetries).toBe(2);
  });

  it('x-envoy-upstream-rq-timeout-ms replaces the route timeout; the per-try header counts only below it', () => {
    expect(requestPolicy(ISTIO_DEFAULT_RETRY, ms(3_000), { 'x-envoy-upstream-rq-timeout-ms': '500' }).timeout).toBe(ms(500));
    expect(requestPolicy(ISTIO_DEFAULT_RETRY, ms(3_000), { 'x-envoy-upstream-rq-timeout-ms': '0' }).timeout).toBe(0);
    expect(requestPolicy(ISTIO_DEFAULT_RETRY, ms(1_000), { 'x-envoy-upstream-rq-per-try-timeout-ms': '200' }).retry.perTryTimeout).toBe(ms(200));
    const ignored = requestPolicy(ISTIO_DEFAULT_RETRY, ms(1_000), { 'x-envoy-upstream-rq-per-try-timeout-ms': '1000' });
    expect(ignored.retry.perTryTimeout).toBe(0);
    expect(ignored.changes).toEqual(['x-envoy-upstream-rq-per-try-timeout-ms ignored: 1000ms is not shorter than the route timeout']);
  });
});
