/**
 * Envoy's choice of locality under locality-weighted load balancing (Envoy
 * docs `arch_overview/upstream/load_balancing/locality_weight`: "the locality
 * is picked using a weighted round-robin schedule"; src `edf_scheduler.h`): an
 * earliest-deadline-first schedule where a locality of effective weight w is
 * due every 1/w, ties to the one added first. Envoy starts each proxy a
 * seeded number of picks into the schedule so its proxies do not all begin
 * with the same locality; this one starts at its beginning (the shares are
 * the same).
 */
export interface LocalityWrr {
  weights: number[];
  deadlines: number[];
  /** When each locality was (re-)added: the earlier wins a tie. */
  order: number[];
  nextOrder: number;
}

export function createLocalityWrr(weights: number[]): LocalityWrr {
  return {
    weights,
    deadlines: weights.map((w) => (w > 0 ? 1 / w : Infinity)),
    order: weights.map((_, i) => i),
    nextOrder: weights.length,
  };
}

/** The next locality (its index), or -1 when none has weight. */
export function pickLocality(wrr: LocalityWrr): number {
  let best = -1;
  let due = Infinity;
  for (let i = 0; i < wrr.deadlines.length; i++) {
    const d = wrr.deadlines[i] as number;
    if (d < due || (d === due && best >= 0 && (wrr.order[i] as number) < (wrr.order[best] as number))) {
      best = i;
      due = d;
    }
  }
  if (best < 0) return -1;
  wrr.deadlines[best] = due + 1 / (wrr.weights[best] as number);
  wrr.order[best] = wrr.nextOrder++;
  return best;
}

/**
 * A locality's weight scaled by its availability: weight × min(1, 1.4 ×
 * healthy / hosts) (Envoy's overprovisioning factor 1.4; docs table: weight 1
 * at 50 % healthy counts 0.7 against a healthy weight 2, so 26 %).
 */
export function effectiveLocalityWeight(weight: number, healthy: number, hosts: number): number {
  if (hosts === 0) return 0;
  return weight * Math.min(1, (1.4 * healthy) / hosts);
}
