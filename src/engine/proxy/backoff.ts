import { MICROS_PER_MS, type Micros } from '../../model/index.ts';
import type { Rng } from '../kernel/Rng.ts';

/**
 * One request's retry back-off (§1.4), plain data. All three values are whole
 * milliseconds expressed in µs, because Envoy's strategy counts in ms.
 * `nextBackoff` advances `next`; nothing else changes it.
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
  const maxMs = max > 0 ? Math.max(baseMs, Math.floor(max / MICROS_PER_MS)) : 10 * baseMs;
  return { base: baseMs * MICROS_PER_MS, max: maxMs * MICROS_PER_MS, next: baseMs * MICROS_PER_MS };
}

/**
 * The next retry's delay, exactly as `JitteredExponentialBackOffStrategy::
 * nextBackOffMs` computes it (§1.4): b = next; next doubles while below
 * max/2 (integer ms), else becomes max; delay = random() % b ms. So retry N
 * waits uniformly in [0, min(2^(N-1)·base, max)) — with defaults 0–24, 0–49,
 * 0–99, 0–199, 0–249, 0–249 ms. Not the router docs' older [0, (2^N − 1)·base)
 * (0–74 ms for the second retry), which described a previous implementation.
 * Mutates `state.next`. `range` is [0, b) in µs, upper bound exclusive.
 */
export function nextBackoff(state: BackoffState, rng: Rng): { delay: Micros; range: [Micros, Micros] } {
  const bMs = Math.max(1, Math.floor(state.next / MICROS_PER_MS));
  const maxMs = Math.floor(state.max / MICROS_PER_MS);
  const doublingLimitMs = Math.floor(maxMs / 2);
  state.next = (bMs < doublingLimitMs ? bMs * 2 : maxMs) * MICROS_PER_MS;
  const delayMs = rng.int(bMs);
  return { delay: delayMs * MICROS_PER_MS, range: [0, bMs * MICROS_PER_MS] };
}
