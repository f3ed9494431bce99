import type { Peer, PeerIndex } from '../PeerIndex.ts';
import type { AttemptRecord, ClientRecord, ServerRecord } from '../RequestRecorder.ts';
import { authorityOf } from '../requestValue.ts';
import { requestIdOf, spanIdOf, spanIdOfRef } from '../spanIds.ts';
import type { WallClock } from '../wallClock.ts';

/** OTLP `Span.SpanKind` (opentelemetry-proto trace/v1/trace.proto). */
export const SPAN_KIND_SERVER = 2;
export const SPAN_KIND_CLIENT = 3;
/** OTLP `Status.StatusCode`: ERROR. */
const STATUS_CODE_ERROR = 2;

type AnyValue = { stringValue: string } | { intValue: string } | { boolValue: boolean };
interface KeyValue {
  key: string;
  value: AnyValue;
}

/**
 * Spans as the sidecars report them, written as OTLP/JSON: one
 * `ExportTraceServiceRequest` per line (the OpenTelemetry collector's file
 * format), in the protobuf JSON mapping (opentelemetry-proto
 * `docs/specification.md` "JSON Protobuf Encoding": ids as hex, enums as
 * numbers, 64-bit integers as decimal strings, camelCase field names).
 *
 * Each sidecar's HTTP connection manager reports one span per request
 * (mesh-semantics §9): the caller's a client span, the callee's a server
 * span. Envoy's router adds an upstream span per try (`spawn_upstream_span`,
 * which Istio turns on for gateways): meshviz writes them for every sidecar,
 * so retries show as separate attempt spans with the back-off between them.
 * Names are Istio's route decorator (`<host>:<port>/*`, Istio src
 * pilot/pkg/networking/core/route/route.go `getRouteOperation`) and Envoy's
 * `router <cluster> egress` for a try. Tags are Envoy's (`http.status_code`,
 * `response_flags`, `upstream_cluster`, …, all strings as Envoy sets them)
 * and Istio's (`istio.canonical_service`, `istio.mesh_id`, …).
 */
export class OtlpTraceWriter {
  constructor(
    private readonly write: (text: string) => void,
    private readonly clock: WallClock,
    private readonly peers: PeerIndex,
    private readonly meshId: string,
  ) {}

  client(r: ClientRecord): void {
    const caller = this.peers.get(r.fromPod);
    if (!r.sampled || !caller || caller.policy.spansDisabled) return;
    const requestSpan = spanIdOf(r.requestId, 0, 'client');
    const error = r.status === 0 || r.status >= 500;
    const spans = [
      this.span(r.traceId, requestSpan, parentOf(r.parentSpan), `${r.host}:${r.port}/*`, SPAN_KIND_CLIENT, r.start, r.end, error, [
        ...this.httpTags(r, r.status, r.flags.length === 0 ? '-' : r.flags.join(','), caller),
        str('upstream_cluster', r.cluster ?? '-'),
        str('upstream_cluster.name', r.cluster ?? '-'),
      ]),
      ...r.attempts.map((a) => this.attemptSpan(r, a, requestSpan, caller)),
    ];
    this.export(caller, spans);
  }

  server(r: ServerRecord): void {
    const callee = this.peers.get(r.pod);
    if (!r.sampled || !callee || callee.policy.spansDisabled) return;
    const error = r.status === 0 || r.status >= 500;
    const span = this.span(r.traceId, spanIdOf(r.requestId, r.attempt, 'server'), parentOf(r.parentSpan), `${r.host}:${r.port}/*`, SPAN_KIND_SERVER, r.start, r.end, error, [
      ...this.httpTags(r, r.status, '-', callee),
      str('upstream_cluster', `inbound|${r.port}||`),
      str('peer.address', this.peers.get(r.fromPod)?.pod.ip ?? '-'),
    ]);
    this.export(callee, [span]);
  }

  private attemptSpan(r: ClientRecord, a: AttemptRecord, parent: string, caller: Peer): object {
    const end = a.end ?? r.end;
    const tags = [
      ...this.httpTags(r, a.status, a.flags.length === 0 ? '-' : a.flags.join(','), caller),
      str('upstream_cluster', r.cluster ?? '-'),
      str('upstream_address', this.peers.get(a.endpoint)?.pod.ip ?? '-'),
    ];
    // OpenTelemetry's HTTP semantic conventions: the ordinal of a resent request, on every try after the first.
    if (a.n > 1) tags.push({ key: 'http.request.resend_count', value: { intValue: String(a.n - 1) } });
    return this.span(r.traceId, spanIdOf(r.requestId, a.n, 'client'), parent, `router ${r.cluster ?? '-'} egress`, SPAN_KIND_CLIENT, a.start, end, a.status === 0 || a.status >= 500, tags);
  }

  private httpTags(r: ClientRecord | ServerRecord, status: number, flags: string, peer: Peer): KeyValue[] {
    const authority = authorityOf(r);
    return [
      str('node_id', `sidecar~${peer.pod.ip}~${peer.pod.name}.${peer.namespace}~${peer.namespace}.svc.cluster.local`),
      str('zone', ''),
      str('guid:x-request-id', r.headers['x-request-id'] ?? requestIdOf(r.traceId)),
      str('http.url', `http://${authority}${r.path}`),
      str('http.method', r.method),
      str('downstream_cluster', '-'),
      str('user_agent', r.headers['user-agent'] ?? '-'),
      str('http.protocol', 'HTTP/1.1'),
      str('request_size', '0'),
      str('response_size', '0'),
      str('http.status_code', String(status)),
      str('response_flags', flags),
      str('component', 'proxy'),
      str('istio.canonical_revision', peer.canonicalRevision),
      str('istio.canonical_service', peer.canonicalService),
      str('istio.mesh_id', this.meshId),
      str('istio.namespace', peer.namespace),
    ];
  }

  private span(traceId: string, spanId: string, parent: string | undefined, name: string, kind: number, start: number, end: number, error: boolean, attributes: KeyValue[]): object {
    if (error) attributes.push({ key: 'error', value: { stringValue: 'true' } });
    return {
      traceId,
      spanId,
      ...(parent ? { parentSpanId: parent } : {}),
      name,
      kind,
      startTimeUnixNano: this.clock.nanos(start),
      endTimeUnixNano: this.clock.nanos(end),
      attributes,
      status: error ? { code: STATUS_CODE_ERROR } : {},
    };
  }

  private export(peer: Peer, spans: object[]): void {
    const resource = {
      attributes: [
        // Istio's default service name for a sidecar's spans: `<canonical service>.<namespace>`.
        str('service.name', `${peer.canonicalService}.${peer.namespace}`),
        str('k8s.pod.name', peer.pod.name),
        str('k8s.namespace.name', peer.namespace),
      ],
    };
    this.write(`${JSON.stringify({ resourceSpans: [{ resource, scopeSpans: [{ scope: { name: 'envoy' }, spans }] }] })}\n`);
  }
}

function parentOf(ref: number): string | undefined {
  return ref < 0 ? undefined : spanIdOfRef(ref);
}

function str(key: string, value: string): KeyValue {
  return { key, value: { stringValue: value } };
}
