import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RETRY_ON_CONDITIONS } from '../../model/index.ts';
import type { RetryOn } from '../../model/index.ts';
import { describeRetryOn, isRetriable, type AttemptOutcome } from './retryPolicy.ts';
import { ISTIO_DEFAULT_RETRY, retryPolicy } from './testing/retryPolicies.ts';

const status = (s: number, headers?: Record<string, string>): AttemptOutcome => ({ kind: 'response', status: s, ...(headers ? { headers } : {}) });
const reset = (reason: Extract<AttemptOutcome, { kind: 'reset' }>['reason']): AttemptOutcome => ({ kind: 'reset', reason });
const grpc = (code: number): AttemptOutcome => status(200, { 'grpc-status': String(code) });

const OUTCOMES: Record<string, AttemptOutcome> = {
  '200': status(200),
  '404': status(404),
  '409': status(409),
  '500': status(500),
  '502': status(502),
  '503': status(503),
  '504': status(504),
  'connect-failure': reset('connect-failure'),
  'remote-reset': reset('remote-reset'),
  'per-try-timeout': reset('per-try-timeout'),
  'refused-stream': reset('refused-stream'),
  'before-request': reset('before-request'),
  'grpc 14': grpc(14),
};

/** §1.2, row by row: which of OUTCOMES each condition retries. */
const TABLE: Array<[RetryOn, string[]]> = [
  ['5xx', ['500', '502', '503', '504', 'connect-failure', 'remote-reset', 'per-try-timeout', 'refused-stream', 'before-request']],
  ['gateway-error', ['502', '503', '504', 'connect-failure', 'remote-reset', 'per-try-timeout', 'refused-stream', 'before-request']],
  ['reset', ['connect-failure', 'remote-reset', 'per-try-timeout', 'refused-stream', 'before-request']],
  ['connect-failure', ['connect-failure']],
  ['retriable-4xx', ['409']],
  ['refused-stream', ['refused-stream']],
  ['retriable-status-codes', []],
  ['reset-before-request', ['connect-failure', 'before-request']],
  ['unavailable', ['grpc 14']],
];

describe('isRetriable — every §1.2 row', () => {
  for (const [condition, retried] of TABLE) {
    it(`§1.2 ${condition} retries exactly: ${retried.join(', ') || 'nothing'}`, () => {
      const actual = Object.keys(OUTCOMES).filter((name) => isRetriable(retryPolicy([condition]), OUTCOMES[name] as AttemptOutcome));
      expect(actual).toEqual(retried);
    });
  }

  it('§1.2 retriable-status-codes matches the listed statuses only', () => {
    const p = retryPolicy(['retriable-status-codes'], { retriableStatusCodes: [503, 429] });
    expect([503, 429, 500, 502].map((s) => isRetriable(p, status(s)))).toEqual([true, true, false, false]);
    expect(isRetriable(p, reset('connect-failure'))).toBe(false);
  });

  it('§1.2 gRPC conditions match only the grpc-status response header with their code', () => {
    const codes: Array<[RetryOn, number]> = [
      ['cancelled', 1],
      ['deadline-exceeded', 4],
      ['resource-exhausted', 8],
      ['internal', 13],
      ['unavailable', 14],
    ];
    for (const [condition, code] of codes) {
      expect(isRetriable(retryPolicy([condition]), grpc(code))).toBe(true);
      expect(isRetriable(retryPolicy([condition]), grpc(code === 14 ? 13 : 14))).toBe(false);
      expect(isRetriable(retryPolicy([condition]), status(503))).toBe(false);
      expect(isRetriable(retryPolicy([condition]), reset('remote-reset'))).toBe(false);
    }
  });
});

describe('isRetriable — never-retry rules (§1.2)', () => {
  it('an overflow reset is never retried, even with 5xx,reset', () => {
    expect(isRetriable(retryPolicy(['5xx', 'gateway-error', 'reset', 'reset-before-request']), reset('overflow'))).toBe(false);
  });

  it('a response with x-envoy-overloaded is never retried', () => {
    expect(isRetriable(retryPolicy(['5xx']), status(503, { 'x-envoy-overloaded': 'true' }))).toBe(false);
  });

  it('a rate-limited response is retried only under envoy-ratelimited', () => {
    const limited = status(503, { 'x-envoy-ratelimited': 'true' });
    expect(isRetriable(retryPolicy(['5xx']), limited)).toBe(false);
    expect(isRetriable(retryPolicy(['envoy-ratelimited']), limited)).toBe(true);
  });

  it('numRetries 0 is no policy: nothing is retriable', () => {
    expect(isRetriable(retryPolicy(['5xx'], { numRetries: 0 }), status(503))).toBe(false);
  });
});

describe('Istio default policy (§2.1, §1.2 last paragraph)', () => {
  it('retries connect failures, refused streams and gRPC unavailable/cancelled', () => {
    expect(isRetriable(ISTIO_DEFAULT_RETRY, reset('connect-failure'))).toBe(true);
    expect(isRetriable(ISTIO_DEFAULT_RETRY, reset('refused-stream'))).toBe(true);
    expect(isRetriable(ISTIO_DEFAULT_RETRY, grpc(14))).toBe(true);
    expect(isRetriable(ISTIO_DEFAULT_RETRY, grpc(1))).toBe(true);
  });

  it('does NOT retry a per-try timeout', () => {
    expect(isRetriable(ISTIO_DEFAULT_RETRY, reset('per-try-timeout'))).toBe(false);
    expect(describeRetryOn(ISTIO_DEFAULT_RETRY, reset('per-try-timeout'))).toBe(
      'per-try timeout matches none of retryOn connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes; a per-try timeout is a local reset, retried only with 5xx, gateway-error or reset',
    );
  });

  it('does NOT retry an upstream 503 (Istio ≥ 1.24 has an empty status list)', () => {
    expect(isRetriable(ISTIO_DEFAULT_RETRY, status(503))).toBe(false);
    expect(describeRetryOn(ISTIO_DEFAULT_RETRY, status(503))).toBe(
      '503 matches none of retryOn connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes; retriable-status-codes has an empty list, so it matches nothing',
    );
  });

  it('Istio ≤ 1.23 compatibility (503 in the list) does retry it', () => {
    expect(isRetriable({ ...ISTIO_DEFAULT_RETRY, retriableStatusCodes: [503] }, status(503))).toBe(true);
  });
});

describe('describeRetryOn — readable verdicts', () => {
  it('names the matching condition', () => {
    expect(describeRetryOn(retryPolicy(['gateway-error']), status(503))).toBe('503 matches retryOn gateway-error (502, 503, 504, and any reset)');
    expect(describeRetryOn(retryPolicy(['5xx']), reset('per-try-timeout'))).toBe('per-try timeout matches retryOn 5xx (any 5xx, and any reset counts as one)');
    expect(describeRetryOn(ISTIO_DEFAULT_RETRY, grpc(14))).toBe('200 with grpc-status 14 matches retryOn unavailable');
  });

  it('explains the never-retry rules', () => {
    expect(describeRetryOn(retryPolicy(['5xx']), reset('overflow'))).toBe('overflow: a local circuit-breaker overflow is never retried');
    expect(describeRetryOn(retryPolicy(['5xx'], { numRetries: 0 }), status(500))).toBe('500: no retry policy on this route');
  });
});

describe('isRetriable agrees with the verdict in words', () => {
  it('property: for any retryOn, status codes, outcome and headers, retriable exactly when the words name a matching condition', () => {
    const outcome = fc.oneof(
      fc.record({ kind: fc.constant('response' as const), status: fc.integer({ min: 100, max: 599 }), headers: fc.option(fc.dictionary(fc.constantFrom('grpc-status', 'x-envoy-overloaded', 'x-envoy-ratelimited', 'x-other'), fc.constantFrom('0', '4', '14', 'yes')), { nil: undefined }) }),
      fc.record({ kind: fc.constant('reset' as const), reason: fc.constantFrom('connect-failure', 'remote-reset', 'per-try-timeout', 'overflow', 'refused-stream', 'before-request') }),
    );
    fc.assert(
      fc.property(fc.subarray([...RETRY_ON_CONDITIONS]), fc.array(fc.integer({ min: 100, max: 599 }), { maxLength: 3 }), fc.integer({ min: 0, max: 3 }), outcome, (retryOn, codes, numRetries, o) => {
        const policy = retryPolicy(retryOn, { retriableStatusCodes: codes, numRetries });
        const attempt = o as AttemptOutcome;
        expect(isRetriable(policy, attempt)).toBe(/ matches retryOn /.test(describeRetryOn(policy, attempt)));
      }),
      { numRuns: 2000 },
    );
  });
});
