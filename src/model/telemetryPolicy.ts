/**
 * What Istio's `Telemetry` resources (telemetry.istio.io) say about one
 * sidecar, compiled by `istio/compile/compileTelemetry.ts` and read by
 * `telemetry/`: which standard metrics it reports and with which tags,
 * whether it writes access-log lines, and what share of new traces it
 * samples. `undefined` means no Telemetry resource decided it (the mesh
 * default applies).
 */
export interface TelemetryPolicy {
  metrics: { client: MetricsPolicy; server: MetricsPolicy };
  accessLog: { client: boolean | undefined; server: boolean | undefined };
  /** `randomSamplingPercentage` (0–100) of the most specific Telemetry that sets it. */
  tracingSampling: number | undefined;
  /** `tracing[].disableSpanReporting`: the sidecar's spans are not reported. */
  spansDisabled: boolean;
}

/** Istio's standard HTTP and TCP metrics, by the names Telemetry's `match.metric` uses. */
export const ISTIO_METRICS = ['REQUEST_COUNT', 'REQUEST_DURATION', 'REQUEST_SIZE', 'RESPONSE_SIZE', 'TCP_OPENED_CONNECTIONS', 'TCP_CLOSED_CONNECTIONS', 'TCP_RECEIVED_BYTES', 'TCP_SENT_BYTES'] as const;
export type IstioMetric = (typeof ISTIO_METRICS)[number];

/** A tag value Telemetry's `tagOverrides[].value` can set that meshviz evaluates. */
export type TagValue =
  | { kind: 'literal'; value: string }
  | { kind: 'request'; field: 'host' | 'method' | 'path' | 'url_path' | 'scheme' | 'protocol' }
  | { kind: 'header'; name: string };

export type TagOverride = { op: 'remove'; tag: string } | { op: 'upsert'; tag: string; value: TagValue };

export interface MetricsPolicy {
  disabled: IstioMetric[];
  /** Per metric, the tag changes in the order they apply. */
  tags: Record<IstioMetric, TagOverride[]>;
}

/** Nothing decided: every metric on with Istio's tags, access logs and sampling as the mesh says. */
export function defaultTelemetryPolicy(): TelemetryPolicy {
  const metrics = (): MetricsPolicy => ({ disabled: [], tags: { REQUEST_COUNT: [], REQUEST_DURATION: [], REQUEST_SIZE: [], RESPONSE_SIZE: [], TCP_OPENED_CONNECTIONS: [], TCP_CLOSED_CONNECTIONS: [], TCP_RECEIVED_BYTES: [], TCP_SENT_BYTES: [] } });
  return { metrics: { client: metrics(), server: metrics() }, accessLog: { client: undefined, server: undefined }, tracingSampling: undefined, spansDisabled: false };
}
