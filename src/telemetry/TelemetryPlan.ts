import type { MeshXds, Micros, Scenario } from '../model/index.ts';
import type { AccessLogFormat } from './accessLog/AccessLogWriter.ts';
import type { RecordListener } from './records.ts';

/** Where a stream of text goes (a file, a socket); called with whole lines, in order. */
export type TextSink = (text: string) => void;

/**
 * Which outputs a run writes and how, as plain data (it crosses to a
 * writers' thread as it is): each output is on when its setting is given.
 */
export interface TelemetryPlan {
  scenario: Scenario;
  xds: MeshXds;
  /** The wall-clock instant of simulated time 0, ms since the Unix epoch. */
  startMs: number;
  /** A metrics file, scraped every this many µs of simulated time. */
  scrapeInterval?: Micros;
  /** Keep the metrics for a live `/metrics` (only where the writers run in the run's own thread). */
  liveMetrics?: boolean;
  /** An access log in this format. */
  accessLogFormat?: AccessLogFormat;
  /** Spans, sampled at this percentage by default. */
  traceSampling?: number;
}

export type PoolLimit = 'maxConnections' | 'maxPendingRequests' | 'maxRequests' | 'maxRetries';

/**
 * What the recording side of a run's telemetry hands its writers: the
 * records, Envoy's cluster events, config pushes, the scrape instants and
 * the end: `TelemetryWriters` takes them, in the thread where the records
 * are made (the run's, or the outputs' thread of `meshviz simulate`, to
 * which `wire/` carries the engine's calls).
 */
export interface TelemetryWriterPort extends RecordListener {
  retried(cluster: string): void;
  retryOverflowed(cluster: string): void;
  poolOverflowed(cluster: string, limit: PoolLimit): void;
  ejected(cluster: string): void;
  unejected(cluster: string): void;
  configPushed(xds: MeshXds): void;
  /** Every scrape due before `t`. */
  scrapeUntil(t: Micros): void;
  /** The run ended at `now`. */
  finish(now: Micros): void;
}

/** No scrape is ever due (no metrics file). */
export const NEVER = Number.POSITIVE_INFINITY;

/** Whether any proxy of the mesh is a ztunnel (ambient): ztunnels count connections and log them. */
export function hasZtunnels(xds: MeshXds): boolean {
  return Object.values(xds.proxies).some((p) => p.dataPlane === 'ztunnel');
}

/** Whether a writer reads requests' sizes (the metrics and ztunnels' log do): the recorder works them out only then. */
export function plansSizes(plan: TelemetryPlan): boolean {
  return plan.scrapeInterval !== undefined || plan.liveMetrics === true || (plan.accessLogFormat !== undefined && hasZtunnels(plan.xds));
}

/** Whether a writer takes ztunnels' connection records (their metrics or their log). */
export function plansConnections(plan: TelemetryPlan): boolean {
  return hasZtunnels(plan.xds) && (plan.scrapeInterval !== undefined || plan.liveMetrics === true || plan.accessLogFormat !== undefined);
}
