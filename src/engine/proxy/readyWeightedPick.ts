import type { Rng } from '../kernel/Rng.ts';

type Weighted = ReadonlyArray<{ cluster: string; weight: number }>;

/** A route's backends past this many are never set aside (the Gateway API allows 16 `backendRefs` a rule). */
const MASKABLE = 30;

/**
 * linkerd-proxy's choice of a route's backend (`RandomAvailableSelection`,
 * linkerd2-proxy `linkerd/distribute/src/service/random.rs` `poll_ready`):
 * a weighted draw; a backend that is not ready — its queue's gate shut
 * because it is in fail-fast, or its queue full — has its weight zeroed for
 * this request and another is drawn among the rest, until one is ready.
 * None ready: `undefined`, and the route's `LoadShed` layer just above fails
 * the request at once (`LOAD_SHED`, `linkerd/app/outbound/src/http/logical/policy/route.rs`).
 *
 * Each draw is `pickWeighted`'s (one integer in [0, total of the weights
 * left)); a single backend is checked without drawing. So when the first
 * backend drawn is ready the pick and the randomness used are exactly
 * `pickWeighted`'s. `ready` is asked once per backend drawn, with `a` and
 * `b` (no closure is made per request); `shown`, when given, is set to the
 * last draw and the total it was made in (left alone without a draw).
 */
export function pickReadyWeighted<A, B>(clusters: Weighted, rng: Rng, ready: (cluster: string, a: A, b: B) => boolean, a: A, b: B, shown?: { draw: number; total: number }): string | undefined {
  if (clusters.length === 1) {
    const only = (clusters[0] as { cluster: string }).cluster;
    return ready(only, a, b) ? only : undefined;
  }
  let shut = 0;
  for (;;) {
    let total = 0;
    for (let i = 0; i < clusters.length; i++) if (!isShut(shut, i)) total += Math.max(0, (clusters[i] as { weight: number }).weight);
    // rand's `WeightedIndex` refuses to draw with no weight left (`InsufficientNonZero`).
    if (total <= 0) return undefined;
    const draw = rng.int(total);
    if (shown) {
      shown.draw = draw;
      shown.total = total;
    }
    let end = 0;
    let chosen = -1;
    for (let i = 0; i < clusters.length; i++) {
      const c = clusters[i] as { weight: number };
      if (isShut(shut, i) || c.weight <= 0) continue;
      end += c.weight;
      chosen = i;
      if (draw < end) break;
    }
    const cluster = (clusters[chosen] as { cluster: string }).cluster;
    if (ready(cluster, a, b)) return cluster;
    if (chosen >= MASKABLE) return undefined;
    shut |= 1 << chosen;
  }
}

function isShut(mask: number, i: number): boolean {
  return i < MASKABLE && (mask & (1 << i)) !== 0;
}
