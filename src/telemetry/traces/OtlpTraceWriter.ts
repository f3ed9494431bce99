import type { Peer, PeerIndex } from '../PeerIndex.ts';
import type { TextChunks } from '../TextChunks.ts';
import type { AttemptRecord, ClientRecord, ServerRecord } from '../records.ts';
import { authorityOf } from '../requestValue.ts';
import { requestIdOf, spanIdOf, spanIdOfRef, traceIdOf } from '../spanIds.ts';
import type { WallClock } from '../wallClock.ts';

/** OTLP `Span.SpanKind` (opentelemetry-proto trace/v1/trace.proto). */
export const SPAN_KIND_SERVER = 2;
export const SPAN_KIND_CLIENT = 3;
/** OTLP `Status.StatusCode`: ERROR. */
const STATUS_CODE_ERROR = 2;

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
  /** Per sidecar, what every span it reports says the same: the export's head, the tags before and after the request's own. */
  private readonly fixed = new Map<Peer, { head: string; before: string; after: string }>();

  constructor(
    private readonly out: TextChunks,
    private readonly clock: WallClock,
    private readonly peers: PeerIndex,
    private readonly meshId: string,
  ) {}

  client(r: ClientRecord): void {
    // A TCP proxy parses no HTTP and traces nothing. Most requests are not sampled: they are let go before any lookup.
    if (!r.sampled || r.tcp) return;
    // Under ambient the waypoint that routed the request makes its client spans.
    const caller = this.peers.get(r.waypoint ?? r.fromPod);
    if (!caller || caller.policy.spansDisabled) return;
    const requestSpan = spanIdOf(r.requestId, 0, 'client');
    const error = r.status === 0 || r.status >= 500;
    const cluster = json(r.cluster ?? '-');
    let spans = this.span(traceIdOf(r.trace), requestSpan, parentOf(r.parentSpan), `${r.host}:${r.port}/*`, SPAN_KIND_CLIENT, r.start, r.end, error, `${this.httpTags(r, r.status, flagText(r.flags), caller)},${str('upstream_cluster', cluster)},${str('upstream_cluster.name', cluster)}`);
    for (const a of r.attempts) spans += `,${this.attemptSpan(r, a, requestSpan, caller, cluster)}`;
    this.export(caller, spans);
  }

  server(r: ServerRecord): void {
    if (!r.sampled || r.tcp) return;
    const callee = this.peers.get(r.pod);
    if (!callee || callee.policy.spansDisabled) return;
    const error = r.status === 0 || r.status >= 500;
    const tags = `${this.httpTags(r, r.status, '-', callee)},${str('upstream_cluster', json(`inbound|${r.port}||`))},${str('peer.address', json(this.peers.get(r.fromPod)?.pod.ip ?? '-'))}`;
    this.export(callee, this.span(traceIdOf(r.trace), spanIdOf(r.requestId, r.attempt, 'server'), parentOf(r.parentSpan), `${r.host}:${r.port}/*`, SPAN_KIND_SERVER, r.start, r.end, error, tags));
  }

  private attemptSpan(r: ClientRecord, a: AttemptRecord, parent: string, caller: Peer, cluster: string): string {
    const end = a.end ?? r.end;
    let tags = `${this.httpTags(r, a.status, flagText(a.flags), caller)},${str('upstream_cluster', cluster)},${str('upstream_address', json(this.peers.get(a.endpoint)?.pod.ip ?? '-'))}`;
    // OpenTelemetry's HTTP semantic conventions: the ordinal of a resent request, on every try after the first.
    if (a.n > 1) tags += `,{"key":"http.request.resend_count","value":{"intValue":"${a.n - 1}"}}`;
    return this.span(traceIdOf(r.trace), spanIdOf(r.requestId, a.n, 'client'), parent, `router ${r.cluster ?? '-'} egress`, SPAN_KIND_CLIENT, a.start, end, a.status === 0 || a.status >= 500, tags);
  }

  /** Envoy's and Istio's tags, as JSON `KeyValue`s joined by commas. */
  private httpTags(r: ClientRecord | ServerRecord, status: number, flags: string, peer: Peer): string {
    const fixed = this.fixedOf(peer);
    const authority = authorityOf(r);
    return (
      `${fixed.before},${str('guid:x-request-id', json(r.headers['x-request-id'] ?? requestIdOf(traceIdOf(r.trace))))},${str('http.url', json(`http://${authority}${r.path}`))},` +
      `${str('http.method', json(r.method))},${DOWNSTREAM_CLUSTER},${str('user_agent', json(r.headers['user-agent'] ?? '-'))},${SIZES},` +
      `${str('http.status_code', `"${status}"`)},${str('response_flags', json(flags))},${fixed.after}`
    );
  }

  private span(traceId: string, spanId: string, parent: string | undefined, name: string, kind: number, start: number, end: number, error: boolean, attributes: string): string {
    return (
      `{"traceId":"${traceId}","spanId":"${spanId}",${parent ? `"parentSpanId":"${parent}",` : ''}"name":${json(name)},"kind":${kind},` +
      `"startTimeUnixNano":"${this.clock.nanos(start)}","endTimeUnixNano":"${this.clock.nanos(end)}",` +
      `"attributes":[${attributes}${error ? ',{"key":"error","value":{"stringValue":"true"}}' : ''}],"status":${error ? `{"code":${STATUS_CODE_ERROR}}` : '{}'}}`
    );
  }

  private export(peer: Peer, spans: string): void {
    this.out.add(`${this.fixedOf(peer).head}${spans}]}]}]}\n`);
  }

  private fixedOf(peer: Peer): { head: string; before: string; after: string } {
    let fixed = this.fixed.get(peer);
    if (!fixed) {
      const ns = peer.namespace;
      // Istio's default service name for a sidecar's spans: `<canonical service>.<namespace>`.
      const resource = [str('service.name', json(`${peer.canonicalService}.${ns}`)), str('k8s.pod.name', json(peer.pod.name)), str('k8s.namespace.name', json(ns))].join(',');
      fixed = {
        head: `{"resourceSpans":[{"resource":{"attributes":[${resource}]},"scopeSpans":[{"scope":{"name":"envoy"},"spans":[`,
        // Istio's node types: `sidecar`, `waypoint` (Istio src pkg/model/proxy.go, NodeType).
        before: `${str('node_id', json(`${peer.waypoint ? 'waypoint' : 'sidecar'}~${peer.pod.ip}~${peer.pod.name}.${ns}~${ns}.svc.cluster.local`))},${str('zone', '""')}`,
        after: [
          str('component', '"proxy"'),
          str('istio.canonical_revision', json(peer.canonicalRevision)),
          str('istio.canonical_service', json(peer.canonicalService)),
          str('istio.mesh_id', json(this.meshId)),
          str('istio.namespace', json(ns)),
        ].join(','),
      };
      this.fixed.set(peer, fixed);
    }
    return fixed;
  }
}

const DOWNSTREAM_CLUSTER = '{"key":"downstream_cluster","value":{"stringValue":"-"}}';
const SIZES = '{"key":"http.protocol","value":{"stringValue":"HTTP/1.1"}},{"key":"request_size","value":{"stringValue":"0"}},{"key":"response_size","value":{"stringValue":"0"}}';

function parentOf(ref: number): string | undefined {
  return ref < 0 ? undefined : spanIdOfRef(ref);
}

/** A string `KeyValue`; `value` is already JSON (a quoted string). */
function str(key: string, value: string): string {
  return `{"key":"${key}","value":{"stringValue":${value}}}`;
}

/** A string as JSON text. */
function json(s: string): string {
  return JSON.stringify(s);
}

function flagText(flags: readonly string[]): string {
  return flags.length === 0 ? '-' : flags.length === 1 ? (flags[0] as string) : flags.join(',');
}
