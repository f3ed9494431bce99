import type { Rng } from '../kernel/Rng.ts';

/**
 * Envoy's `weighted_clusters` pick (§2.4): one uniform integer draw in
 * [0, sum of weights), then a walk of the cumulative weights. A single entry
 * is returned without drawing, so a route with one destination consumes no
 * randomness. Weights are integers (Istio's are); weight-0 entries can never
 * be drawn.
 */
export function pickWeighted(clusters: Array<{ cluster: string; weight: number }>, rng: Rng): string {
  const only = clusters.length === 1 ? clusters[0] : undefined;
  if (only) return only.cluster;
  let total = 0;
  for (const c of clusters) total += Math.max(0, c.weight);
  if (total <= 0) throw new RangeError('pickWeighted needs at least one cluster with a positive weight');
  const draw = rng.int(total);
  let end = 0;
  for (const c of clusters) {
    if (c.weight <= 0) continue;
    end += c.weight;
    if (draw < end) return c.cluster;
  }
  // Unreachable for integer weights; guards float weights summing just short of the draw.
  return lastPositive(clusters);
}

function lastPositive(clusters: Array<{ cluster: string; weight: number }>): string {
  for (let i = clusters.length - 1; i >= 0; i--) {
    const c = clusters[i];
    if (c && c.weight > 0) return c.cluster;
  }
  throw new RangeError('pickWeighted needs at least one cluster with a positive weight');
}
