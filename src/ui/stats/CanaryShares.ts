import type { MeshEvent } from '../../model/index.ts';

/**
 * Counts, per weighted VirtualService rule, which destination each request
 * the picture has shown was sent to: the observed split beside the
 * configured one. Counting starts again when a push changes the config, so
 * over many sends the observed share converges to the weights in force.
 */
export class CanaryShares {
  private readonly counts = new Map<string, number[]>();
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
        if (route === undefined || event.weights.length < 2) return;
        const index = event.weights.findIndex((w) => w.cluster === event.cluster);
        const counts = this.counts.get(route) ?? [];
        counts[index] = (counts[index] ?? 0) + 1;
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

  /** Requests sent to each destination of `route` since the last push, in the rule's order (0 where none went). */
  observed(route: string, destinations: number): number[] {
    const counts = this.counts.get(route) ?? [];
    return Array.from({ length: destinations }, (_, i) => counts[i] ?? 0);
  }
}
