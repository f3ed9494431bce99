import type { MeshXds, ResponseFlag } from '../../model/index.ts';
import type { PeerIndex } from '../PeerIndex.ts';
import type { ClientRecord, ServerRecord } from '../RequestRecorder.ts';
import { authorityOf } from '../requestValue.ts';
import { requestIdOf, traceIdOf } from '../spanIds.ts';
import type { WallClock } from '../wallClock.ts';
import type { TextChunks } from '../TextChunks.ts';
import { ephemeralPort, INBOUND_PASSTHROUGH, OUTSIDE, portText, serviceAddress, sniOf } from './addresses.ts';
import { JsonStrings, MEMO_LIMIT, memoOf } from './JsonStrings.ts';
import { responseCodeDetails } from './responseCodeDetails.ts';

export type AccessLogFormat = 'text' | 'json';

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
 *
 * A line is one string of few parts, gathered into large chunks for the
 * sink (`TextChunks`): what is the same for every line of a caller, callee
 * and cluster (authority, addresses, cluster, the text between the two
 * ephemeral ports) is made once as a template (`Tail`), the date once per
 * second, and the JSON form escapes only the fields that can need it, as
 * `JSON.stringify` would.
 */
export class AccessLogWriter {
  /** Client-line templates by caller pod, cluster and endpoint pod. */
  private readonly clientTails = new Map<string, Map<string | undefined, Map<string | undefined, Tail>>>();
  /** Server-line templates by callee pod, caller pod and the caller's cluster. */
  private readonly serverTails = new Map<string, Map<string, Map<string | undefined, Tail>>>();
  /** `<code> <flags> <details>` and the fixed fields after it, by details and code, for a line without flags. */
  private readonly outcomes = new Map<string, string[]>();
  /** The line's end after the downstream remote port, by route name and SNI. */
  private readonly routes = new Map<string | undefined, Map<string, string>>();
  private readonly json = new JsonStrings();
  /** The request part of a line by method and path, the user-agent part by header, the request id by traceparent (recent traces only). */
  private readonly requests = new Map<string, Map<string, string>>();
  private readonly agents = new Map<string | undefined, string>();
  private readonly requestIds = new Map<string, string>();
  /** The last second a line started in (s since the epoch) and the line's start up to it. */
  private second = NaN;
  private secondText = '';
  /** The config the templates were made from: a push may move endpoints and ports. */
  private xds: MeshXds;

  constructor(
    private readonly out: TextChunks,
    private readonly format: AccessLogFormat,
    private readonly clock: WallClock,
    private readonly peers: PeerIndex,
    /** Whether a sidecar logs: the mesh default (`--access-log` given) and its Telemetry. */
    private readonly enabled: (pod: string, side: 'client' | 'server') => boolean,
  ) {
    this.xds = peers.xds;
  }

  client(r: ClientRecord): void {
    // Under ambient the waypoint that routed the request logs it (its downstream is still the caller).
    if (!this.enabled(r.waypoint ?? r.fromPod, 'client')) return;
    const last = r.attempts[r.attempts.length - 1];
    const answered = last !== undefined && last.endpoint !== undefined && last.status > 0 && last.flags.length === 0;
    const serviceTime = answered && last ? Math.floor(((last.end ?? r.end) - last.start) / 1000) : -1;
    const tail = this.clientTail(r, last?.endpoint);
    const end = this.routeEnd(r.route, '-');
    const head = this.head(r, r.start, r.end, r.status, r.flags, responseCodeDetails(r.status, r.flags, answered), serviceTime, r.route);
    this.line(head, tail, ephemeralPort(r.requestId, 1), ephemeralPort(r.requestId, 0), end, r.attempts.length);
  }

  server(r: ServerRecord): void {
    if (r.shadow || !this.enabled(r.pod, 'server')) return;
    const tail = this.serverTail(r);
    if (!tail) return;
    const denied = r.denied;
    const t = denied ? tail.denied : tail;
    const sni = r.mtls && r.cluster ? this.sniOf(r.cluster) : '-';
    const end = this.routeEnd('default', sni);
    const head = this.head(r, r.start, r.end, r.status, NO_FLAGS, denied ? 'rbac_access_denied_matched_policy[none]' : 'via_upstream', denied ? -1 : Math.floor((r.end - r.start) / 1000), 'default');
    this.line(head, t as Tail, ephemeralPort(r.requestId, r.attempt + 2), ephemeralPort(r.requestId, 1), end, 1);
  }

  /** The line up to the request id, with it. */
  private head(r: ClientRecord | ServerRecord, start: number, end: number, status: number, flags: readonly ResponseFlag[], details: string, serviceTime: number, route: string | undefined): string {
    const ms = this.clock.ms(start);
    const second = Math.floor(ms / 1000);
    if (second !== this.second) {
      this.second = second;
      this.secondText = `${this.format === 'text' ? '[' : '{"start_time":"'}${this.clock.isoSecond(ms)}`;
    }
    const millis = ms - second * 1000;
    const duration = Math.floor((end - start) / 1000);
    const outcome = this.outcome(status, flags, details);
    const agent = this.agent(r.headers['user-agent']);
    const requestId = this.requestId(r);
    if (this.format === 'text') {
      return `${this.secondText}${TEXT_MILLIS[millis]}${this.request(r.method, r.path)}${outcome}${duration} ${serviceTime < 0 ? '-' : serviceTime}${agent}${requestId}`;
    }
    return `${this.secondText}${JSON_MILLIS[millis]}${this.routeJson(route)}${this.request(r.method, r.path)}${outcome}${duration},"upstream_service_time":${serviceTime < 0 ? 'null' : `"${serviceTime}"`}${agent}${requestId}`;
  }

  /** From the method to the response code: `GET /path HTTP/1.1" ` (text), or the JSON fields. */
  private request(method: string, path: string): string {
    const byPath = memoOf(this.requests, method);
    let text = byPath.get(path);
    if (text === undefined) {
      text = this.format === 'text' ? `${method} ${path} HTTP/1.1" ` : `,"method":${this.json.of(method)},"path":${this.json.of(path)},"protocol":"HTTP/1.1","response_code":`;
      if (byPath.size < MEMO_LIMIT) byPath.set(path, text);
    }
    return text;
  }

  /** From after the upstream service time to the request id: the forwarded-for and user agent fields. */
  private agent(userAgent: string | undefined): string {
    let text = this.agents.get(userAgent);
    if (text === undefined) {
      text = this.format === 'text' ? ` "-" "${userAgent ?? '-'}" "` : `,"x_forwarded_for":null,"user_agent":${userAgent === undefined ? 'null' : this.json.of(userAgent)},"request_id":`;
      if (this.agents.size < MEMO_LIMIT) this.agents.set(userAgent, text);
    }
    return text;
  }

  /**
   * The `x-request-id` header, or the one made from the trace id (JSON: as a
   * JSON string). The lines of one trace follow each other closely: the ids
   * made are remembered for the traces last seen.
   */
  private requestId(r: ClientRecord | ServerRecord): string {
    const given = r.headers['x-request-id'];
    if (given !== undefined) return this.format === 'text' ? given : JSON.stringify(given);
    let id = this.requestIds.get(r.trace);
    if (id === undefined) {
      const made = requestIdOf(traceIdOf(r.trace));
      id = this.format === 'text' ? made : JSON.stringify(made);
      if (this.requestIds.size >= RECENT_TRACES) this.requestIds.clear();
      this.requestIds.set(r.trace, id);
    }
    return id;
  }

  private line(head: string, tail: Tail, upstreamLocalPort: number, downstreamRemotePort: number, end: string, attempts: number): void {
    const local = tail.local === undefined ? tail.noLocal : `${tail.local}${portText(upstreamLocalPort)}`;
    if (this.format === 'text') this.out.add(`${head}${tail.head}${local}${tail.mid}${portText(downstreamRemotePort)}${end}`);
    else this.out.add(`${head}${tail.head}${local}${tail.mid}${portText(downstreamRemotePort)}${end}${attempts}}\n`);
  }

  /** The response code, flags and details, and the fixed fields after them up to the duration. */
  private outcome(status: number, flags: readonly ResponseFlag[], details: string): string {
    if (flags.length > 0) return outcomeText(this.format, status, flags.join(','), details, this.json);
    let byCode = this.outcomes.get(details);
    if (!byCode) this.outcomes.set(details, (byCode = []));
    return (byCode[status] ??= outcomeText(this.format, status, '-', details, this.json));
  }

  /** The line after the downstream remote port: the SNI (text) and route name, or the JSON fields up to the attempt count. */
  private routeEnd(route: string | undefined, sni: string): string {
    let bySni = this.routes.get(route);
    if (!bySni) {
      bySni = new Map();
      if (this.routes.size < MEMO_LIMIT) this.routes.set(route, bySni);
    }
    let end = bySni.get(sni);
    if (end === undefined) {
      end = this.format === 'text' ? ` ${sni} ${route ?? '-'}\n` : `","requested_server_name":${sni === '-' ? 'null' : this.json.of(sni)},"upstream_transport_failure_reason":null,"upstream_request_attempt_count":`;
      if (bySni.size < MEMO_LIMIT) bySni.set(sni, end);
    }
    return end;
  }

  private routeJson(route: string | undefined): string {
    return route === undefined ? 'null' : this.json.of(route);
  }

  /** What a client line of this caller, cluster and endpoint says the same every time. */
  private clientTail(r: ClientRecord, endpoint: string | undefined): Tail {
    this.checkConfig();
    let byCluster = this.clientTails.get(r.fromPod);
    if (!byCluster) this.clientTails.set(r.fromPod, (byCluster = new Map()));
    let byEndpoint = byCluster.get(r.cluster);
    if (!byEndpoint) byCluster.set(r.cluster, (byEndpoint = new Map()));
    let tail = byEndpoint.get(endpoint);
    if (!tail || tail.host !== r.host || tail.port !== r.port || tail.waypoint !== r.waypoint) byEndpoint.set(endpoint, (tail = this.makeClientTail(r, endpoint)));
    return tail;
  }

  private makeClientTail(r: ClientRecord, endpoint: string | undefined): Tail {
    const callee = this.peers.get(endpoint);
    const caller = this.peers.get(r.fromPod);
    const port = r.cluster && endpoint ? endpointPort(this.peers.xds.proxies[r.waypoint ?? r.fromPod]?.clusters[r.cluster]?.endpoints, endpoint) : undefined;
    const upstreamHost = callee && port !== undefined ? `${callee.pod.ip}:${port}` : undefined;
    // A waypoint's own address is not simulated.
    const upstreamLocalIp = callee && caller && r.waypoint === undefined ? caller.pod.ip : undefined;
    const tail = this.tail(r, upstreamHost, r.cluster, upstreamLocalIp, `${this.serviceAddress(r.host)}:${r.port}`, caller?.pod.ip ?? OUTSIDE);
    tail.waypoint = r.waypoint;
    return tail;
  }

  /** What a server line of this callee, caller and cluster says the same every time (undefined: the callee has no peer). */
  private serverTail(r: ServerRecord): Tail | undefined {
    this.checkConfig();
    let byCaller = this.serverTails.get(r.pod);
    if (!byCaller) this.serverTails.set(r.pod, (byCaller = new Map()));
    let byCluster = byCaller.get(r.fromPod);
    if (!byCluster) byCaller.set(r.fromPod, (byCluster = new Map()));
    let tail = byCluster.get(r.cluster);
    if (!tail || tail.host !== r.host || tail.port !== r.port) {
      const callee = this.peers.get(r.pod);
      if (!callee) return undefined;
      const port = this.targetPort(r);
      const local = `${callee.pod.ip}:${port}`;
      const remote = this.peers.get(r.fromPod)?.pod.ip ?? OUTSIDE;
      tail = this.tail(r, local, `inbound|${port}||`, INBOUND_PASSTHROUGH, local, remote);
      tail.denied = this.tail(r, undefined, undefined, undefined, local, remote);
      byCluster.set(r.cluster, tail);
    }
    return tail;
  }

  /** A line's template from the request's authority to the downstream remote port; `-` (JSON `null`) for each field undefined. */
  private tail(r: { host: string; port: number }, upstreamHost: string | undefined, cluster: string | undefined, upstreamLocalIp: string | undefined, downstreamLocal: string, downstreamRemoteIp: string): Tail {
    const authority = authorityOf(r);
    if (this.format === 'text') {
      return {
        host: r.host,
        port: r.port,
        head: `" "${authority}" "${upstreamHost ?? '-'}" ${cluster ?? '-'} `,
        local: upstreamLocalIp === undefined ? undefined : `${upstreamLocalIp}:`,
        noLocal: '-',
        mid: ` ${downstreamLocal} ${downstreamRemoteIp}:`,
        denied: undefined,
      };
    }
    const j = this.json;
    const local = upstreamLocalIp === undefined ? undefined : j.of(`${upstreamLocalIp}:`);
    return {
      host: r.host,
      port: r.port,
      head: `,"authority":${j.of(authority)},"upstream_host":${upstreamHost === undefined ? 'null' : j.of(upstreamHost)},"upstream_cluster":${cluster === undefined ? 'null' : j.of(cluster)},"upstream_local_address":`,
      // The port goes inside the string: the template keeps its opening quote and the rest of the field follows the port.
      local: local === undefined ? undefined : local.slice(0, -1),
      noLocal: 'null,"downstream_local_address":',
      mid: `${local === undefined ? '' : '",'}${local === undefined ? '' : '"downstream_local_address":'}${j.of(downstreamLocal)},"downstream_remote_address":${j.of(`${downstreamRemoteIp}:`).slice(0, -1)}`,
      denied: undefined,
    };
  }

  /** Templates are made anew after a push (endpoints and their ports may have moved). */
  private checkConfig(): void {
    if (this.xds === this.peers.xds) return;
    this.xds = this.peers.xds;
    this.clientTails.clear();
    this.serverTails.clear();
  }

  /** The container port the callee's sidecar forwards to (the Service's target port). */
  private targetPort(r: ServerRecord): number {
    const xds = this.peers.xds;
    const endpoints = (r.cluster ? xds.proxies[r.fromPod]?.clusters[r.cluster]?.endpoints : undefined) ?? xds.kubeServices[`${r.host}:${r.port}`]?.endpoints;
    return endpointPort(endpoints, r.pod) ?? r.port;
  }

  private readonly serviceAddresses = new Map<string, string>();

  private serviceAddress(host: string): string {
    let address = this.serviceAddresses.get(host);
    if (address === undefined) this.serviceAddresses.set(host, (address = serviceAddress(host)));
    return address;
  }

  private readonly snis = new Map<string, string>();

  private sniOf(cluster: string): string {
    let sni = this.snis.get(cluster);
    if (sni === undefined) this.snis.set(cluster, (sni = sniOf(cluster)));
    return sni;
  }
}

/**
 * What the lines of one caller, callee and cluster share, split where a
 * line's own numbers go: `head` from the authority to the upstream local
 * address, then `local` and the upstream local port (or `noLocal`), `mid`,
 * the downstream remote port.
 */
interface Tail {
  host: string;
  port: number;
  head: string;
  local: string | undefined;
  noLocal: string;
  mid: string;
  /** A server line whose request the callee's sidecar denied: no upstream. */
  denied: Tail | undefined;
  /** A client line's waypoint, when one routed the request (ambient). */
  waypoint?: string | undefined;
}

/** The port of `pod`'s endpoint among `endpoints`. */
function endpointPort(endpoints: ReadonlyArray<{ pod: string; port: number }> | undefined, pod: string): number | undefined {
  if (!endpoints) return undefined;
  for (const e of endpoints) if (e.pod === pod) return e.port;
  return undefined;
}

/** `<code> <flags> <details> - "-" 0 0 ` (text), or the JSON fields from the code to the duration's key. */
function outcomeText(format: AccessLogFormat, status: number, flags: string, details: string, json: JsonStrings): string {
  if (format === 'text') return `${status} ${flags} ${details} - "-" 0 0 `;
  return `${status},"response_flags":${json.of(flags)},"response_code_details":${json.of(details)},"connection_termination_details":null,"bytes_received":0,"bytes_sent":0,"duration":`;
}

const NO_FLAGS: readonly ResponseFlag[] = [];

/** Traceparents whose request id is remembered (the lines of one trace are written within moments of each other). */
const RECENT_TRACES = 256;

const pad3 = (n: number): string => String(n).padStart(3, '0');
/** The milliseconds of `%START_TIME%` and what follows them up to the method, by millisecond. */
const TEXT_MILLIS: readonly string[] = Array.from({ length: 1000 }, (_, i) => `${pad3(i)}Z] "`);
const JSON_MILLIS: readonly string[] = Array.from({ length: 1000 }, (_, i) => `${pad3(i)}Z","route_name":`);
