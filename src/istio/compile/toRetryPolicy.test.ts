import { describe, expect, it } from 'vitest';
import { defaultRetryPolicy, toRetryPolicy } from './toRetryPolicy.ts';

describe('toRetryPolicy (§2.1 VirtualService retries → Envoy retry policy)', () => {
  it('§2.1 no retries block: Istio default outbound policy, exactly', () => {
    expect(toRetryPolicy(undefined, false)).toEqual({
      numRetries: 2,
      retryOn: ['connect-failure', 'refused-stream', 'unavailable', 'cancelled', 'retriable-status-codes'],
      retriableStatusCodes: [],
      perTryTimeout: 0,
      backoffBase: 25_000,
      backoffMax: 250_000,
      previousHosts: true,
      hostSelectionRetryMaxAttempts: 5,
    });
  });

  it('§1.5 consistent hashing drops the previous-hosts predicate', () => {
    expect(toRetryPolicy(undefined, true).previousHosts).toBe(false);
    expect(toRetryPolicy({ attempts: 3 }, true).previousHosts).toBe(false);
  });

  it('§2.1 attempts → numRetries; the rest stays default', () => {
    expect(toRetryPolicy({ attempts: 3 }, false)).toEqual({ ...defaultRetryPolicy(false), numRetries: 3 });
  });

  it('§2.1 attempts 0 disables retries, and so does a block without attempts', () => {
    expect(toRetryPolicy({ attempts: 0, retryOn: '5xx' }, false).numRetries).toBe(0);
    expect(toRetryPolicy({ attempts: -1 }, false).numRetries).toBe(0);
    expect(toRetryPolicy({ perTryTimeout: '1s' }, false).numRetries).toBe(0);
  });

  it('§2.1 retryOn replaces the list; bare integers become status codes and add retriable-status-codes', () => {
    const policy = toRetryPolicy({ attempts: 3, retryOn: 'gateway-error, 503 ,connect-failure,409' }, false);
    expect(policy.retryOn).toEqual(['gateway-error', 'connect-failure', 'retriable-status-codes']);
    expect(policy.retriableStatusCodes).toEqual([503, 409]);
  });

  it('§2.1 retriable-status-codes is not added twice, nor without codes', () => {
    expect(toRetryPolicy({ attempts: 1, retryOn: 'retriable-status-codes,503' }, false).retryOn).toEqual([
      'retriable-status-codes',
    ]);
    expect(toRetryPolicy({ attempts: 1, retryOn: '5xx' }, false)).toMatchObject({
      retryOn: ['5xx'],
      retriableStatusCodes: [],
    });
  });

  it('drops retryOn tokens Envoy does not know', () => {
    expect(toRetryPolicy({ attempts: 1, retryOn: '5xx,bogus' }, false).retryOn).toEqual(['5xx']);
  });

  it('§2.1 perTryTimeout is passed through in µs', () => {
    expect(toRetryPolicy({ attempts: 2, perTryTimeout: '1.5s' }, false).perTryTimeout).toBe(1_500_000);
  });

  it('§1.4 backoff sets the base; max is 10 × base; a base under 1 ms rounds up', () => {
    expect(toRetryPolicy({ attempts: 2, backoff: '100ms' }, false)).toMatchObject({
      backoffBase: 100_000,
      backoffMax: 1_000_000,
    });
    expect(toRetryPolicy({ attempts: 2, backoff: '100us' }, false)).toMatchObject({
      backoffBase: 1_000,
      backoffMax: 10_000,
    });
  });

  it('§1.5 retryIgnorePreviousHosts: false turns the predicate off; an explicit true wins over hashing', () => {
    expect(toRetryPolicy({ attempts: 2, retryIgnorePreviousHosts: false }, false).previousHosts).toBe(false);
    expect(toRetryPolicy({ attempts: 2, retryIgnorePreviousHosts: true }, true).previousHosts).toBe(true);
  });
});
