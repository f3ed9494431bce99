import type { ResponseFlag } from '../../model/index.ts';
import type { PeerIndex } from '../PeerIndex.ts';
import type { ClientRecord, ServerRecord } from '../RequestRecorder.ts';
import { authorityOf } from '../requestValue.ts';
import { requestIdOf, traceIdOf } from '../spanIds.ts';
import type { WallClock } from '../wallClock.ts';
import { responseCodeDetails } from './responseCodeDetails.ts';

export type AccessLogFormat = 'text' | 'json';

/** One access-log entry's fields, by Envoy's command operator; `undefined` is Envoy's `-` (JSON `null`). */
export interface AccessLogEntry {
  START_TIME: string;
  METHOD: string;
  PATH: string;
  PROTOCOL: string;
  RESPONSE_CODE: number;
  RESPONSE_FLAGS: string;
  RESPONSE_CODE_DETAILS: string;
  BYTES_RECEIVED: number;
  BYTES_SENT: number;
  DURATION: number;
  UPSTREAM_SERVICE_TIME: string | undefined;
  USER_AGENT: string | undefined;
  REQUEST_ID: string;
  AUTHORITY: string;
  UPSTREAM_HOST: string | undefined;
  UPSTREAM_CLUSTER_RAW: string | undefined;
  UPSTREAM_LOCAL_ADDRESS: string | undefined;
  DOWNSTREAM_LOCAL_ADDRESS: string;
  DOWNSTREAM_REMOTE_ADDRESS: string;
  REQUESTED_SERVER_NAME: string | undefined;
  ROUTE_NAME: string | undefined;
  UPSTREAM_REQUEST_ATTEMPT_COUNT: number;
}

/**
 * Envoy access-log lines as Istio configures them (`meshConfig.accessLogFile`):
 * one per request at the caller's sidecar (outbound) and one per attempt at
 * the callee's (inbound). Text is Istio's default format, field for field
 * (`EnvoyTextLogFormat`, Istio src pilot/pkg/model/telemetry_logging.go):
 *
 *   [%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" %RESPONSE_CODE% %RESPONSE_FLAGS%
 *   %RESPONSE_CODE_DETAILS% %CONNECTION_TERMINATION_DETAILS% "%UPSTREAM_TRANSPORT_FAILURE_REASON%" %BYTES_RECEIVED%
 *   %BYTES_SENT% %DURATION% %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% "%REQ(X-FORWARDED-FOR)%" "%REQ(USER-AGENT)%"
 *   "%REQ(X-REQUEST-ID)%" "%REQ(:AUTHORITY)%" "%UPSTREAM_HOST%" %UPSTREAM_CLUSTER_RAW% %UPSTREAM_LOCAL_ADDRESS%
 *   %DOWNSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_REMOTE_ADDRESS% %REQUESTED_SERVER_NAME% %ROUTE_NAME%
 *
 * JSON uses Istio's keys (`EnvoyJSONLogFormatIstio`, same file) in that
 * order, plus Envoy's `%UPSTREAM_REQUEST_ATTEMPT_COUNT%` as
 * `upstream_request_attempt_count`; numbers stay numbers and `-` is `null`,
 * as Envoy's JSON formatter writes a lone operator. Not simulated, so always
 * `-`: connection termination details, transport failure reasons,
 * `x-forwarded-for`; bodies are not simulated either: bytes received and
 * sent are 0.
 */
export class AccessLogWriter {
  /** One entry, filled in place for each line (a line is written before the next is made). */
  private readonly e: AccessLogEntry = {
    START_TIME: '',
    METHOD: '',
    PATH: '',
    PROTOCOL: 'HTTP/1.1',
    RESPONSE_CODE: 0,
    RESPONSE_FLAGS: '-',
    RESPONSE_CODE_DETAILS: '',
    BYTES_RECEIVED: 0,
    BYTES_SENT: 0,
    DURATION: 0,
    UPSTREAM_SERVICE_TIME: undefined,
    USER_AGENT: undefined,
    REQUEST_ID: '',
    AUTHORITY: '',
    UPSTREAM_HOST: undefined,
    UPSTREAM_CLUSTER_RAW: undefined,
    UPSTREAM_LOCAL_ADDRESS: undefined,
    DOWNSTREAM_LOCAL_ADDRESS: '',
    DOWNSTREAM_REMOTE_ADDRESS: '',
    REQUESTED_SERVER_NAME: undefined,
    ROUTE_NAME: undefined,
    UPSTREAM_REQUEST_ATTEMPT_COUNT: 0,
  };
  /** `<cluster IP>:<port>` by host and port, made once. */
  private readonly serviceAddresses = new Map<string, Map<number, string>>();
  /** The SNI by cluster, made once. */
  private readonly snis = new Map<string, string>();

  constructor(
    private readonly write: (text: string) => void,
    private readonly format: AccessLogFormat,
    private readonly clock: WallClock,
    private readonly peers: PeerIndex,
    /** Whether a sidecar logs: the mesh default (`--access-log` given) and its Telemetry. */
    private readonly enabled: (pod: string, side: 'client' | 'server') => boolean,
  ) {}

  client(r: ClientRecord): void {
    // Under ambient the waypoint that routed the request logs it (its downstream is still the caller).
    const proxy = r.waypoint ?? r.fromPod;
    if (!this.enabled(proxy, 'client')) return;
    const last = r.attempts[r.attempts.length - 1];
    const callee = this.peers.get(last?.endpoint);
    const caller = this.peers.get(r.fromPod);
    const port = r.cluster && last?.endpoint ? endpointPort(this.peers.xds.proxies[proxy]?.clusters[r.cluster]?.endpoints, last.endpoint) : undefined;
    const answered = last !== undefined && last.endpoint !== undefined && last.status > 0 && last.flags.length === 0;
    const e = this.common(r, r.start, r.end, r.status, r.flags, responseCodeDetails(r.status, r.flags, answered));
    e.UPSTREAM_SERVICE_TIME = answered && last ? String(Math.floor(((last.end ?? r.end) - last.start) / 1000)) : undefined;
    e.UPSTREAM_HOST = callee && port !== undefined ? `${callee.pod.ip}:${port}` : undefined;
    e.UPSTREAM_CLUSTER_RAW = r.cluster;
    // A waypoint's own address is not simulated.
    e.UPSTREAM_LOCAL_ADDRESS = callee && caller && r.waypoint === undefined ? `${caller.pod.ip}:${ephemeralPort(r.requestId, 1)}` : undefined;
    e.DOWNSTREAM_LOCAL_ADDRESS = this.serviceAddress(r.host, r.port);
    e.DOWNSTREAM_REMOTE_ADDRESS = `${caller?.pod.ip ?? OUTSIDE}:${ephemeralPort(r.requestId, 0)}`;
    e.REQUESTED_SERVER_NAME = undefined;
    e.ROUTE_NAME = r.route;
    e.UPSTREAM_REQUEST_ATTEMPT_COUNT = r.attempts.length;
    this.line(e);
  }

  server(r: ServerRecord): void {
    if (r.shadow || !this.enabled(r.pod, 'server')) return;
    const callee = this.peers.get(r.pod);
    if (!callee) return;
    const caller = this.peers.get(r.fromPod);
    const port = this.targetPort(r);
    const denied = r.denied;
    const e = this.common(r, r.start, r.end, r.status, NO_FLAGS, denied ? 'rbac_access_denied_matched_policy[none]' : 'via_upstream');
    e.UPSTREAM_SERVICE_TIME = denied ? undefined : String(Math.floor((r.end - r.start) / 1000));
    const local = `${callee.pod.ip}:${port}`;
    e.UPSTREAM_HOST = denied ? undefined : local;
    e.UPSTREAM_CLUSTER_RAW = denied ? undefined : `inbound|${port}||`;
    // Istio's inbound passthrough connects to the app from 127.0.0.6.
    e.UPSTREAM_LOCAL_ADDRESS = denied ? undefined : `127.0.0.6:${ephemeralPort(r.requestId, r.attempt + 2)}`;
    e.DOWNSTREAM_LOCAL_ADDRESS = local;
    e.DOWNSTREAM_REMOTE_ADDRESS = `${caller?.pod.ip ?? OUTSIDE}:${ephemeralPort(r.requestId, 1)}`;
    e.REQUESTED_SERVER_NAME = r.mtls && r.cluster ? this.sniOf(r.cluster) : undefined;
    e.ROUTE_NAME = 'default';
    e.UPSTREAM_REQUEST_ATTEMPT_COUNT = 1;
    this.line(e);
  }

  private common(r: ClientRecord | ServerRecord, start: number, end: number, status: number, flags: readonly ResponseFlag[], details: string): AccessLogEntry {
    const e = this.e;
    e.START_TIME = this.clock.iso(start);
    e.METHOD = r.method;
    e.PATH = r.path;
    e.RESPONSE_CODE = status;
    e.RESPONSE_FLAGS = flags.length === 0 ? '-' : flags.length === 1 ? (flags[0] as string) : flags.join(',');
    e.RESPONSE_CODE_DETAILS = details;
    e.DURATION = Math.floor((end - start) / 1000);
    e.USER_AGENT = r.headers['user-agent'];
    e.REQUEST_ID = r.headers['x-request-id'] ?? requestIdOf(traceIdOf(r.trace));
    e.AUTHORITY = authorityOf(r);
    return e;
  }

  private line(e: AccessLogEntry): void {
    this.write(this.format === 'json' ? jsonLine(e) : textLine(e));
  }

  /** The container port the callee's sidecar forwards to (the Service's target port). */
  private targetPort(r: ServerRecord): number {
    const xds = this.peers.xds;
    const endpoints = (r.cluster ? xds.proxies[r.fromPod]?.clusters[r.cluster]?.endpoints : undefined) ?? xds.kubeServices[`${r.host}:${r.port}`]?.endpoints;
    return endpointPort(endpoints, r.pod) ?? r.port;
  }

  private serviceAddress(host: string, port: number): string {
    let byPort = this.serviceAddresses.get(host);
    if (!byPort) this.serviceAddresses.set(host, (byPort = new Map()));
    let address = byPort.get(port);
    if (address === undefined) byPort.set(port, (address = `${serviceAddress(host)}:${port}`));
    return address;
  }

  private sniOf(cluster: string): string {
    let sni = this.snis.get(cluster);
    if (sni === undefined) this.snis.set(cluster, (sni = sniOf(cluster)));
    return sni;
  }
}

/** The port of `pod`'s endpoint among `endpoints`. */
function endpointPort(endpoints: ReadonlyArray<{ pod: string; port: number }> | undefined, pod: string): number | undefined {
  if (!endpoints) return undefined;
  for (const e of endpoints) if (e.pod === pod) return e.port;
  return undefined;
}

const NO_FLAGS: readonly ResponseFlag[] = [];

/** Where callers from outside the mesh (`external`) connect from: TEST-NET-1 (RFC 5737), an address no real client has. */
const OUTSIDE = '192.0.2.1';

function dash(v: string | undefined): string {
  return v === undefined ? '-' : v;
}

/** Istio's default text format (see the class comment), one line. */
export function textLine(e: AccessLogEntry): string {
  return `[${e.START_TIME}] "${e.METHOD} ${e.PATH} ${e.PROTOCOL}" ${e.RESPONSE_CODE} ${e.RESPONSE_FLAGS} ${e.RESPONSE_CODE_DETAILS} - "-" ${e.BYTES_RECEIVED} ${e.BYTES_SENT} ${e.DURATION} ${dash(e.UPSTREAM_SERVICE_TIME)} "-" "${dash(e.USER_AGENT)}" "${e.REQUEST_ID}" "${e.AUTHORITY}" "${dash(e.UPSTREAM_HOST)}" ${dash(e.UPSTREAM_CLUSTER_RAW)} ${dash(e.UPSTREAM_LOCAL_ADDRESS)} ${e.DOWNSTREAM_LOCAL_ADDRESS} ${e.DOWNSTREAM_REMOTE_ADDRESS} ${dash(e.REQUESTED_SERVER_NAME)} ${dash(e.ROUTE_NAME)}\n`;
}

/** Istio's JSON keys, in `EnvoyJSONLogFormatIstio`'s order, and the attempt count. */
export function jsonLine(e: AccessLogEntry): string {
  return `${JSON.stringify({
    start_time: e.START_TIME,
    route_name: e.ROUTE_NAME ?? null,
    method: e.METHOD,
    path: e.PATH,
    protocol: e.PROTOCOL,
    response_code: e.RESPONSE_CODE,
    response_flags: e.RESPONSE_FLAGS,
    response_code_details: e.RESPONSE_CODE_DETAILS,
    connection_termination_details: null,
    bytes_received: e.BYTES_RECEIVED,
    bytes_sent: e.BYTES_SENT,
    duration: e.DURATION,
    upstream_service_time: e.UPSTREAM_SERVICE_TIME ?? null,
    x_forwarded_for: null,
    user_agent: e.USER_AGENT ?? null,
    request_id: e.REQUEST_ID,
    authority: e.AUTHORITY,
    upstream_host: e.UPSTREAM_HOST ?? null,
    upstream_cluster: e.UPSTREAM_CLUSTER_RAW ?? null,
    upstream_local_address: e.UPSTREAM_LOCAL_ADDRESS ?? null,
    downstream_local_address: e.DOWNSTREAM_LOCAL_ADDRESS,
    downstream_remote_address: e.DOWNSTREAM_REMOTE_ADDRESS,
    requested_server_name: e.REQUESTED_SERVER_NAME ?? null,
    upstream_transport_failure_reason: null,
    upstream_request_attempt_count: e.UPSTREAM_REQUEST_ATTEMPT_COUNT,
  })}\n`;
}

/** The SNI Istio's client sidecar sends under mTLS: `outbound_.9080_.v1_.reviews.default.svc.cluster.local`. */
function sniOf(cluster: string): string {
  const [, port, subset, host] = cluster.split('|');
  return `outbound_.${port}_.${subset ?? ''}_.${host}`;
}

/** A client's source port for a request's connection, in Linux's ephemeral range (32768–60999); deterministic. */
function ephemeralPort(requestId: number, salt: number): number {
  return 32_768 + ((Math.imul(requestId * 4 + salt, 0x9e37_79b1) >>> 0) % 28_232);
}

/**
 * A Service's cluster IP: meshviz's scenarios carry none, so one is made
 * from the host name in Kubernetes' default service range 10.96.0.0/12.
 */
function serviceAddress(host: string): string {
  let h = 0x811c_9dc5;
  for (let i = 0; i < host.length; i++) h = Math.imul(h ^ host.charCodeAt(i), 0x0100_0193);
  h >>>= 0;
  return `10.${96 + ((h >>> 16) & 0x0f)}.${(h >>> 8) & 0xff}.${Math.max(1, h & 0xff)}`;
}
