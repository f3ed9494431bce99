import type { ProxyError, ResponseFlag } from './events.ts';
import type { Micros } from './units.ts';
import type { DataPlaneXds, MeshXds, RouteXds } from './xds.ts';

/**
 * A request as the telemetry outputs read it when it starts and ends: the
 * engine hands its own request record (read only, nothing is copied or
 * built for the call).
 */
export interface TelemetryRequest {
  readonly id: number;
  readonly origin: { readonly kind: 'traffic' | 'app' | 'mirror'; readonly parentId?: number };
  /** The calling pod, or the traffic client's name. */
  readonly from: string;
  readonly fromWorkload: string;
  readonly viaSidecar: boolean;
  readonly host: string;
  readonly port: number;
  readonly head: { readonly method: string; readonly path: string; readonly headers: Readonly<Record<string, string>> };
  readonly startedAt: Micros;
  /** The route the caller's sidecar matched, once it has (the outputs read its name, where it came from, and the clusters it routes to). */
  readonly route?: Pick<RouteXds, 'name' | 'origin' | 'action'> | undefined;
  /** The cluster it was routed to, once it has been. */
  readonly cluster?: string | undefined;
  /** Its answer once decided: under Linkerd, with the proxy's own word for a failure it made (FAIL_FAST, …). */
  readonly result?: { readonly error?: ProxyError | undefined } | undefined;
  /** Its client proxy's config (under ambient the caller's ztunnel, or the waypoint that took the request over). */
  readonly sidecar?: TelemetryProxy | undefined;
  /** The calling pod's own proxy (under ambient its node's ztunnel, which counts the connection even when a waypoint routes the request). */
  readonly caller?: { readonly proxy?: TelemetryProxy | undefined } | undefined;
}

/** A proxy as telemetry tells them apart: by its data plane (absent: Envoy), and its key in `MeshXds.proxies` (a pod, or `waypoint/<ns>/<name>`). */
export interface TelemetryProxy {
  readonly pod: string;
  readonly xds: { readonly dataPlane?: DataPlaneXds | undefined };
}

/** One attempt as the callee's sidecar served it: the engine's server record, read only. */
export interface TelemetryServer {
  readonly pod: string;
  readonly attempt: number;
  readonly arrivedAt: Micros;
  readonly mtls: boolean;
  readonly sourcePrincipal?: string | undefined;
  readonly destinationPrincipal?: string | undefined;
  /** The callee's proxy: its sidecar, or under ambient its node's ztunnel. */
  readonly sidecar?: TelemetryProxy | undefined;
}

/**
 * What a run's telemetry outputs (Istio's metrics, Envoy's cluster stats,
 * access logs, spans) are told instead of reading events: the engine calls
 * these, when a run has them, at the points where it would emit
 * `request.start`, `trace.start`, `lb.pick`, `hop.send` (request),
 * `lb.noHealthy` / `pool.overflow` / `attempt.result`, `authz.deny`,
 * `inbound.complete`, `request.end`, `retry.backoff`, `retry.overflow`,
 * `outlier.eject` / `outlier.uneject` and `config.push`, with the same
 * values and the time `t`. Nothing is built for a call: numbers, the
 * strings the engine already holds, and its own records read only.
 */
export interface RunTelemetry {
  /** A request leaves its caller (its `traceparent`, if it carries one, is in its headers now). */
  requestStarted(t: Micros, req: TelemetryRequest): void;
  /** The first sidecar the request met (`pod`) started trace `traceparent`. */
  traceStarted(t: Micros, requestId: number, pod: string, traceparent: string): void;
  /** Attempt `n` was given endpoint pod `endpoint`. */
  attemptPicked(t: Micros, requestId: number, n: number, endpoint: string): void;
  /** Attempt `n` went on the wire (under mTLS or not). */
  attemptSent(t: Micros, requestId: number, n: number, mtls: boolean): void;
  /** Attempt `n` ended at the caller's sidecar: answered, reset, timed out, or refused before it left (UH, UO). */
  attemptEnded(t: Micros, requestId: number, n: number, status: number, flags: readonly ResponseFlag[]): void;
  /** The callee's sidecar refused attempt `n` of `req` (AuthorizationPolicy). */
  denied(req: TelemetryRequest, n: number, deniedBy?: string): void;
  /** The callee's sidecar sent its answer to attempt `server.attempt` back. */
  inboundCompleted(t: Micros, req: TelemetryRequest, server: TelemetryServer, status: number): void;
  /** The answer reached the caller. */
  requestEnded(t: Micros, req: TelemetryRequest, status: number, flags: readonly ResponseFlag[]): void;
  /** A retry was granted toward `cluster`. */
  retried(t: Micros, cluster: string): void;
  retryOverflowed(t: Micros, cluster: string): void;
  poolOverflowed(t: Micros, cluster: string, limit: 'maxConnections' | 'maxPendingRequests' | 'maxRequests' | 'maxRetries'): void;
  ejected(t: Micros, cluster: string): void;
  unejected(t: Micros, cluster: string): void;
  /** A config push reached the proxies (it may bring other Telemetry resources). */
  configPushed(t: Micros, xds: MeshXds): void;
}
