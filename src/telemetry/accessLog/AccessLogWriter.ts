import type { ResponseFlag } from '../../model/index.ts';
import type { PeerIndex } from '../PeerIndex.ts';
import { responseBytes } from '../records.ts';
import type { ClientRecord, ServerRecord } from '../records.ts';
import { requestIdOf, traceIdOf, traceSlot } from '../spanIds.ts';
import type { WallClock } from '../wallClock.ts';
import { utf8 } from '../ByteChunks.ts';
import type { ByteChunks } from '../ByteChunks.ts';
import { ephemeralPort } from './addresses.ts';
import { LineTemplates } from './LineTemplates.ts';
import type { Tail } from './LineTemplates.ts';
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
 * A line is written as bytes straight into the sink's chunk (`ByteChunks`)
 * from few parts, each encoded once: what is the same for every line of a
 * caller, callee and cluster (authority, addresses, cluster, the text
 * between the two ephemeral ports) is a template (`Tail`), the date is made
 * once per second, numbers are written digit by digit, and the JSON form
 * escapes only the fields that can need it, as `JSON.stringify` would.
 */
export class AccessLogWriter {
  /** `<code> <flags> <details>` and the fixed fields after it, by details and code, for a line without flags. */
  private readonly outcomes = new Map<string, Uint8Array[]>();
  /** The same for a line with flags, by its text (`<code> <flags> <details>`). */
  private readonly flagged = new Map<string, Uint8Array>();
  /** A TCP proxy's line from the response code to the bytes received, by flags and termination details. */
  private readonly connectionOutcomes = new Map<string, Uint8Array>();
  /** JSON: the route name's field, by route name. */
  private readonly routeFields = new Map<string | undefined, Uint8Array>();
  private readonly json = new JsonStrings();
  /** The request part of a line by method and path, the user-agent part by header, the request id by traceparent (recent traces only) or by header. */
  private readonly requests = new Map<string, Map<string, Uint8Array>>();
  private readonly agents = new Map<string | undefined, Uint8Array>();
  private readonly givenIds = new Map<string, Uint8Array>();
  private readonly idTraces: string[] = new Array<string>(RECENT_TRACES).fill('');
  private readonly idBytes: Uint8Array[] = new Array<Uint8Array>(RECENT_TRACES).fill(NONE);
  /** The last second a line started in (s since the epoch) and the line's start up to it. */
  private second = NaN;
  private secondText: Uint8Array = NONE;
  private readonly text: boolean;
  private readonly templates: LineTemplates;

  constructor(
    private readonly out: ByteChunks,
    private readonly format: AccessLogFormat,
    private readonly clock: WallClock,
    private readonly peers: PeerIndex,
    /** Whether a sidecar logs: the mesh default (`--access-log` given) and its Telemetry. */
    private readonly enabled: (pod: string, side: 'client' | 'server') => boolean,
  ) {
    this.text = format === 'text';
    this.templates = new LineTemplates(peers, this.text, this.json);
  }

  client(r: ClientRecord): void {
    // Under ambient the waypoint that routed the request logs it (its downstream is still the caller); a shadow copy no caller-side proxy logs.
    if (r.shadow || !this.enabled(r.waypoint ?? r.fromPod, 'client')) return;
    const last = r.attempts[r.attempts.length - 1];
    const answered = last !== undefined && last.endpoint !== undefined && last.status > 0 && last.flags.length === 0;
    const serviceTime = answered && last ? Math.floor(((last.end ?? r.end) - last.start) / 1000) : -1;
    const tail = this.templates.clientTail(r, last?.endpoint);
    if (r.tcp) {
      // A TCP proxy's line: the SNI the client sent (none over plain TCP), no route name.
      this.connectionHead(r.start, r.end, r.flags, undefined, r.requestBytes, responseBytes(r.status));
      this.tail(tail, ephemeralPort(r.requestId, 1), ephemeralPort(r.requestId, 0), this.templates.routeEnd(undefined, tail.sni ?? '-'), r.attempts.length);
      return;
    }
    const end = this.templates.routeEnd(r.route, tail.sni ?? '-');
    this.head(r, r.start, r.end, r.status, r.flags, responseCodeDetails(r.status, r.flags, answered), serviceTime, r.route);
    this.tail(tail, ephemeralPort(r.requestId, 1), ephemeralPort(r.requestId, 0), end, r.attempts.length);
  }

  server(r: ServerRecord): void {
    if (!this.enabled(r.pod, 'server')) return;
    const tail = this.templates.serverTail(r);
    if (!tail) return;
    const denied = r.denied;
    const t = denied ? tail.denied : tail;
    const sni = r.mtls && r.cluster ? this.templates.mtlsSni(r.fromPod, r.cluster) : '-';
    if (r.tcp) {
      // The network RBAC filter closes a denied connection before any byte reaches the app (Envoy names the policy in the termination details).
      this.connectionHead(r.start, r.end, NO_FLAGS, denied ? 'rbac_access_denied_matched_policy[none]' : undefined, denied ? 0 : r.requestBytes, denied ? 0 : responseBytes(r.status));
      this.tail(t as Tail, ephemeralPort(r.requestId, r.attempt + 2), ephemeralPort(r.requestId, 1), this.templates.routeEnd(undefined, sni), 1);
      return;
    }
    const end = this.templates.routeEnd('default', sni);
    this.head(r, r.start, r.end, r.status, NO_FLAGS, denied ? 'rbac_access_denied_matched_policy[none]' : 'via_upstream', denied ? -1 : Math.floor((r.end - r.start) / 1000), 'default');
    this.tail(t as Tail, ephemeralPort(r.requestId, r.attempt + 2), ephemeralPort(r.requestId, 1), end, 1);
  }

  /** The line up to the request id, with it. */
  private head(r: ClientRecord | ServerRecord, start: number, end: number, status: number, flags: readonly ResponseFlag[], details: string, serviceTime: number, route: string | undefined): void {
    const out = this.out;
    this.startTime(start, route);
    out.put(this.request(r.method, r.path));
    out.put(this.outcome(status, flags, details));
    out.int(Math.floor((end - start) / 1000));
    if (this.text) {
      out.put(SPACE);
      if (serviceTime < 0) out.put(DASH);
      else out.int(serviceTime);
    } else if (serviceTime < 0) out.put(NO_SERVICE_TIME);
    else {
      out.put(SERVICE_TIME);
      out.int(serviceTime);
      out.put(QUOTE);
    }
    out.put(this.agent(r.headers['user-agent']));
    this.requestId(r);
  }

  /**
   * A TCP proxy's line up to the authority: no request line (`"- - -"`),
   * response code 0, no response code details or upstream service time,
   * no headers; the connection's bytes each way and its duration, and
   * when a filter closed it, why (`%CONNECTION_TERMINATION_DETAILS%`).
   */
  private connectionHead(start: number, end: number, flags: readonly ResponseFlag[], termination: string | undefined, received: number, sent: number): void {
    const out = this.out;
    this.startTime(start, undefined);
    const flagText = flags.length === 0 ? '-' : flags.join(',');
    const key = `${flagText} ${termination ?? '-'}`;
    let bytes = this.connectionOutcomes.get(key);
    if (bytes === undefined) {
      bytes = utf8(
        this.text
          ? `- - -" 0 ${flagText} - ${termination ?? '-'} "-" `
          : `,"method":null,"path":null,"protocol":null,"response_code":0,"response_flags":${this.json.of(flagText)},"response_code_details":null,"connection_termination_details":${termination === undefined ? 'null' : this.json.of(termination)},"bytes_received":`,
      );
      if (this.connectionOutcomes.size < MEMO_LIMIT) this.connectionOutcomes.set(key, bytes);
    }
    out.put(bytes);
    out.int(received);
    out.put(this.text ? SPACE : JSON_BYTES_SENT);
    out.int(sent);
    out.put(this.text ? SPACE : JSON_DURATION);
    out.int(Math.floor((end - start) / 1000));
    out.put(this.text ? TEXT_NO_HEADERS : JSON_NO_HEADERS);
  }

  /** `[%START_TIME%] "` (text), or the JSON start time and route name. */
  private startTime(start: number, route: string | undefined): void {
    const out = this.out;
    const ms = this.clock.ms(start);
    const second = Math.floor(ms / 1000);
    if (second !== this.second) {
      this.second = second;
      this.secondText = utf8(`${this.text ? '[' : '{"start_time":"'}${this.clock.isoSecond(ms)}`);
    }
    const millis = ms - second * 1000;
    out.put(this.secondText);
    if (this.text) out.put(TEXT_MILLIS[millis] as Uint8Array);
    else {
      out.put(JSON_MILLIS[millis] as Uint8Array);
      out.put(this.routeField(route));
    }
  }

  /** From the method to the response code: `GET /path HTTP/1.1" ` (text), or the JSON fields. */
  private request(method: string, path: string): Uint8Array {
    const byPath = memoOf(this.requests, method);
    let bytes = byPath.get(path);
    if (bytes === undefined) {
      bytes = utf8(this.text ? `${method} ${path} HTTP/1.1" ` : `,"method":${this.json.of(method)},"path":${this.json.of(path)},"protocol":"HTTP/1.1","response_code":`);
      if (byPath.size < MEMO_LIMIT) byPath.set(path, bytes);
    }
    return bytes;
  }

  /** From after the upstream service time to the request id: the forwarded-for and user agent fields. */
  private agent(userAgent: string | undefined): Uint8Array {
    let bytes = this.agents.get(userAgent);
    if (bytes === undefined) {
      bytes = utf8(this.text ? ` "-" "${userAgent ?? '-'}" "` : `,"x_forwarded_for":null,"user_agent":${userAgent === undefined ? 'null' : this.json.of(userAgent)},"request_id":`);
      if (this.agents.size < MEMO_LIMIT) this.agents.set(userAgent, bytes);
    }
    return bytes;
  }

  /**
   * The `x-request-id` header, or the one made from the trace id (JSON: as a
   * JSON string). The lines of one trace follow each other closely: the ids
   * made are remembered for the traces last seen, by their place in a small
   * table (`traceSlot`).
   */
  private requestId(r: ClientRecord | ServerRecord): void {
    const given = r.headers['x-request-id'];
    if (given !== undefined) {
      let bytes = this.givenIds.get(given);
      if (bytes === undefined) {
        bytes = utf8(this.text ? given : JSON.stringify(given));
        if (this.givenIds.size >= RECENT_TRACES) this.givenIds.clear();
        this.givenIds.set(given, bytes);
      }
      this.out.put(bytes);
      return;
    }
    const trace = r.trace;
    if (trace.length < TRACE_ID_END) {
      this.out.put(this.madeId(trace));
      return;
    }
    const slot = traceSlot(trace, RECENT_TRACES);
    if (this.idTraces[slot] !== trace) {
      this.idTraces[slot] = trace;
      this.idBytes[slot] = this.madeIdInto(trace, this.idBytes[slot] as Uint8Array);
    }
    this.out.put(this.idBytes[slot] as Uint8Array);
  }

  /**
   * `madeId` written straight into `into` when it has the length (36
   * bytes, 38 as a JSON string), from the trace id's characters, no
   * strings made: the id of a trace's lines is made once per trace, and
   * every trace is new. A trace id that is not plain ASCII, or that JSON
   * must escape, takes `madeId`.
   */
  private madeIdInto(traceparent: string, into: Uint8Array): Uint8Array {
    const quote = this.text ? 0 : 1;
    const bytes = into.length === 36 + 2 * quote ? into : new Uint8Array(36 + 2 * quote);
    // The trace id is characters 3 to 35; its UUID form puts dashes after its 8th, 12th, 16th and 20th, and a fixed '4' and 'a' in place of its 13th and 17th.
    let at = quote;
    for (let i = 3; i < TRACE_ID_END; i++) {
      const c = traceparent.charCodeAt(i);
      if (c < 0x20 || c >= 0x7f || c === 0x22 || c === 0x5c) return this.madeId(traceparent);
      const k = i - 3;
      if (k === 8 || k === 12 || k === 16 || k === 20) bytes[at++] = 0x2d;
      bytes[at++] = k === 12 ? 0x34 : k === 16 ? 0x61 : c;
    }
    if (quote) bytes[0] = bytes[37] = 0x22;
    return bytes;
  }

  /** `requestIdOf(traceIdOf(traceparent))` as the line writes it. */
  private madeId(traceparent: string): Uint8Array {
    const made = requestIdOf(traceIdOf(traceparent));
    return utf8(this.text ? made : JSON.stringify(made));
  }

  /** The line from the authority to its end. */
  private tail(tail: Tail, upstreamLocalPort: number, downstreamRemotePort: number, end: Uint8Array, attempts: number): void {
    const out = this.out;
    out.put(tail.head);
    if (tail.local) out.int(upstreamLocalPort);
    out.put(tail.mid);
    out.int(downstreamRemotePort);
    out.put(end);
    if (!this.text) {
      out.int(attempts);
      out.put(JSON_END);
    }
    out.endLine();
  }

  /** The response code, flags and details, and the fixed fields after them up to the duration. */
  private outcome(status: number, flags: readonly ResponseFlag[], details: string): Uint8Array {
    if (flags.length > 0) {
      const key = `${status} ${flags.join(',')} ${details}`;
      let bytes = this.flagged.get(key);
      if (bytes === undefined) {
        bytes = utf8(outcomeText(this.format, status, flags.join(','), details, this.json));
        if (this.flagged.size < MEMO_LIMIT) this.flagged.set(key, bytes);
      }
      return bytes;
    }
    let byCode = this.outcomes.get(details);
    if (!byCode) this.outcomes.set(details, (byCode = []));
    return (byCode[status] ??= utf8(outcomeText(this.format, status, '-', details, this.json)));
  }

  private routeField(route: string | undefined): Uint8Array {
    let bytes = this.routeFields.get(route);
    if (bytes === undefined) {
      bytes = utf8(route === undefined ? 'null' : this.json.of(route));
      if (this.routeFields.size < MEMO_LIMIT) this.routeFields.set(route, bytes);
    }
    return bytes;
  }


}

/** `<code> <flags> <details> - "-" 0 0 ` (text), or the JSON fields from the code to the duration's key. */
function outcomeText(format: AccessLogFormat, status: number, flags: string, details: string, json: JsonStrings): string {
  if (format === 'text') return `${status} ${flags} ${details} - "-" 0 0 `;
  return `${status},"response_flags":${json.of(flags)},"response_code_details":${json.of(details)},"connection_termination_details":null,"bytes_received":0,"bytes_sent":0,"duration":`;
}

const NO_FLAGS: readonly ResponseFlag[] = [];

/** Places for traces whose request id is remembered (the lines of one trace are written within moments of each other). */
const RECENT_TRACES = 1_024;

const pad3 = (n: number): string => String(n).padStart(3, '0');
/** The milliseconds of `%START_TIME%` and what follows them up to the method (text) or the route name (JSON), by millisecond. */
const TEXT_MILLIS: readonly Uint8Array[] = Array.from({ length: 1000 }, (_, i) => utf8(`${pad3(i)}Z] "`));
const JSON_MILLIS: readonly Uint8Array[] = Array.from({ length: 1000 }, (_, i) => utf8(`${pad3(i)}Z","route_name":`));
const NONE = new Uint8Array(0);
const SPACE = utf8(' ');
const DASH = utf8('-');
const QUOTE = utf8('"');
const SERVICE_TIME = utf8(',"upstream_service_time":"');
const NO_SERVICE_TIME = utf8(',"upstream_service_time":null');
const JSON_END = utf8('}\n');
const JSON_BYTES_SENT = utf8(',"bytes_sent":');
const JSON_DURATION = utf8(',"duration":');
/** A TCP proxy's line after its duration: no upstream service time, forwarded-for, user agent or request id (the authority follows in the template). */
const TEXT_NO_HEADERS = utf8(' - "-" "-" "-');
const JSON_NO_HEADERS = utf8(',"upstream_service_time":null,"x_forwarded_for":null,"user_agent":null,"request_id":null');
/** Where a `traceparent`'s trace id ends: a shorter one has its request id made each time. */
const TRACE_ID_END = 35;
