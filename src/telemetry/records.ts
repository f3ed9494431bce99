import type { Micros, ProxyError, ResponseFlag, RouteOrigin } from '../model/index.ts';
import type { ConnectionRecord } from './ConnectionRecord.ts';

/*
 * The records a sidecar's side of a request makes (`RequestRecorder` fills
 * them; the writers read them), and what reads them (`RecordListener`).
 */

/** One try of a request at the caller's sidecar (Envoy's upstream request). */
export interface AttemptRecord {
  n: number;
  start: Micros;
  /** When its answer (or reset, or per-try timeout) reached the caller's sidecar; undefined when the request ended first. */
  end: Micros | undefined;
  /** Undefined when no endpoint was picked (UH) or the pool refused it (UO). */
  endpoint: string | undefined;
  status: number;
  flags: readonly ResponseFlag[];
  mtls: boolean;
}

/**
 * A request as the caller's sidecar saw it, complete: what Istio's
 * source-reporter metrics, the outbound access-log line and the client span
 * are made of. Sidecar-less callers have no record (nothing reports); under
 * ambient the waypoint that routed the request makes it (`waypoint`), and a
 * caller's ztunnel makes none.
 */
export interface ClientRecord {
  requestId: number;
  /** The waypoint's key (`waypoint/<ns>/<name>`) when a waypoint was the client proxy, else undefined. */
  waypoint: string | undefined;
  start: Micros;
  end: Micros;
  fromPod: string;
  host: string;
  port: number;
  method: string;
  path: string;
  headers: Readonly<Record<string, string>>;
  /** The W3C `traceparent` the caller's sidecar saw ('' for none: `traceIdOf` gives its trace id) and whether the trace is sampled. */
  trace: string;
  sampled: boolean;
  /** The span the request continues (the caller's server span, a `spanRef`), when its app propagated the context; -1 for none. */
  parentSpan: number;
  /**
   * The cluster Envoy resolved the route to (its `%UPSTREAM_CLUSTER_RAW%`,
   * and the cluster whose metadata names the service in Istio's metrics).
   * Envoy sets it when the route matches, before the fault filter runs
   * (envoy src source/common/http/conn_manager_impl.cc, `setRoute`:
   * `setUpstreamClusterInfo`), so a request a fault aborted has one too:
   * the route's first here, where the engine draws among weighted clusters
   * only at the router (for subsets of one host, the same service). None
   * without a route to a cluster, or when the cluster does not exist (NC);
   * a shadow copy's is its mirror's.
   */
  cluster: string | undefined;
  /** Envoy's route name as Istio sets it: `default` for the default route, the VirtualService rule's `name`, else none. */
  route: string | undefined;
  /** Where that route came from (a Linkerd route's metrics name its resource). */
  routeOrigin: RouteOrigin | undefined;
  status: number;
  flags: readonly ResponseFlag[];
  /** A Linkerd proxy's word for a failure it made (its route metrics' `error` label); none from Envoy. */
  error: ProxyError | undefined;
  attempts: readonly AttemptRecord[];
  /**
   * A mirrored copy: the caller never sees its answer, and its sidecar
   * neither logs nor counts it. Envoy sends the copy from the router
   * through an async client stream, outside the connection manager's
   * filter chain and access log (envoy src source/common/router/router.cc,
   * `maybeDoShadowing`; source/common/http/async_client_impl.cc); its
   * cluster stats count it. Only the mirror target's sidecar sees it as a
   * request (`ServerRecord.shadow`).
   */
  shadow: boolean;
  /** Its size as an HTTP/1.1 request without a body (what Istio's `istio_request_bytes` observes); 0 when no listener asked for sizes. */
  requestBytes: number;
  /**
   * The pod that called the request this one continues (the one the app
   * serves, or the one a gateway forwards), when it has one; undefined for
   * traffic, which an outside client sends. A gateway's downstream.
   */
  parentCaller: string | undefined;
  /** The cluster of the request it continues, when that request's try reached this one over Istio mTLS (its SNI is the cluster's). */
  parentMtlsCluster: string | undefined;
  /**
   * The client proxy carried it as a TCP proxy (`ListenerProtocols.clientTcp`):
   * it parsed no HTTP, so it reports a connection (Istio's TCP metrics, a
   * `"- - -"` log line) and makes no span.
   */
  tcp: boolean;
}

/**
 * Which proxies carry a request as a TCP proxy rather than as HTTP (Envoy's
 * `tcp_proxy` on the listener istiod builds): asked once per record.
 */
export interface ListenerProtocols {
  /** The client proxy (`proxy`: the caller's sidecar or a gateway) for the record's host, port and route. */
  clientTcp(proxy: string, host: string, port: number, origin: RouteOrigin | undefined): boolean;
  /** The callee's sidecar, on the port the attempt reached. */
  serverTcp(r: ServerRecord): boolean;
}

/** One attempt as the callee's sidecar saw it (Istio's destination reporter, the inbound access-log line, the server span). */
export interface ServerRecord {
  requestId: number;
  attempt: number;
  pod: string;
  start: Micros;
  end: Micros;
  sourceWorkload: string;
  sourcePrincipal: string | undefined;
  destinationPrincipal: string | undefined;
  host: string;
  port: number;
  method: string;
  path: string;
  headers: Readonly<Record<string, string>>;
  status: number;
  /** The callee's sidecar refused it (AuthorizationPolicy): the app never saw it. */
  denied: boolean;
  mtls: boolean;
  /** A mirrored copy: an ordinary inbound request to the target's sidecar, logged and counted like any other (no span: Istio's mirror policy is `trace_sampled: false`). */
  shadow: boolean;
  /** The W3C `traceparent` of the request ('' for none). */
  trace: string;
  sampled: boolean;
  /** The client span of the attempt that reached this sidecar (a `spanRef`); when the caller had no sidecar, its own parent. */
  parentSpan: number;
  /** The caller's pod (for addresses). */
  fromPod: string;
  /** The caller's sidecar's cluster for the request (undefined when the caller had no sidecar). */
  cluster: string | undefined;
  /** As `ClientRecord.requestBytes`. */
  requestBytes: number;
  /** The callee's sidecar took it on a TCP-proxy listener (`ListenerProtocols.serverTcp`): a connection, not an HTTP request. */
  tcp: boolean;
}

export interface RecordListener {
  client(record: ClientRecord): void;
  server(record: ServerRecord): void;
  /** A connection a ztunnel carried (ambient), when the listener counts them. */
  connection?(record: ConnectionRecord): void;
}

/** An HTTP/1.1 response without a body: status line and Envoy's usual headers (date, server, content-length, x-envoy-upstream-service-time); 0 for no answer. */
export function responseBytes(status: number): number {
  return status === 0 ? 0 : 17 + 37 + 21 + 19 + 36 + 2;
}

/** A record to be filled in and handed over again and again (the recorder's, and the wire decoder's). */
export function emptyClientRecord(): ClientRecord {
  return {
    requestId: 0,
    waypoint: undefined,
    start: 0,
    end: 0,
    fromPod: '',
    host: '',
    port: 0,
    method: '',
    path: '',
    headers: {},
    trace: '',
    sampled: false,
    parentSpan: -1,
    cluster: undefined,
    route: undefined,
    routeOrigin: undefined,
    status: 0,
    flags: UH,
    error: undefined,
    attempts: [],
    shadow: false,
    requestBytes: 0,
    parentCaller: undefined,
    parentMtlsCluster: undefined,
    tcp: false,
  };
}

export function emptyServerRecord(): ServerRecord {
  return {
    requestId: 0,
    attempt: 0,
    pod: '',
    start: 0,
    end: 0,
    sourceWorkload: '',
    sourcePrincipal: undefined,
    destinationPrincipal: undefined,
    host: '',
    port: 0,
    method: '',
    path: '',
    headers: {},
    status: 0,
    denied: false,
    mtls: false,
    shadow: false,
    trace: '',
    sampled: false,
    parentSpan: -1,
    fromPod: '',
    cluster: undefined,
    requestBytes: 0,
    tcp: false,
  };
}

const UH: readonly ResponseFlag[] = ['UH'];
