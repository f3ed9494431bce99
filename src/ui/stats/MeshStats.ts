import type { MeshEvent, Micros } from '../../model/index.ts';
import { FateTally, LatencyHistogram } from '../../telemetry/index.ts';
import type { FateCounts } from '../../telemetry/index.ts';

export interface StatsSnapshot {
  /** Requests sent from the controls (not the calls apps make for them). */
  requests: number;
  completed: number;
  /** Retries by any sidecar, at any depth. */
  retries: number;
  /** Sent requests whose app saw a 5xx or no response. */
  failures: number;
  ejections: number;
  /**
   * Latency the sending app saw, over the last `LATENCY_WINDOW` completed
   * requests, by the same HdrHistogram as `meshviz simulate`'s report.
   */
  p50?: Micros;
  p99?: Micros;
  /** What became of the completed ones (`meshviz simulate`'s fates). */
  fate: FateCounts;
}

export interface Ejection {
  at: Micros;
  duration: Micros;
}

const LATENCY_WINDOW = 1_000;

/**
 * Folds the events the picture has reached into the numbers on screen.
 * Counting only revealed events keeps the numbers in step with the picture.
 */
export class MeshStats {
  requests = 0;
  completed = 0;
  retries = 0;
  failures = 0;
  ejections = 0;
  /** Requests that reached each pod (its sidecar, or its app without one). */
  readonly received = new Map<string, number>();
  /** Whether the last request from one pod to another went over mTLS; key `from>to`. */
  readonly wireMtls = new Map<string, boolean>();
  /** Current ejections by key `client|cluster|endpoint`. */
  readonly ejected = new Map<string, Ejection>();
  private readonly roots = new Set<number>();
  private readonly fates = new FateTally();
  private readonly latencies: number[] = [];
  private next = 0;
  /** Rebuilt from `latencies` when a snapshot is asked for after a request completed. */
  private readonly histogram = new LatencyHistogram();
  private histogramStale = false;

  add(event: MeshEvent): void {
    switch (event.kind) {
      case 'request.start':
        if (event.origin.kind === 'traffic') {
          this.requests += 1;
          this.roots.add(event.requestId);
          // An outside client's request reaches the ingress gateway pod it enters through (as simulate counts it).
          if (event.ingress) this.received.set(event.fromPod, (this.received.get(event.fromPod) ?? 0) + 1);
        }
        return;
      case 'request.end':
        if (!this.roots.delete(event.requestId)) return;
        this.completed += 1;
        if (event.status === 0 || event.status >= 500) this.failures += 1;
        this.fates.add(event.status, event.flags, event.attempts);
        this.latencies[this.next] = event.duration;
        this.next = (this.next + 1) % LATENCY_WINDOW;
        this.histogramStale = true;
        return;
      case 'retry.backoff':
        this.retries += 1;
        return;
      case 'outlier.eject':
        this.ejections += 1;
        this.ejected.set(`${event.clientPod}|${event.cluster}|${event.endpoint}`, { at: event.t, duration: event.duration });
        return;
      case 'outlier.uneject':
        this.ejected.delete(`${event.clientPod}|${event.cluster}|${event.endpoint}`);
        return;
      case 'accrual.unavailable':
        this.ejections += 1;
        return;
      case 'hop.arrive':
        this.received.set(event.pod, (this.received.get(event.pod) ?? 0) + 1);
        return;
      case 'hop.send':
        if (event.direction === 'request' && event.where.kind === 'wire') {
          const key = `${event.where.from}>${event.where.to}`;
          this.wireMtls.set(key, event.mtls);
        }
        return;
      default:
        return;
    }
  }

  snapshot(): StatsSnapshot {
    const latency = this.latencyHistogram();
    return {
      requests: this.requests,
      completed: this.completed,
      retries: this.retries,
      failures: this.failures,
      ejections: this.ejections,
      p50: latency.count === 0 ? undefined : latency.percentile(50),
      p99: latency.count === 0 ? undefined : latency.percentile(99),
      fate: this.fates.counts(),
    };
  }

  private latencyHistogram(): LatencyHistogram {
    if (this.histogramStale) {
      this.histogram.reset();
      for (const value of this.latencies) this.histogram.record(value);
      this.histogramStale = false;
    }
    return this.histogram;
  }
}
