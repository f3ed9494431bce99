import type { MeshEvent, Micros } from '../../model/index.ts';
import { LatencyHistogram } from '../../telemetry/index.ts';

interface Answer {
  t: Micros;
  status: number;
  duration: Micros;
}

/** What users got, or what the canary's sidecars recorded, over a window. */
export interface WindowStats {
  requests: number;
  /** Answers that were not 5xx and not a reset, in % (null without requests). */
  successPercent: number | null;
  p99Ms: number | null;
}

/**
 * Keeps, from a rollout's event stream, what the checks and the report
 * read: every answer the canary's pods gave as their sidecars recorded it
 * (Istio's reporter="destination", which Flagger's built-in checks query),
 * and every answer the traffic's callers got.
 */
export class CanaryFold {
  private readonly canary: Answer[] = [];
  private readonly users: Answer[] = [];
  private readonly fromTraffic = new Set<number>();

  constructor(private readonly canaryWorkload: string) {}

  readonly add = (e: MeshEvent): void => {
    switch (e.kind) {
      case 'request.start':
        if (e.origin.kind === 'traffic') this.fromTraffic.add(e.requestId);
        return;
      case 'request.end':
        if (this.fromTraffic.delete(e.requestId)) this.users.push({ t: e.t, status: e.status, duration: e.duration });
        return;
      case 'inbound.complete':
        if (!e.shadow && e.destinationWorkload === this.canaryWorkload) this.canary.push({ t: e.t, status: e.status, duration: e.duration });
        return;
      default:
        return;
    }
  };

  /** The canary's answers that completed in [from, to). */
  canaryWindow(from: Micros, to: Micros): WindowStats {
    return stats(this.canary, from, to);
  }

  /** The traffic's answers that ended in [from, to). */
  usersWindow(from: Micros, to: Micros): WindowStats {
    return stats(this.users, from, to);
  }
}

function stats(answers: readonly Answer[], from: Micros, to: Micros): WindowStats {
  const histogram = new LatencyHistogram();
  let requests = 0;
  let good = 0;
  for (const a of answers) {
    if (a.t < from || a.t >= to) continue;
    requests += 1;
    if (a.status > 0 && a.status < 500) good += 1;
    histogram.record(a.duration);
  }
  if (requests === 0) return { requests, successPercent: null, p99Ms: null };
  return { requests, successPercent: Math.round((1e5 * good) / requests) / 1000, p99Ms: Math.round(histogram.percentile(99) / 10) / 100 };
}
