import { linkerdIdentity } from '../../model/index.ts';
import type { LinkerdAccessLogFormat, MeshXds, Micros, Scenario } from '../../model/index.ts';
import type { PeerIndex } from '../PeerIndex.ts';
import type { ServerRecord } from '../records.ts';
import { authorityOf } from '../requestValue.ts';
import { utf8 } from '../ByteChunks.ts';
import type { ByteChunks } from '../ByteChunks.ts';
import type { WallClock } from '../wallClock.ts';
import { ephemeralPort, OUTSIDE } from './addresses.ts';
import { JsonStrings } from './JsonStrings.ts';

/**
 * linkerd-proxy's HTTP access log, as a pod annotated
 * `config.linkerd.io/access-log: apache | json` (or whose namespace is)
 * writes it to its stderr; a proxy without the annotation writes none.
 *
 * Only the inbound side logs: `NewAccessLog` is the outermost layer of the
 * inbound HTTP server (linkerd2-proxy `linkerd/app/inbound/src/http/server.rs`),
 * so one line per request that reaches an annotated pod, written when its
 * response headers are ready, with what the server saw: the TLS client's
 * identity (`-` for plaintext), the connection's peer, and — for a meshed
 * caller, whose proxy upgraded HTTP/1.1 to HTTP/2 — the URI in absolute form
 * and `HTTP/2.0` (the downgrade is inside the access log layer). Fields
 * (`linkerd/http/access-log/src/lib.rs`): `client.addr`, `client.id`,
 * `timestamp` (when the request arrived, RFC 3339 with nanoseconds, trailing
 * zeros dropped: jiff's `Timestamp` display), `method`, `uri`, `version`,
 * `trace_id` (`x-b3-traceid`, else `x-request-id`, else `x-amzn-trace-id`,
 * else empty), `request_bytes` (the request's `content-length`, else empty),
 * `status`, `response_bytes` (the response's `content-length`, absent
 * without one), `total_ns`, `processing_ns`, `user_agent`, `host` (the
 * `host` header: the authority the caller dialled).
 *
 * `apache` (`linkerd/tracing/src/access_log.rs`, `ApacheCommon`):
 *
 *   <client.addr> <client.id> - [<timestamp>] "<method> <uri> <version>" <status>
 *
 * `json`: `tracing-subscriber`'s `JsonFields`, one object per line with the
 * keys in byte order (a `BTreeMap`), `status` a number and every other
 * value a string.
 *
 * Not simulated: bodies, so `response_bytes` is never written; the proxy's
 * own time in `processing_ns` is the flavor's per-pass processing cost, once
 * for a request its proxy answered itself (a denial), twice (in and out)
 * for one the app answered.
 */
export class LinkerdAccessLogWriter {
  /** The part of a line before the timestamp, by callee pod and caller pod. */
  private readonly callers = new Map<string, Map<string, Caller>>();
  private readonly json = new JsonStrings();
  /** The last second a line started in (ms since the epoch / 1000) and its text up to the seconds. */
  private second = NaN;
  private secondText = '';
  /** The proxies that log and their formats, fixed when they start (the injector sets the variable when a pod is created). */
  private readonly formats: ReadonlyMap<string, LinkerdAccessLogFormat>;
  private readonly trustDomain: string;
  private readonly processing: Micros;

  constructor(
    private readonly out: ByteChunks,
    private readonly clock: WallClock,
    private readonly peers: PeerIndex,
    scenario: Scenario,
  ) {
    this.formats = linkerdAccessLogFormats(peers.xds);
    this.trustDomain = scenario.mesh.trustDomain;
    this.processing = scenario.simulation.costs.proxyProcessing;
  }

  client(): void {}

  server(r: ServerRecord): void {
    const format = this.formats.get(r.pod);
    if (format === undefined || r.shadow) return;
    const caller = this.caller(r);
    const authority = authorityOf(r);
    const uri = caller.meshed ? `http://${authority}${r.path}` : r.path;
    const timestamp = this.timestamp(r.start);
    const status = r.status > 0 ? r.status : undefined;
    if (format === 'apache') {
      this.line(`${caller.apache}[${timestamp}] "${r.method} ${uri} ${caller.version}"${status === undefined ? '' : ` ${status}`}\n`);
      return;
    }
    const total = r.end - r.start;
    const processing = r.denied ? total : Math.min(total, 2 * this.processing);
    const h = r.headers;
    const j = this.json;
    const traceId = h['x-b3-traceid'] ?? h['x-request-id'] ?? h['x-amzn-trace-id'] ?? '';
    this.line(
      `${caller.json}"host":${j.of(authority)},"method":${j.of(r.method)},"processing_ns":"${processing * 1000}","request_bytes":${j.of(h['content-length'] ?? '')},${status === undefined ? '' : `"status":${status},`}"timestamp":"${timestamp}","total_ns":"${total * 1000}","trace_id":${j.of(traceId)},"uri":${j.of(uri)},"user_agent":${j.of(h['user-agent'] ?? '')},"version":"${caller.version}"}\n`,
    );
  }

  /** A whole line, as UTF-8. */
  private line(text: string): void {
    this.out.put(utf8(text));
    this.out.endLine();
  }

  /** What a line says of its caller: the peer address, its identity, the protocol its proxy spoke. */
  private caller(r: ServerRecord): Caller {
    let byCaller = this.callers.get(r.pod);
    if (!byCaller) this.callers.set(r.pod, (byCaller = new Map()));
    let caller = byCaller.get(r.fromPod);
    if (caller === undefined) {
      const peer = this.peers.get(r.fromPod);
      // A meshed caller's proxy keeps one HTTP/2 connection to each endpoint: one source port per pair of pods.
      const meshed = r.cluster !== undefined;
      const port = String(ephemeralPort(meshed ? pairSalt(r.fromPod, r.pod) : r.requestId, 1));
      const addr = `${peer?.pod.ip ?? OUTSIDE}:${port}`;
      const id = r.mtls && peer ? linkerdIdentity(this.trustDomain, peer.pod.namespace, peer.pod.serviceAccount) : '-';
      const version = meshed ? 'HTTP/2.0' : 'HTTP/1.1';
      caller = { meshed, version, apache: `${addr} ${id} - `, json: `{"client.addr":${this.json.of(addr)},"client.id":${this.json.of(id)},` };
      // An unmeshed caller's port is its request's own: kept for meshed callers only.
      if (meshed) byCaller.set(r.fromPod, caller);
    }
    return caller;
  }

  /** `2026-12-02T10:00:00.0123Z`: nanoseconds with the trailing zeros dropped, no fraction on a whole second. */
  private timestamp(t: Micros): string {
    const ms = this.clock.ms(t);
    const second = Math.floor(ms / 1000);
    if (second !== this.second) {
      this.second = second;
      this.secondText = this.clock.isoSecond(ms).slice(0, -1);
    }
    const micros = (ms - second * 1000) * 1000 + (t % 1000);
    if (micros === 0) return `${this.secondText}Z`;
    return `${this.secondText}.${String(micros).padStart(6, '0').replace(/0+$/, '')}Z`;
  }
}

interface Caller {
  meshed: boolean;
  version: string;
  /** `<client.addr> <client.id> - `. */
  apache: string;
  /** `{"client.addr":…,"client.id":…,`. */
  json: string;
}

/** The linkerd-proxies that write an access log, with their formats. */
export function linkerdAccessLogFormats(xds: MeshXds): Map<string, LinkerdAccessLogFormat> {
  const out = new Map<string, LinkerdAccessLogFormat>();
  for (const pod in xds.proxies) {
    const format = xds.proxies[pod]?.linkerdAccessLog;
    if (format !== undefined) out.set(pod, format);
  }
  return out;
}

/** A number for a pair of pods, the same every time: their connection's source port is made from it. */
function pairSalt(from: string, to: string): number {
  let h = 0x811c_9dc5;
  const key = `${from}>${to}`;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x0100_0193);
  return (h >>> 0) % 0x1000_0000;
}
