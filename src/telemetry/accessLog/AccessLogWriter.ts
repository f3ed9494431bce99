import type { ResponseFlag } from '../../model/index.ts';
import type { PeerIndex } from '../PeerIndex.ts';
import { responseBytes } from '../records.ts';
import type { ClientRecord, ServerRecord } from '../records.ts';
import { requestIdOf, traceIdOf, traceSlot } from '../spanIds.ts';
import type { WallClock } from '../wallClock.ts';
import { copyInto, INT_BYTES, intInto, utf8 } from '../ByteChunks.ts';
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
 * A line is written whole, as bytes straight into the sink's chunk
 * (`ByteChunks.room`: one check for room), from few parts, each encoded
 * once: what is the same for every line of a caller, callee and cluster
 * (authority, addresses, cluster, the text between the two ephemeral ports)
 * is a template (`Tail`), what the request and its outcome make of the line
 * a `LineShape` kept on that template, the date is made once per second,
 * numbers are written digit by digit, and the JSON form escapes only the
 * fields that can need it, as `JSON.stringify` would.
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
  /** The fixed bytes between a line's fields, in its format. */
  private readonly parts: FormatParts;
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
    this.parts = this.text ? TEXT_PARTS : JSON_PARTS;
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
      this.connectionLine(r, r.flags, undefined, r.requestBytes, responseBytes(r.status), tail, ephemeralPort(r.requestId, 1), ephemeralPort(r.requestId, 0), this.templates.routeEnd(undefined, tail.sni), r.attempts.length);
      return;
    }
    const shape = this.shape(tail, r, r.status, r.flags, responseCodeDetails(r.status, r.flags, answered), r.route, tail.sni);
    this.line(shape, tail, r, serviceTime, ephemeralPort(r.requestId, 1), ephemeralPort(r.requestId, 0), r.attempts.length);
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
      this.connectionLine(r, NO_FLAGS, denied ? 'rbac_access_denied_matched_policy[none]' : undefined, denied ? 0 : r.requestBytes, denied ? 0 : responseBytes(r.status), t as Tail, ephemeralPort(r.requestId, r.attempt + 2), ephemeralPort(r.requestId, 1), this.templates.routeEnd(undefined, sni), 1);
      return;
    }
    const shape = this.shape(t as Tail, r, r.status, NO_FLAGS, denied ? 'rbac_access_denied_matched_policy[none]' : 'via_upstream', 'default', sni);
    this.line(shape, t as Tail, r, denied ? -1 : Math.floor((r.end - r.start) / 1000), ephemeralPort(r.requestId, r.attempt + 2), ephemeralPort(r.requestId, 1), 1);
  }

  /**
   * What an HTTP line says beyond its numbers, its time, its request id and
   * who talks to whom (`tail`): the request and outcome, the user agent and
   * the line's end. A tail sees few of them (mostly one), so they are kept
   * on it, found by comparing what makes them (`LineShape`), and made from
   * the tables below when new.
   */
  private shape(tail: Tail, r: ClientRecord | ServerRecord, status: number, flags: readonly ResponseFlag[], details: string, route: string | undefined, sni: string): LineShape {
    const agent = r.headers['user-agent'];
    const shapes = tail.shapes;
    for (let i = 0; i < shapes.length; i++) {
      const s = shapes[i] as LineShape;
      if (s.path === r.path && s.method === r.method && s.status === status && s.details === details && s.agent === agent && s.route === route && s.sni === sni && sameFlags(s.flags, flags)) return s;
    }
    const request = this.request(r.method, r.path);
    const outcome = this.outcome(status, flags, details);
    const shape: LineShape = {
      method: r.method,
      path: r.path,
      status,
      flags,
      details,
      agent,
      route,
      sni,
      // JSON: the route name comes first, after the start time.
      middle: this.text ? joined(request, outcome) : joined(this.routeField(route), joined(request, outcome)),
      agentPart: this.agent(agent),
      end: this.templates.routeEnd(route, sni),
    };
    if (shapes.length < SHAPES_PER_TAIL) shapes.push(shape);
    else {
      shapes[tail.nextShape] = shape;
      tail.nextShape = (tail.nextShape + 1) % SHAPES_PER_TAIL;
    }
    return shape;
  }

  /** An HTTP line, written whole: its parts are copied and its numbers written straight into the chunk, after one check for room. */
  private line(shape: LineShape, tail: Tail, r: ClientRecord | ServerRecord, serviceTime: number, upstreamLocalPort: number, downstreamRemotePort: number, attempts: number): void {
    const millis = this.millisOf(r.start);
    const id = this.requestId(r);
    const f = this.parts;
    const out = this.out;
    const buf = out.room(this.startRoom() + shape.middle.length + f.serviceTime.length + f.serviceTimeEnd.length + f.noServiceTime.length + shape.agentPart.length + id.length + tailRoom(tail, shape.end) + 2 * INT_BYTES);
    let p = copyInto(buf, this.startInto(buf, out.at, millis), shape.middle);
    p = intInto(buf, p, Math.floor((r.end - r.start) / 1000));
    if (serviceTime < 0) p = copyInto(buf, p, f.noServiceTime);
    else p = copyInto(buf, intInto(buf, copyInto(buf, p, f.serviceTime), serviceTime), f.serviceTimeEnd);
    p = copyInto(buf, copyInto(buf, p, shape.agentPart), id);
    out.endLineAt(this.tailInto(buf, p, tail, upstreamLocalPort, downstreamRemotePort, shape.end, attempts));
  }

  /**
   * A TCP proxy's line: no request line (`"- - -"`), response code 0, no
   * response code details or upstream service time, no headers; the
   * connection's bytes each way and its duration, and when a filter closed
   * it, why (`%CONNECTION_TERMINATION_DETAILS%`).
   */
  private connectionLine(r: ClientRecord | ServerRecord, flags: readonly ResponseFlag[], termination: string | undefined, received: number, sent: number, tail: Tail, upstreamLocalPort: number, downstreamRemotePort: number, end: Uint8Array, attempts: number): void {
    const millis = this.millisOf(r.start);
    const outcome = this.connectionOutcome(flags, termination);
    const f = this.parts;
    const out = this.out;
    const buf = out.room(this.startRoom() + outcome.length + f.bytesSent.length + f.duration.length + f.noHeaders.length + tailRoom(tail, end) + 3 * INT_BYTES);
    let p = copyInto(buf, this.startInto(buf, out.at, millis), outcome);
    p = copyInto(buf, intInto(buf, p, received), f.bytesSent);
    p = copyInto(buf, intInto(buf, p, sent), f.duration);
    p = copyInto(buf, intInto(buf, p, Math.floor((r.end - r.start) / 1000)), f.noHeaders);
    out.endLineAt(this.tailInto(buf, p, tail, upstreamLocalPort, downstreamRemotePort, end, attempts));
  }

  /** A TCP proxy's line from the response code to the bytes received (JSON: from the route name), by flags and termination details. */
  private connectionOutcome(flags: readonly ResponseFlag[], termination: string | undefined): Uint8Array {
    const flagText = flags.length === 0 ? '-' : flags.join(',');
    const key = `${flagText} ${termination ?? '-'}`;
    let bytes = this.connectionOutcomes.get(key);
    if (bytes === undefined) {
      bytes = utf8(
        this.text
          ? `- - -" 0 ${flagText} - ${termination ?? '-'} "-" `
          : `null,"method":null,"path":null,"protocol":null,"response_code":0,"response_flags":${this.json.of(flagText)},"response_code_details":null,"connection_termination_details":${termination === undefined ? 'null' : this.json.of(termination)},"bytes_received":`,
      );
      if (this.connectionOutcomes.size < MEMO_LIMIT) this.connectionOutcomes.set(key, bytes);
    }
    return bytes;
  }

  /** The milliseconds of the line's start time within its second (the second's text made when it changes). */
  private millisOf(start: number): number {
    const ms = this.clock.ms(start);
    const second = Math.floor(ms / 1000);
    if (second !== this.second) {
      this.second = second;
      this.secondText = utf8(`${this.text ? '[' : '{"start_time":"'}${this.clock.isoSecond(ms)}`);
    }
    return ms - second * 1000;
  }

  /** The most `startInto` writes. */
  private startRoom(): number {
    return this.secondText.length + 3 + this.parts.millisEnd.length;
  }

  /** `[%START_TIME%] "` (text), or the JSON start time up to the route name's value, from `p`; returns where it ends. */
  private startInto(buf: Uint8Array, p: number, millis: number): number {
    p = copyInto(buf, p, this.secondText);
    const tens = Math.floor(millis / 10);
    buf[p] = 48 + Math.floor(millis / 100);
    buf[p + 1] = 48 + (tens % 10);
    buf[p + 2] = 48 + (millis - tens * 10);
    return copyInto(buf, p + 3, this.parts.millisEnd);
  }

  /** The line from the authority to its end, from `p`; returns where it ends. */
  private tailInto(buf: Uint8Array, p: number, tail: Tail, upstreamLocalPort: number, downstreamRemotePort: number, end: Uint8Array, attempts: number): number {
    p = copyInto(buf, p, tail.head);
    if (tail.local) p = intInto(buf, p, upstreamLocalPort);
    p = copyInto(buf, intInto(buf, copyInto(buf, p, tail.mid), downstreamRemotePort), end);
    return this.text ? p : copyInto(buf, intInto(buf, p, attempts), JSON_END);
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
  private requestId(r: ClientRecord | ServerRecord): Uint8Array {
    const given = r.headers['x-request-id'];
    if (given !== undefined) {
      let bytes = this.givenIds.get(given);
      if (bytes === undefined) {
        bytes = utf8(this.text ? given : JSON.stringify(given));
        if (this.givenIds.size >= RECENT_TRACES) this.givenIds.clear();
        this.givenIds.set(given, bytes);
      }
      return bytes;
    }
    const trace = r.trace;
    if (trace.length < TRACE_ID_END) return this.madeId(trace);
    const slot = traceSlot(trace, RECENT_TRACES);
    if (this.idTraces[slot] !== trace) {
      this.idTraces[slot] = trace;
      this.idBytes[slot] = this.madeIdInto(trace, this.idBytes[slot] as Uint8Array);
    }
    return this.idBytes[slot] as Uint8Array;
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

/** The fixed bytes between a line's fields in one format. */
interface FormatParts {
  /** After the start time's milliseconds: up to the method (text), or to the route name's value (JSON). */
  millisEnd: Uint8Array;
  /** Around the upstream service time, and in its place when there is none. */
  serviceTime: Uint8Array;
  serviceTimeEnd: Uint8Array;
  noServiceTime: Uint8Array;
  /** A TCP proxy's line: before the bytes sent, before the duration, and after it up to the authority (no upstream service time, forwarded-for, user agent or request id). */
  bytesSent: Uint8Array;
  duration: Uint8Array;
  noHeaders: Uint8Array;
}

const TEXT_PARTS: FormatParts = {
  millisEnd: utf8('Z] "'),
  serviceTime: utf8(' '),
  serviceTimeEnd: utf8(''),
  noServiceTime: utf8(' -'),
  bytesSent: utf8(' '),
  duration: utf8(' '),
  noHeaders: utf8(' - "-" "-" "-'),
};

const JSON_PARTS: FormatParts = {
  millisEnd: utf8('Z","route_name":'),
  serviceTime: utf8(',"upstream_service_time":"'),
  serviceTimeEnd: utf8('"'),
  noServiceTime: utf8(',"upstream_service_time":null'),
  bytesSent: utf8(',"bytes_sent":'),
  duration: utf8(',"duration":'),
  noHeaders: utf8(',"upstream_service_time":null,"x_forwarded_for":null,"user_agent":null,"request_id":null'),
};

const JSON_END = utf8('}\n');
const NONE = new Uint8Array(0);

/**
 * What an HTTP line's request and outcome make of it, kept on its `Tail`:
 * the fields it is found by, and the bytes from the method (JSON: the
 * route name) to the duration, the user agent's part, and the line's end.
 */
export interface LineShape {
  method: string;
  path: string;
  status: number;
  flags: readonly ResponseFlag[];
  details: string;
  agent: string | undefined;
  route: string | undefined;
  sni: string;
  middle: Uint8Array;
  agentPart: Uint8Array;
  end: Uint8Array;
}

/** Shapes kept per tail: a caller, callee and cluster see few requests and outcomes; past these, the oldest made is replaced. */
const SHAPES_PER_TAIL = 4;

function sameFlags(a: readonly ResponseFlag[], b: readonly ResponseFlag[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** `a` then `b`, as one part. */
function joined(a: Uint8Array, b: Uint8Array): Uint8Array {
  const both = new Uint8Array(a.length + b.length);
  both.set(a);
  both.set(b, a.length);
  return both;
}

/** The most `tailInto` writes. */
function tailRoom(tail: Tail, end: Uint8Array): number {
  return tail.head.length + tail.mid.length + end.length + JSON_END.length + 3 * INT_BYTES;
}

/** Where a `traceparent`'s trace id ends: a shorter one has its request id made each time. */
const TRACE_ID_END = 35;
