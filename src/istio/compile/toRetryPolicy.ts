import { type HTTPRetry, isRetryOn, parseDuration, retryBackoff, type RetryOn, type RetryPolicyXds } from '../../model/index.ts';

/** Istio's default outbound `retry_on` since 1.24 (§2.1); `retriable-status-codes` with no codes is a no-op. */
export const DEFAULT_RETRY_ON: readonly RetryOn[] = [
  'connect-failure',
  'refused-stream',
  'unavailable',
  'cancelled',
  'retriable-status-codes',
];

/**
 * Istio's default outbound retry policy (§2.1): 2 retries, previous-hosts
 * predicate with 5 host-selection attempts — the predicate is dropped when the
 * destination uses consistent hashing (§1.5).
 */
export function defaultRetryPolicy(consistentHash: boolean): RetryPolicyXds {
  return {
    numRetries: 2,
    retryOn: [...DEFAULT_RETRY_ON],
    retriableStatusCodes: [],
    perTryTimeout: 0,
    ...retryBackoff(),
    previousHosts: !consistentHash,
    hostSelectionRetryMaxAttempts: 5,
  };
}

/** No retry policy on the route: Envoy never retries (§1.1). */
export function noRetryPolicy(): RetryPolicyXds {
  return { ...defaultRetryPolicy(false), numRetries: 0, retryOn: [], previousHosts: false, hostSelectionRetryMaxAttempts: 1 };
}

/**
 * VirtualService `retries` → the route's retry policy (istiod `ConvertPolicy`,
 * §2.1). `attempts` ≤ 0 — including a `retries` block that omits it — disables
 * retries. Invalid durations keep the default (the lint reports them).
 */
export function toRetryPolicy(retries: HTTPRetry | undefined, consistentHash: boolean): RetryPolicyXds {
  const out = defaultRetryPolicy(consistentHash);
  if (!retries) return out;
  if (retries.attempts === undefined || retries.attempts <= 0) return noRetryPolicy();
  out.numRetries = retries.attempts;
  if (retries.retryOn) {
    const parsed = parseRetryOn(retries.retryOn);
    out.retryOn = parsed.retryOn;
    out.retriableStatusCodes = parsed.statusCodes;
    if (parsed.statusCodes.length > 0 && !out.retryOn.includes('retriable-status-codes')) {
      out.retryOn.push('retriable-status-codes');
    }
  }
  const perTry = retries.perTryTimeout === undefined ? undefined : parseDuration(retries.perTryTimeout);
  if (perTry !== undefined) out.perTryTimeout = perTry;
  if (retries.retryIgnorePreviousHosts !== undefined) out.previousHosts = retries.retryIgnorePreviousHosts;
  const backoff = retries.backoff === undefined ? undefined : parseDuration(retries.backoff);
  if (backoff !== undefined) Object.assign(out, retryBackoff(backoff));
  return out;
}

/** Splits a `retryOn` string: conditions, bare HTTP status codes, and tokens Envoy would not know. */
export function parseRetryOn(text: string): { retryOn: RetryOn[]; statusCodes: number[]; unknown: string[] } {
  const retryOn: RetryOn[] = [];
  const statusCodes: number[] = [];
  const unknown: string[] = [];
  for (const raw of text.split(',')) {
    const token = raw.trim();
    if (token === '') continue;
    if (/^\d+$/.test(token) && Number(token) >= 100 && Number(token) <= 599) statusCodes.push(Number(token));
    else if (isRetryOn(token)) retryOn.push(token);
    else unknown.push(token);
  }
  return { retryOn, statusCodes, unknown };
}
