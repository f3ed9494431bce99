import type { MeshXds, Micros, ResponseFlag, RunTelemetry, Scenario, TelemetryRequest, TelemetryServer } from '../model/index.ts';
import { AccessLogWriter } from './accessLog/AccessLogWriter.ts';
import { ZtunnelAccessLog } from './accessLog/ZtunnelAccessLog.ts';
import type { AccessLogFormat } from './accessLog/AccessLogWriter.ts';
import { LinkerdAccessLogWriter } from './accessLog/LinkerdAccessLogWriter.ts';
import { EnvoyClusterStats } from './metrics/EnvoyClusterStats.ts';
import { IstioMetrics } from './metrics/IstioMetrics.ts';
import { LinkerdMetrics } from './metrics/LinkerdMetrics.ts';
import { ZtunnelMetrics } from './metrics/ZtunnelMetrics.ts';
import type { MetricFamily } from './metrics/MetricFamily.ts';
import { PeerIndex } from './PeerIndex.ts';
import { RequestRecorder } from './RequestRecorder.ts';
import type { ClientRecord, ServerRecord } from './RequestRecorder.ts';
import type { ConnectionRecord } from './ConnectionRecord.ts';
import { ByteChunks, textSinkAsBytes } from './ByteChunks.ts';
import type { ByteSink } from './ByteChunks.ts';
import { TextChunks } from './TextChunks.ts';
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
  /**
   * Envoy access-log lines: every sidecar logs unless a Telemetry resource turns it off (`meshConfig.accessLogFile` set).
   * Under `flavor: linkerd`, linkerd-proxy's log instead: the pods annotated `config.linkerd.io/access-log`, each in its annotation's format.
   */
  accessLog?: { write: TextSink; format: AccessLogFormat; /** The same lines as UTF-8, for a sink that takes bytes (a file): used instead of `write` when given. */ writeBytes?: ByteSink };
  /** OTLP/JSON spans; `samplingPercent` is the mesh default (`meshConfig.defaultConfig.tracing.sampling`), a Telemetry's percentage wins. */
  traces?: { write: TextSink; samplingPercent: number };
}

/**
 * Istio-shaped telemetry out of a run: told what happens by the engine
 * (`RunTelemetry`, no events built), it
 * writes metrics, access logs and spans as requests complete, holding only
 * cumulative series and the requests in flight — memory does not grow with
 * the run. Call `finish(now)` when the run ends.
 */
export class TelemetryOutputs implements RunTelemetry {
  private readonly recorder: RequestRecorder;
  /** The mesh's own metrics: Istio's standard metrics, or under `flavor: linkerd` what linkerd-proxy emits. */
  private readonly istio: IstioMetrics | LinkerdMetrics | undefined;
  private readonly envoy: EnvoyClusterStats | undefined;
  private readonly families: MetricFamily[];
  private readonly clock: WallClock;
  /** The next scrape's instant (never, without a metrics file). */
  private nextScrape: Micros;
  private lastScrape: string | undefined;

  private readonly peers: PeerIndex;
  /** The access log's and the spans' lines on their way to their sinks, handed over in chunks (the rest when the run ends). */
  private readonly chunks: Array<{ flush(): void }>;

  constructor(private readonly o: TelemetryOutputOptions) {
    this.nextScrape = o.metricsFile ? 0 : Infinity;
    const peers = (this.peers = new PeerIndex(o.scenario, o.xds));
    this.clock = new WallClock(o.startMs);
    const metrics = o.metricsFile !== undefined || o.liveMetrics === true;
    const linkerd = o.scenario.simulation.flavor === 'linkerd';
    this.istio = metrics ? (linkerd ? new LinkerdMetrics(peers, o.scenario) : new IstioMetrics(peers)) : undefined;
    // Envoy's cluster stats come from Envoy: a Linkerd mesh has none.
    this.envoy = metrics && !linkerd ? new EnvoyClusterStats(o.xds) : undefined;
    // Under ambient, ztunnels' TCP metrics (a mesh without ztunnels has none, and writes none).
    const ztunnels = Object.values(o.xds.proxies).some((p) => p.dataPlane === 'ztunnel');
    const ztunnel = metrics && ztunnels ? new ZtunnelMetrics(peers) : undefined;
    this.families = [...(this.istio?.families ?? []), ...(ztunnel?.families ?? []), ...(this.envoy?.families ?? [])];
    const logOut = o.accessLog ? new ByteChunks(o.accessLog.writeBytes ?? textSinkAsBytes(o.accessLog.write)) : undefined;
    const tracesOut = o.traces ? new TextChunks(o.traces.write) : undefined;
    this.chunks = [logOut, tracesOut].filter((c) => c !== undefined);
    // ztunnels write their own lines (ztunnel's format) into the same log.
    const ztunnelLog = o.accessLog && logOut && ztunnels ? new ZtunnelAccessLog(logOut, o.accessLog.format, this.clock, peers) : undefined;
    // Under Linkerd, linkerd-proxy's own log, from the pods annotated for it (`format` is Envoy's and does not apply).
    const log = o.accessLog && logOut ? (linkerd ? new LinkerdAccessLogWriter(logOut, this.clock, peers, o.scenario) : new AccessLogWriter(logOut, o.accessLog.format, this.clock, peers, (pod, side) => peers.get(pod)?.policy.accessLog[side] ?? true)) : undefined;

    const traces = tracesOut ? new OtlpTraceWriter(tracesOut, this.clock, peers, o.scenario.mesh.trustDomain) : undefined;
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
        ...(ztunnel || ztunnelLog ? { connection: (c: ConnectionRecord) => (ztunnel?.connection(c), ztunnelLog?.connection(c)) } : {}),
      },
      (traceparent, pod) => sampledTraceparent(traceparent, peers.get(pod)?.policy.tracingSampling ?? meshSampling),
      metrics || ztunnelLog !== undefined,
    );
  }

  requestStarted(t: Micros, req: TelemetryRequest): void {
    if (t > this.nextScrape) this.scrapeUntil(t);
    this.recorder.requestStarted(req);
  }

  traceStarted(t: Micros, requestId: number, pod: string, traceparent: string): void {
    if (t > this.nextScrape) this.scrapeUntil(t);
    this.recorder.traceStarted(requestId, pod, traceparent);
  }

  attemptPicked(t: Micros, requestId: number, n: number, endpoint: string): void {
    if (t > this.nextScrape) this.scrapeUntil(t);
    this.recorder.attemptPicked(t, requestId, n, endpoint);
  }

  attemptSent(t: Micros, requestId: number, n: number, mtls: boolean): void {
    if (t > this.nextScrape) this.scrapeUntil(t);
    this.recorder.attemptSent(t, requestId, n, mtls);
  }

  attemptEnded(t: Micros, requestId: number, n: number, status: number, flags: readonly ResponseFlag[]): void {
    if (t > this.nextScrape) this.scrapeUntil(t);
    this.recorder.attemptEnded(t, requestId, n, status, flags);
  }

  denied(requestId: number, n: number, deniedBy?: string): void {
    this.recorder.denied(requestId, n, deniedBy);
  }

  inboundCompleted(t: Micros, req: TelemetryRequest, server: TelemetryServer, status: number): void {
    if (t > this.nextScrape) this.scrapeUntil(t);
    this.recorder.inboundCompleted(t, req, server, status);
  }

  requestEnded(t: Micros, req: TelemetryRequest, status: number, flags: readonly ResponseFlag[]): void {
    if (t > this.nextScrape) this.scrapeUntil(t);
    this.recorder.requestEnded(t, req, status, flags);
  }

  retried(t: Micros, cluster: string): void {
    if (t > this.nextScrape) this.scrapeUntil(t);
    this.envoy?.retried(cluster);
  }

  retryOverflowed(t: Micros, cluster: string): void {
    if (t > this.nextScrape) this.scrapeUntil(t);
    this.envoy?.retryOverflowed(cluster);
  }

  poolOverflowed(t: Micros, cluster: string, limit: 'maxConnections' | 'maxPendingRequests' | 'maxRequests' | 'maxRetries'): void {
    if (t > this.nextScrape) this.scrapeUntil(t);
    this.envoy?.poolOverflowed(cluster, limit);
  }

  ejected(t: Micros, cluster: string): void {
    if (t > this.nextScrape) this.scrapeUntil(t);
    this.envoy?.ejected(cluster);
  }

  unejected(t: Micros, cluster: string): void {
    if (t > this.nextScrape) this.scrapeUntil(t);
    this.envoy?.unejected(cluster);
  }

  /** Telemetry resources changed by a push take effect from now on, for every output. */
  configPushed(t: Micros, xds: MeshXds): void {
    if (t > this.nextScrape) this.scrapeUntil(t);
    this.peers.update(xds);
    this.istio?.configChanged();
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

/** `sampled` on the trace id inside a W3C `traceparent` (`00-<trace id>-<span id>-<flags>`), read in place. */
function sampledTraceparent(traceparent: string, percent: number): boolean {
  if (percent >= 100) return true;
  if (percent <= 0) return false;
  // The trace id's last 8 hex digits: characters 27 to 34.
  let v = 0;
  for (let i = 27; i < 35; i++) {
    const c = traceparent.charCodeAt(i);
    v = v * 16 + (c <= 57 ? c - 48 : (c | 32) - 87);
  }
  return v % 10_000 < Math.round(percent * 100);
}
