import type { MeshEvent, MeshXds, Micros, Scenario } from '../model/index.ts';
import { AccessLogWriter } from './accessLog/AccessLogWriter.ts';
import type { AccessLogFormat } from './accessLog/AccessLogWriter.ts';
import { EnvoyClusterStats } from './metrics/EnvoyClusterStats.ts';
import { IstioMetrics } from './metrics/IstioMetrics.ts';
import type { MetricFamily } from './metrics/MetricFamily.ts';
import { PeerIndex } from './PeerIndex.ts';
import { RequestRecorder } from './RequestRecorder.ts';
import type { ClientRecord, ServerRecord } from './RequestRecorder.ts';
import { OtlpTraceWriter } from './traces/OtlpTraceWriter.ts';
import { WallClock } from './wallClock.ts';

/** Where a stream of text goes (a file, a socket); called with whole lines, in order. */
export type TextSink = (text: string) => void;

export interface TelemetryOutputOptions {
  scenario: Scenario;
  xds: MeshXds;
  /** The wall-clock instant of simulated time 0, ms since the Unix epoch. */
  startMs: number;
  /** OpenMetrics with a timestamped scrape every `scrapeInterval`, ending `# EOF`. */
  metricsFile?: { write: TextSink; scrapeInterval: Micros };
  /** Keep the metrics for `prometheusText()` (a live `/metrics`) even without a file. */
  liveMetrics?: boolean;
  /** Envoy access-log lines: every sidecar logs unless a Telemetry resource turns it off (`meshConfig.accessLogFile` set). */
  accessLog?: { write: TextSink; format: AccessLogFormat };
  /** OTLP/JSON spans; `samplingPercent` is the mesh default (`meshConfig.defaultConfig.tracing.sampling`), a Telemetry's percentage wins. */
  traces?: { write: TextSink; samplingPercent: number };
}

/**
 * Istio-shaped telemetry out of a run: fed the event stream (`sink`), it
 * writes metrics, access logs and spans as requests complete, holding only
 * cumulative series and the requests in flight — memory does not grow with
 * the run. Call `finish(now)` when the run ends.
 */
export class TelemetryOutputs {
  private readonly recorder: RequestRecorder;
  private readonly istio: IstioMetrics | undefined;
  private readonly envoy: EnvoyClusterStats | undefined;
  private readonly families: MetricFamily[];
  private readonly clock: WallClock;
  private nextScrape: Micros = 0;
  private lastScrape: string | undefined;

  constructor(private readonly o: TelemetryOutputOptions) {
    const peers = new PeerIndex(o.scenario, o.xds);
    this.clock = new WallClock(o.startMs);
    const metrics = o.metricsFile !== undefined || o.liveMetrics === true;
    this.istio = metrics ? new IstioMetrics(peers) : undefined;
    this.envoy = metrics ? new EnvoyClusterStats(o.xds) : undefined;
    this.families = [...(this.istio?.families ?? []), ...(this.envoy?.families ?? [])];
    const log = o.accessLog ? new AccessLogWriter(o.accessLog.write, o.accessLog.format, this.clock, peers, o.xds, (pod, side) => peers.get(pod)?.policy.accessLog[side] ?? true) : undefined;
    const traces = o.traces ? new OtlpTraceWriter(o.traces.write, this.clock, peers, o.scenario.mesh.trustDomain) : undefined;
    const meshSampling = o.traces?.samplingPercent ?? 0;
    const listeners = [this.istio, log, traces].filter((l) => l !== undefined);
    this.recorder = new RequestRecorder(
      {
        client: (r: ClientRecord) => {
          for (const l of listeners) l.client(r);
        },
        server: (r: ServerRecord) => {
          for (const l of listeners) l.server(r);
        },
      },
      (traceId, pod) => sampled(traceId, peers.get(pod)?.policy.tracingSampling ?? meshSampling),
    );
  }

  readonly sink = (e: MeshEvent): void => {
    if (this.o.metricsFile && e.t > this.nextScrape) this.scrapeUntil(e.t);
    this.recorder.add(e);
    const envoy = this.envoy;
    if (!envoy) return;
    switch (e.kind) {
      case 'retry.backoff': {
        const cluster = this.recorder.clusterOf(e.requestId);
        if (cluster) envoy.retried(cluster);
        return;
      }
      case 'retry.overflow':
        return envoy.retryOverflowed(e.cluster);
      case 'pool.overflow':
        return envoy.poolOverflowed(e.cluster, e.limit);
      case 'outlier.eject':
        return envoy.ejected(e.cluster);
      case 'outlier.uneject':
        return envoy.unejected(e.cluster);
      default:
        return;
    }
  };

  /** The current metrics in Prometheus text format 0.0.4 (a live `/metrics`). */
  prometheusText(): string {
    const out: string[] = [];
    for (const f of this.families) f.write(out, false);
    return out.join('');
  }

  /** The run ended at `now`: the last scrape (at or after `now`) and `# EOF`. */
  finish(now: Micros): void {
    const file = this.o.metricsFile;
    if (!file) return;
    this.scrapeUntil(now);
    this.scrape(this.nextScrape);
    file.write('# EOF\n');
  }

  /** Every scrape due before `t` (each sees the events up to its instant). */
  private scrapeUntil(t: Micros): void {
    const interval = (this.o.metricsFile as { scrapeInterval: Micros }).scrapeInterval;
    while (t > this.nextScrape) {
      this.scrape(this.nextScrape);
      this.nextScrape += interval;
    }
  }

  private scrape(at: Micros): void {
    const out: string[] = [];
    const ts = this.clock.seconds(at);
    for (const f of this.families) f.write(out, true, ts, this.lastScrape);
    this.lastScrape = ts;
    if (out.length > 0) (this.o.metricsFile as { write: TextSink }).write(out.join(''));
  }
}

/**
 * Envoy's random sampling decision (`UuidUtils::uuidModBy(x-request-id, 10000) <
 * percent × 100`, Envoy src source/common/tracing/http_tracer_impl.cc), on the
 * trace id the first sidecar drew: the same trace gets the same decision.
 */
export function sampled(traceId: string, percent: number): boolean {
  if (percent >= 100) return true;
  if (percent <= 0) return false;
  return Number.parseInt(traceId.slice(-8), 16) % 10_000 < Math.round(percent * 100);
}
