import type { Rng } from '../kernel/Rng.ts';

type Weighted = Array<{ cluster: string; weight: number }>;

/**
 * Envoy's `weighted_clusters` pick (§2.4): one uniform integer draw in
 * [0, sum of weights), then a walk of the cumulative weights. A single entry
 * is returned without drawing, so a route with one destination consumes no
 * randomness. Weights are integers (Istio's are); weight-0 entries can never
 * be drawn.
 */
export function pickWeighted(clusters: Weighted, rng: Rng): string {
  const only = clusters.length === 1 ? clusters[0] : undefined;
  if (only) return only.cluster;
  const total = totalWeight(clusters);
  return clusterAt(clusters, rng.int(total));
}

/** The same pick, with the draw that made it (`draw` in [0, `total`)); `total` is 0 when there was nothing to draw. */
export function pickWeightedShowingDraw(clusters: Weighted, rng: Rng): { cluster: string; draw: number; total: number } {
  const only = clusters.length === 1 ? clusters[0] : undefined;
  if (only) return { cluster: only.cluster, draw: 0, total: 0 };
  const total = totalWeight(clusters);
  const draw = rng.int(total);
  return { cluster: clusterAt(clusters, draw), draw, total };
}

function totalWeight(clusters: Weighted): number {
  let total = 0;
  for (const c of clusters) total += Math.max(0, c.weight);
  if (total <= 0) throw new RangeError('pickWeighted needs at least one cluster with a positive weight');
  return total;
}

function clusterAt(clusters: Weighted, draw: number): string {
  let end = 0;
  for (const c of clusters) {
    if (c.weight <= 0) continue;
    end += c.weight;
    if (draw < end) return c.cluster;
  }
  // Unreachable for integer weights; guards float weights summing just short of the draw.
  return lastPositive(clusters);
}

function lastPositive(clusters: Weighted): string {
  for (let i = clusters.length - 1; i >= 0; i--) {
    const c = clusters[i];
    if (c && c.weight > 0) return c.cluster;
  }
  throw new RangeError('pickWeighted needs at least one cluster with a positive weight');
}
