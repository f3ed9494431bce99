import { parseClusterName } from '../../model/index.ts';
import type { MeshEvent } from '../../model/index.ts';

/**
 * Counts, per weighted VirtualService rule, which destination each request
 * the picture has shown was sent to: the observed split beside the
 * configured one. Counting starts again when a push changes the config, so
 * over many sends the observed share converges to the weights in force.
 */
export class CanaryShares {
  /** Route key → cluster name → requests sent there. */
  private readonly counts = new Map<string, Map<string, number>>();
  /** Requests whose route matched a VirtualService rule, until their weighted pick. */
  private readonly matched = new Map<number, string>();
  /** When the last push landed (one push is an event per sidecar, all at one moment). */
  private pushedAt = -1;

  add(event: MeshEvent): void {
    switch (event.kind) {
      case 'route.match':
        if (event.origin.kind === 'virtualService') this.matched.set(event.requestId, `${event.origin.resource.replace(/^VirtualService\//, '')}#${event.origin.ruleIndex}`);
        return;
      case 'route.cluster': {
        const route = this.matched.get(event.requestId);
        this.matched.delete(event.requestId);
        if (route === undefined) return;
        const counts = this.counts.get(route) ?? new Map<string, number>();
        counts.set(event.cluster, (counts.get(event.cluster) ?? 0) + 1);
        this.counts.set(route, counts);
        return;
      }
      case 'config.push':
        if (event.t !== this.pushedAt) {
          this.pushedAt = event.t;
          this.counts.clear();
        }
        return;
      default:
        return;
    }
  }

  /**
   * Requests sent to each of `destinations` (a route's, in its order) since
   * the last push. A destination is known by its subset (a weight of 0 has
   * no cluster in the route, so positions cannot be used); one without a
   * subset by the cluster that has none.
   */
  observed(route: string, destinations: ReadonlyArray<{ subset?: string }>): number[] {
    const out = destinations.map(() => 0);
    for (const [cluster, n] of this.counts.get(route) ?? []) {
      const subset = parseClusterName(cluster)?.subset;
      const i = destinations.findIndex((d) => d.subset === subset);
      if (i >= 0) out[i] = (out[i] as number) + n;
    }
    return out;
  }
}
