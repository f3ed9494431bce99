import type { MeshXds, Micros, ResponseFlag, RunTelemetry, Scenario, TelemetryRequest, TelemetryServer } from '../model/index.ts';
import type { AccessLogFormat } from './accessLog/AccessLogWriter.ts';
import type { ByteSink } from './ByteChunks.ts';
import { PeerIndex } from './PeerIndex.ts';
import { RequestRecorder } from './RequestRecorder.ts';
import type { PoolLimit, TelemetryPlan, TextSink } from './TelemetryPlan.ts';
import { NEVER, plansConnections, plansSizes } from './TelemetryPlan.ts';
import { TelemetryWriters } from './TelemetryWriters.ts';
import type { TelemetrySinks } from './TelemetryWriters.ts';

export interface TelemetryOutputOptions {
  scenario: Scenario;
  xds: MeshXds;
  /** The wall-clock instant of simulated time 0, ms since the Unix epoch. */
  startMs: number;
  /** OpenMetrics with a timestamped scrape every `scrapeInterval`, ending `# EOF`. */
  metricsFile?: { write?: TextSink; scrapeInterval: Micros };
  /** Keep the metrics for `prometheusText()` (a live `/metrics`) even without a file. */
  liveMetrics?: boolean;
  /**
   * Envoy access-log lines: every sidecar logs unless a Telemetry resource turns it off (`meshConfig.accessLogFile` set).
   * Under `flavor: linkerd`, linkerd-proxy's log instead: the pods annotated `config.linkerd.io/access-log`, each in its annotation's format.
   */
  accessLog?: { write?: TextSink; format: AccessLogFormat; /** The same lines as UTF-8, for a sink that takes bytes (a file): used instead of `write` when given. */ writeBytes?: ByteSink };
  /** OTLP/JSON spans; `samplingPercent` is the mesh default (`meshConfig.defaultConfig.tracing.sampling`), a Telemetry's percentage wins. */
  traces?: { write?: TextSink; samplingPercent: number };
  /**
   * Outputs made elsewhere (a thread of their own): the run's calls go to
   * what this returns for the plan (`CallEncoder`, carrying them to a
   * `TelemetryOutputs` there, which writes to sinks of its own: the
   * `write`s above are then left out). Without it the outputs are made here.
   */
  remote?: (plan: TelemetryPlan) => RunOutputs;
}

/** A run's telemetry as the run sees it: told what happens, then of its end; the live metrics where they are kept here. */
export interface RunOutputs extends RunTelemetry {
  /** The run ended at `now`: the access log's and the spans' last lines, the last scrape (at or after `now`) and `# EOF`. */
  finish(now: Micros): void;
  /** The current metrics in Prometheus text format 0.0.4 (a live `/metrics`); empty when the outputs are made elsewhere. */
  prometheusText(): string;
}

/** The outputs `o` asks for: made in this thread, or (`remote`) elsewhere. */
export function openTelemetry(o: TelemetryOutputOptions): RunOutputs {
  const plan = planOf(o);
  return o.remote ? o.remote(plan) : new TelemetryOutputs(plan, { metrics: o.metricsFile?.write, accessLog: o.accessLog?.write, accessLogBytes: o.accessLog?.writeBytes, traces: o.traces?.write });
}

/**
 * Istio-shaped telemetry out of a run: told what happens by the engine
 * (`RunTelemetry`, no events built), it makes one record per request and
 * attempt (`RequestRecorder`) and hands them to the writers
 * (`TelemetryWriters`: metrics, access logs, spans), which write as
 * requests complete, holding only cumulative series and the requests in
 * flight — memory does not grow with the run. Call `finish(now)` when the
 * run ends.
 */
export class TelemetryOutputs implements RunOutputs {
  private readonly recorder: RequestRecorder;
  private readonly writers: TelemetryWriters;
  /** Peers for the sampling decision of the sidecar that starts a trace (its Telemetry's percentage). */
  private readonly peers: PeerIndex;
  /** Whether Envoy's cluster stats are kept (metrics asked for, not under Linkerd). */
  private readonly clusterStats: boolean;
  /** The next scrape's instant (never, without a metrics file), kept as the writers keep theirs. */
  private nextScrape: Micros;
  private readonly scrapeInterval: Micros;

  /** The outputs of `plan`, written to `sinks` (one for each output the plan has). */
  constructor(plan: TelemetryPlan, sinks: TelemetrySinks) {
    const port = (this.writers = new TelemetryWriters(plan, sinks));
    this.scrapeInterval = plan.scrapeInterval ?? NEVER;
    this.nextScrape = plan.scrapeInterval !== undefined ? 0 : NEVER;
    this.clusterStats = (plan.scrapeInterval !== undefined || plan.liveMetrics === true) && plan.scenario.simulation.flavor !== 'linkerd';
    const peers = (this.peers = new PeerIndex(plan.scenario, plan.xds));
    const meshSampling = plan.traceSampling ?? 0;
    this.recorder = new RequestRecorder(
      plansConnections(plan) ? port : { client: (r) => port.client(r), server: (r) => port.server(r) },
      (traceparent, pod) => sampledTraceparent(traceparent, peers.get(pod)?.policy.tracingSampling ?? meshSampling),
      plansSizes(plan),
      // Linkerd's proxies detect the protocol per connection and report HTTP alike; Envoy's listener decides (by the port's protocol).
      plan.scenario.simulation.flavor === 'linkerd' || !peers.hasTcpPorts ? undefined : peers,
    );
  }

  requestStarted(t: Micros, req: TelemetryRequest): void {
    this.at(t);
    this.recorder.requestStarted(req);
  }

  traceStarted(t: Micros, requestId: number, pod: string, traceparent: string): void {
    this.at(t);
    this.recorder.traceStarted(requestId, pod, traceparent);
  }

  attemptPicked(t: Micros, requestId: number, n: number, endpoint: string): void {
    this.at(t);
    this.recorder.attemptPicked(t, requestId, n, endpoint);
  }

  attemptSent(t: Micros, requestId: number, n: number, mtls: boolean): void {
    this.at(t);
    this.recorder.attemptSent(t, requestId, n, mtls);
  }

  attemptEnded(t: Micros, requestId: number, n: number, status: number, flags: readonly ResponseFlag[]): void {
    this.at(t);
    this.recorder.attemptEnded(t, requestId, n, status, flags);
  }

  denied(req: TelemetryRequest, n: number, deniedBy?: string): void {
    this.recorder.denied(req.id, n, deniedBy);
  }

  inboundCompleted(t: Micros, req: TelemetryRequest, server: TelemetryServer, status: number): void {
    this.at(t);
    this.recorder.inboundCompleted(t, req, server, status);
  }

  requestEnded(t: Micros, req: TelemetryRequest, status: number, flags: readonly ResponseFlag[]): void {
    this.at(t);
    this.recorder.requestEnded(t, req, status, flags);
  }

  retried(t: Micros, cluster: string): void {
    this.at(t);
    if (this.clusterStats) this.writers.retried(cluster);
  }

  retryOverflowed(t: Micros, cluster: string): void {
    this.at(t);
    if (this.clusterStats) this.writers.retryOverflowed(cluster);
  }

  poolOverflowed(t: Micros, cluster: string, limit: PoolLimit): void {
    this.at(t);
    if (this.clusterStats) this.writers.poolOverflowed(cluster, limit);
  }

  ejected(t: Micros, cluster: string): void {
    this.at(t);
    if (this.clusterStats) this.writers.ejected(cluster);
  }

  unejected(t: Micros, cluster: string): void {
    this.at(t);
    if (this.clusterStats) this.writers.unejected(cluster);
  }

  /** Telemetry resources changed by a push take effect from now on, for every output. */
  configPushed(t: Micros, xds: MeshXds): void {
    this.at(t);
    this.peers.update(xds);
    this.writers.configPushed(xds);
  }

  prometheusText(): string {
    return this.writers.prometheusText();
  }

  finish(now: Micros): void {
    this.writers.finish(now);
  }

  /**
   * Every call first brings the clock to its time: the scrapes due before it
   * are written first. One place for that check, not one per call: the first
   * scrape (at 0) gives this one call of `scrapeUntil` its type feedback, so
   * each call compiled later has it too (a copy per call would meet its first
   * scrape only after it was compiled, and be thrown away and compiled again).
   */
  private at(t: Micros): void {
    if (t > this.nextScrape) this.scrapeUntil(t);
  }

  /** Tells the writers of every scrape due before `t`. */
  private scrapeUntil(t: Micros): void {
    this.writers.scrapeUntil(t);
    while (t > this.nextScrape) this.nextScrape += this.scrapeInterval;
  }
}

/** The plan of the outputs `o` asks for: what crosses to outputs made elsewhere. */
function planOf(o: TelemetryOutputOptions): TelemetryPlan {
  return {
    scenario: o.scenario,
    xds: o.xds,
    startMs: o.startMs,
    ...(o.metricsFile ? { scrapeInterval: o.metricsFile.scrapeInterval } : {}),
    ...(o.liveMetrics ? { liveMetrics: true } : {}),
    ...(o.accessLog ? { accessLogFormat: o.accessLog.format } : {}),
    ...(o.traces ? { traceSampling: o.traces.samplingPercent } : {}),
  };
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
