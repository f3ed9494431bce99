import type { ProxyError, ResponseFlag } from '../model/index.ts';

/**
 * What became of a request, as its caller saw it: one of seven fates, so a
 * run's requests split into parts that add up to the whole.
 *
 * - `success`: answered below 400 at the first attempt.
 * - `successAfterRetry`: answered below 400 after Envoy retried.
 * - `failFastUH`: failed with `UH` (no healthy upstream: every endpoint
 *   ejected or none at all), at whatever attempt it happened.
 * - `overflowUO`: failed with `UO` (a connection-pool limit or the retry
 *   circuit breaker, §4.1, §1.6).
 * - `timeoutUT`: failed with `UT` (the route timeout, or per-try timeouts
 *   until the retries ran out: `UT,URX`, §1.3).
 * - `failedAfterRetries`: failed otherwise after more than one attempt.
 * - `notRetryable`: failed otherwise at the only attempt (the answer was not
 *   in `retryOn`, or the route allows no retries).
 *
 * Failed means no HTTP answer (0) or a status of 400 or above. The flags are
 * read before the attempt count because they name the cause, in Envoy's
 * order (`RESPONSE_FLAGS`: UH, then UT, then UO); a request answered below
 * 400 is a success whatever its flags (a `DI` delay).
 */
export const FATES = ['success', 'successAfterRetry', 'failedAfterRetries', 'failFastUH', 'overflowUO', 'timeoutUT', 'notRetryable'] as const;

export type Fate = (typeof FATES)[number];

export type FateCounts = Record<Fate, number>;

/** How a fate is written for people (tables, the visualizer's stat row). */
export const FATE_LABELS: Readonly<Record<Fate, string>> = {
  success: 'success',
  successAfterRetry: 'success after retry',
  failedAfterRetries: 'failed after retries',
  failFastUH: 'fail-fast UH',
  overflowUO: 'overflow UO',
  timeoutUT: 'timeout UT',
  notRetryable: 'not retryable',
};

/**
 * The same fates in linkerd-proxy's words (its route metrics' `error`
 * values, linkerd2-proxy `linkerd/app/outbound/src/http/logical/policy/route/metrics/labels.rs`):
 * no endpoint for the queue's whole timeout is FAIL_FAST, a request no
 * backend takes (its gate shut, or its queue full) LOAD_SHED, and a timeout
 * REQUEST_TIMEOUT or RESPONSE_HEADERS_TIMEOUT.
 */
export const LINKERD_FATE_LABELS: Readonly<Record<Fate, string>> = {
  ...FATE_LABELS,
  successAfterRetry: 'success after retry',
  failFastUH: 'FAIL_FAST',
  overflowUO: 'LOAD_SHED',
  timeoutUT: 'timeout',
};

/** The fate of a request that ended with `status` and `flags` after `attempts` attempts. */
export function fateOf(status: number, flags: readonly ResponseFlag[], attempts: number): Fate {
  return FATES[fateIndex(status, flags, attempts)] as Fate;
}

/** `fateOf` as an index into `FATES`, for counting without a lookup. */
export function fateIndex(status: number, flags: readonly ResponseFlag[], attempts: number, error?: ProxyError): number {
  if (status > 0 && status < 400) return attempts > 1 ? SUCCESS_AFTER_RETRY : SUCCESS;
  // A Linkerd proxy says it in its own words (no flags): FAIL_FAST is its fail-fast, LOAD_SHED its overflow.
  if (error !== undefined) return error === 'FAIL_FAST' ? FAIL_FAST_UH : error === 'LOAD_SHED' ? OVERFLOW_UO : TIMEOUT_UT;
  for (let i = 0; i < flags.length; i++) {
    const flag = flags[i];
    if (flag === 'UH') return FAIL_FAST_UH;
    if (flag === 'UO') return OVERFLOW_UO;
    if (flag === 'UT') return TIMEOUT_UT;
  }
  return attempts > 1 ? FAILED_AFTER_RETRIES : NOT_RETRYABLE;
}

const SUCCESS = FATES.indexOf('success');
const SUCCESS_AFTER_RETRY = FATES.indexOf('successAfterRetry');
const FAILED_AFTER_RETRIES = FATES.indexOf('failedAfterRetries');
const FAIL_FAST_UH = FATES.indexOf('failFastUH');
const OVERFLOW_UO = FATES.indexOf('overflowUO');
const TIMEOUT_UT = FATES.indexOf('timeoutUT');
const NOT_RETRYABLE = FATES.indexOf('notRetryable');

/** Counts of requests by fate; `counts()` is the plain record the report carries. */
export class FateTally {
  private readonly n = new Array<number>(FATES.length).fill(0);

  add(status: number, flags: readonly ResponseFlag[], attempts: number, error?: ProxyError): void {
    const i = fateIndex(status, flags, attempts, error);
    this.n[i] = (this.n[i] as number) + 1;
  }

  counts(): FateCounts {
    const out = {} as FateCounts;
    FATES.forEach((fate, i) => (out[fate] = this.n[i] as number));
    return out;
  }
}
