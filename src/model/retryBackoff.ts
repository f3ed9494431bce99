import { MICROS_PER_MS, ms, type Micros } from './units.ts';
import type { RetryPolicyXds } from './xds.ts';

/** Envoy's default back-off base, runtime `upstream.base_retry_backoff_ms` (§1.4). */
export const DEFAULT_BACKOFF_BASE: Micros = ms(25);

/** Envoy's default max interval is 10 × base; Istio only ever sets the base (§1.4, §2.1). */
export const BACKOFF_MAX_FACTOR = 10;

/**
 * The back-off a route's retry policy carries, from Istio's `retries.backoff`
 * (undefined: Envoy's default). A base below 1 ms rounds up to 1 ms; the max
 * is always 10 × base (§1.4).
 */
export function retryBackoff(base: Micros = DEFAULT_BACKOFF_BASE): Pick<RetryPolicyXds, 'backoffBase' | 'backoffMax'> {
  const backoffBase = Math.max(base, ms(1));
  return { backoffBase, backoffMax: backoffBase * BACKOFF_MAX_FACTOR };
}

/**
 * One request's retry back-off (§1.4), plain data. All three values are whole
 * milliseconds expressed in µs, because Envoy's strategy counts in ms.
 * `advanceBackoff` moves `next`; nothing else changes it.
 */
export interface BackoffState {
  base: Micros;
  max: Micros;
  next: Micros;
}

/**
 * Envoy's `RetryBackOff`: the base is truncated to whole ms and rounded up to
 * 1 ms when smaller; the max must be ≥ base (raised to base if not). A max of
 * 0 means "not set" and becomes Envoy's default of 10 × base.
 */
export function createBackoff(base: Micros, max: Micros): BackoffState {
  const baseMs = Math.max(1, Math.floor(base / MICROS_PER_MS));
  const maxMs = max > 0 ? Math.max(baseMs, Math.floor(max / MICROS_PER_MS)) : BACKOFF_MAX_FACTOR * baseMs;
  return { base: baseMs * MICROS_PER_MS, max: maxMs * MICROS_PER_MS, next: baseMs * MICROS_PER_MS };
}

/**
 * The next retry's jitter window, exactly as `JitteredExponentialBackOffStrategy::
 * nextBackOffMs` computes it (§1.4): b = next; next doubles while below
 * max/2 (integer ms), else becomes max; the delay is random() % b ms. So retry
 * N waits in [0, min(2^(N-1)·base, max)) — with defaults 0–24, 0–49, 0–99,
 * 0–199, 0–249, 0–249 ms. Not the router docs' older [0, (2^N − 1)·base)
 * (0–74 ms for the second retry), which described a previous implementation.
 * Returns b in µs (whole ms, the exclusive upper bound) and mutates `state.next`.
 */
export function advanceBackoff(state: BackoffState): Micros {
  const bMs = Math.max(1, Math.floor(state.next / MICROS_PER_MS));
  const maxMs = Math.floor(state.max / MICROS_PER_MS);
  const doublingLimitMs = Math.floor(maxMs / 2);
  state.next = (bMs < doublingLimitMs ? bMs * 2 : maxMs) * MICROS_PER_MS;
  return bMs * MICROS_PER_MS;
}

/** The jitter windows (exclusive upper bounds, µs) of the first `retries` retries of a policy. */
export function backoffWindows(policy: Pick<RetryPolicyXds, 'backoffBase' | 'backoffMax'>, retries: number): Micros[] {
  const state = createBackoff(policy.backoffBase, policy.backoffMax);
  return Array.from({ length: Math.max(0, retries) }, () => advanceBackoff(state));
}
