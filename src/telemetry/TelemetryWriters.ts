import type { MeshXds, Micros } from '../model/index.ts';
import { AccessLogWriter } from './accessLog/AccessLogWriter.ts';
import { LinkerdAccessLogWriter } from './accessLog/LinkerdAccessLogWriter.ts';
import { ZtunnelAccessLog } from './accessLog/ZtunnelAccessLog.ts';
import { ByteChunks, textSinkAsBytes } from './ByteChunks.ts';
import type { ByteSink } from './ByteChunks.ts';
import type { ConnectionRecord } from './ConnectionRecord.ts';
import { EnvoyClusterStats } from './metrics/EnvoyClusterStats.ts';
import { IstioMetrics } from './metrics/IstioMetrics.ts';
import { LinkerdMetrics } from './metrics/LinkerdMetrics.ts';
import type { MetricFamily } from './metrics/MetricFamily.ts';
import { ZtunnelMetrics } from './metrics/ZtunnelMetrics.ts';
import { PeerIndex } from './PeerIndex.ts';
import type { ClientRecord, RecordListener, ServerRecord } from './records.ts';
import type { TelemetryPlan, TelemetryWriterPort, TextSink } from './TelemetryPlan.ts';
import { hasZtunnels, NEVER } from './TelemetryPlan.ts';
import { TextChunks } from './TextChunks.ts';
import { OtlpTraceWriter } from './traces/OtlpTraceWriter.ts';
import { WallClock } from './wallClock.ts';

/** Where each output the plan asks for is written. */
export interface TelemetrySinks {
  metrics?: TextSink;
  /** The access log as text, or as UTF-8 bytes (a file) when `accessLogBytes` is given. */
  accessLog?: TextSink;
  accessLogBytes?: ByteSink;
  traces?: TextSink;
}

/**
 * The writers of a run's telemetry: Istio's (or linkerd-proxy's) metrics,
 * Envoy's cluster stats, ztunnels' counters, the access log and the spans,
 * fed with the records `RequestRecorder` makes (`TelemetryWriterPort`).
 * They run where the records are made (`TelemetryOutputs`): in the run's
 * thread, or on the outputs' own thread with the engine's calls carried
 * over to it (`wire/`): either way the same calls in the same order write
 * the same bytes.
 */
export class TelemetryWriters implements TelemetryWriterPort {
  /** The mesh's own metrics: Istio's standard metrics, or under `flavor: linkerd` what linkerd-proxy emits. */
  private readonly istio: IstioMetrics | LinkerdMetrics | undefined;
  private readonly envoy: EnvoyClusterStats | undefined;
  private readonly families: MetricFamily[];
  private readonly clock: WallClock;
  private readonly peers: PeerIndex;
  private readonly listeners: RecordListener[];
  private readonly ztunnel: ZtunnelMetrics | undefined;
  private readonly ztunnelLog: ZtunnelAccessLog | undefined;
  /** The access log's and the spans' lines on their way to their sinks, handed over in chunks (the rest when the run ends). */
  private readonly chunks: Array<{ flush(): void }>;
  /** The next scrape's instant (never, without a metrics file). */
  private nextScrape: Micros;
  private lastScrape: string | undefined;

  constructor(
    private readonly plan: TelemetryPlan,
    private readonly sinks: TelemetrySinks,
  ) {
    if (plan.scrapeInterval !== undefined && !sinks.metrics) throw new Error('the plan has a metrics file but no sink for it');
    if (plan.accessLogFormat !== undefined && !sinks.accessLog && !sinks.accessLogBytes) throw new Error('the plan has an access log but no sink for it');
    if (plan.traceSampling !== undefined && !sinks.traces) throw new Error('the plan has traces but no sink for them');
    this.nextScrape = plan.scrapeInterval !== undefined ? 0 : NEVER;
    const peers = (this.peers = new PeerIndex(plan.scenario, plan.xds));
    this.clock = new WallClock(plan.startMs);
    const metrics = plan.scrapeInterval !== undefined || plan.liveMetrics === true;
    const linkerd = plan.scenario.simulation.flavor === 'linkerd';
    // Under ambient, ztunnels' TCP metrics (a mesh without ztunnels has none, and writes none); Envoy's TCP proxies count into the same families.
    const ztunnels = hasZtunnels(plan.xds);
    this.ztunnel = metrics && ztunnels ? new ZtunnelMetrics(peers) : undefined;
    this.istio = metrics ? (linkerd ? new LinkerdMetrics(peers, plan.scenario) : new IstioMetrics(peers, this.ztunnel?.families)) : undefined;
    // Envoy's cluster stats come from Envoy: a Linkerd mesh has none.
    this.envoy = metrics && !linkerd ? new EnvoyClusterStats(plan.xds) : undefined;
    this.families = [...(this.istio?.families ?? []), ...(this.ztunnel?.families ?? []), ...(this.envoy?.families ?? [])];
    const format = plan.accessLogFormat;
    const logSink = sinks.accessLogBytes ?? (sinks.accessLog ? textSinkAsBytes(sinks.accessLog) : undefined);
    const logOut = format !== undefined && logSink ? new ByteChunks(logSink) : undefined;
    const tracesOut = plan.traceSampling !== undefined && sinks.traces ? new TextChunks(sinks.traces) : undefined;
    this.chunks = [logOut, tracesOut].filter((c) => c !== undefined);
    // ztunnels write their own lines (ztunnel's format) into the same log.
    this.ztunnelLog = format !== undefined && logOut && ztunnels ? new ZtunnelAccessLog(logOut, format, this.clock, peers) : undefined;
    // Under Linkerd, linkerd-proxy's own log, from the pods annotated for it (`format` is Envoy's and does not apply).
    const log =
      format !== undefined && logOut
        ? linkerd
          ? new LinkerdAccessLogWriter(logOut, this.clock, peers, plan.scenario)
          : new AccessLogWriter(logOut, format, this.clock, peers, (pod, side) => peers.get(pod)?.policy.accessLog[side] ?? true)
        : undefined;
    const traces = tracesOut ? new OtlpTraceWriter(tracesOut, this.clock, peers, plan.scenario.mesh.trustDomain) : undefined;
    this.listeners = [this.istio, log, traces].filter((l) => l !== undefined);
  }

  client(r: ClientRecord): void {
    for (const l of this.listeners) l.client(r);
  }

  server(r: ServerRecord): void {
    for (const l of this.listeners) l.server(r);
  }

  connection(c: ConnectionRecord): void {
    this.ztunnel?.connection(c);
    this.ztunnelLog?.connection(c);
  }

  retried(cluster: string): void {
    this.envoy?.retried(cluster);
  }

  retryOverflowed(cluster: string): void {
    this.envoy?.retryOverflowed(cluster);
  }

  poolOverflowed(cluster: string, limit: 'maxConnections' | 'maxPendingRequests' | 'maxRequests' | 'maxRetries'): void {
    this.envoy?.poolOverflowed(cluster, limit);
  }

  ejected(cluster: string): void {
    this.envoy?.ejected(cluster);
  }

  unejected(cluster: string): void {
    this.envoy?.unejected(cluster);
  }

  /** Telemetry resources changed by a push take effect from now on, for every output. */
  configPushed(xds: MeshXds): void {
    this.peers.update(xds);
    this.istio?.configChanged();
  }

  /** Every scrape due before `t` (each sees the records up to its instant). */
  scrapeUntil(t: Micros): void {
    const interval = this.plan.scrapeInterval as Micros;
    while (t > this.nextScrape) {
      this.scrape(this.nextScrape);
      this.nextScrape += interval;
    }
  }

  /** The current metrics in Prometheus text format 0.0.4 (a live `/metrics`). */
  prometheusText(): string {
    const out: string[] = [];
    for (const f of this.families) f.write(out, false);
    return out.join('');
  }

  /** The run ended at `now`: the access log's and the spans' last lines, the last scrape (at or after `now`) and `# EOF`. */
  finish(now: Micros): void {
    for (const c of this.chunks) c.flush();
    const write = this.sinks.metrics;
    if (this.plan.scrapeInterval === undefined || !write) return;
    this.scrapeUntil(now);
    this.scrape(this.nextScrape);
    write('# EOF\n');
  }

  private scrape(at: Micros): void {
    const out: string[] = [];
    const ts = this.clock.seconds(at);
    for (const f of this.families) f.write(out, true, ts, this.lastScrape);
    this.lastScrape = ts;
    if (out.length > 0) (this.sinks.metrics as TextSink)(out.join(''));
  }
}
