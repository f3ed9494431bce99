import type { Micros } from '../../model/index.ts';

const MICROS_PER_SECOND = 1_000_000;

/**
 * Linkerd's jittered exponential back-off (linkerd2-proxy
 * `linkerd/exp-backoff/src/lib.rs`, §10.1): the `iteration`-th wait (from 0)
 * is base = min(min × 2^iteration, max) plus a jitter of
 * base × jitter × draw, never more than max − base. `draw` is uniform in
 * [0, 1). The jitter is worked out as Linkerd does, on whole seconds and the
 * sub-second part separately, each truncated: a whole-second base (failure
 * accrual's 1 s, 2 s, 4 s…) gets whole seconds of jitter only.
 */
export function expBackoff(min: Micros, max: Micros, jitter: number, iteration: number, draw: number): Micros {
  const base = backoffBase(min, max, iteration);
  if (jitter === 0) return base;
  const factor = draw * jitter;
  const wholeSeconds = Math.floor(base / MICROS_PER_SECOND);
  const subSecondNanos = (base % MICROS_PER_SECOND) * 1000;
  const extra = Math.floor(wholeSeconds * factor) * MICROS_PER_SECOND + Math.floor(Math.floor(subSecondNanos * factor) / 1000);
  return base + Math.min(extra, max - base);
}

/** min × 2^iteration, or max once that is larger (or would overflow). */
export function backoffBase(min: Micros, max: Micros, iteration: number): Micros {
  if (iteration >= 52) return max;
  return Math.min(min * 2 ** iteration, max);
}
