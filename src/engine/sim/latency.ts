import type { LatencyDist, Micros } from '../../model/index.ts';
import type { Rng } from '../kernel/Rng.ts';

/** z-score of the 99th percentile of the standard normal distribution. */
const Z99 = 2.3263478740408408;

/**
 * An app's service time, ready to draw: the log-normal is fitted to the two
 * numbers people know about their service, median and p99
 * (μ = ln p50, σ = ln(p99/p50)/z₀.₉₉), once per pod rather than per request.
 * `sigma < 0` marks a fixed time (`mu` is then the time itself).
 */
export interface ServiceTime {
  readonly mu: number;
  readonly sigma: number;
}

export function serviceTime(dist: LatencyDist): ServiceTime {
  if (dist.kind === 'fixed') return { mu: dist.value, sigma: -1 };
  return {
    mu: Math.log(Math.max(dist.p50, 1)),
    sigma: Math.max(0, Math.log(Math.max(dist.p99, 1) / Math.max(dist.p50, 1)) / Z99),
  };
}

/** Draws one service time (two draws of the pod's stream for a log-normal, none for a fixed time). */
export function sampleLatency(time: ServiceTime, rng: Rng): Micros {
  if (time.sigma < 0) return time.mu;
  // Box–Muller; 1 − u keeps the logarithm finite.
  const u1 = 1 - rng.next();
  const u2 = rng.next();
  const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  return Math.max(1, Math.round(Math.exp(time.mu + time.sigma * z)));
}
