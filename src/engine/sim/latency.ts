import type { LatencyDist, Micros } from '../../model/index.ts';
import type { Rng } from '../kernel/Rng.ts';

/** z-score of the 99th percentile of the standard normal distribution. */
const Z99 = 2.3263478740408408;

/**
 * Draws an app's service time. The log-normal is fitted to the two numbers
 * people know about their service: median and p99 (μ = ln p50, σ = ln(p99/p50)/z₀.₉₉).
 */
export function sampleLatency(dist: LatencyDist, rng: Rng): Micros {
  if (dist.kind === 'fixed') return dist.value;
  const mu = Math.log(Math.max(dist.p50, 1));
  const sigma = Math.max(0, Math.log(Math.max(dist.p99, 1) / Math.max(dist.p50, 1)) / Z99);
  // Box–Muller; 1 − u keeps the logarithm finite.
  const u1 = 1 - rng.next();
  const u2 = rng.next();
  const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  return Math.max(1, Math.round(Math.exp(mu + sigma * z)));
}
