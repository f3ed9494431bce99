import { ZtunnelSlots } from '../ZtunnelSlots.ts';
import type { ConnectionRecord } from '../ConnectionRecord.ts';
import type { Peer, PeerIndex } from '../PeerIndex.ts';
import { ISTIO_CLUSTER } from '../PeerIndex.ts';
import type { ByteChunks } from '../ByteChunks.ts';
import { utf8 } from '../ByteChunks.ts';
import type { WallClock } from '../wallClock.ts';
import type { AccessLogFormat } from './AccessLogWriter.ts';
import { ephemeralPort, OUTSIDE, serviceAddress } from './addresses.ts';

/** The HBONE port a ztunnel's tunnels go to (§11). */
const HBONE_PORT = 15008;
/** What the source's tunnel gets back when the destination's ztunnel refuses it: `Error::HttpStatus` of the CONNECT's 401 (ztunnel src `src/proxy/h2/client.rs`; `src/proxy/inbound.rs` answers `StatusCode::UNAUTHORIZED`). */
const REFUSED_AT_SOURCE = 'http status: 401 Unauthorized';
/** `Error::AuthorizationPolicyRejection` with its `AuthorizationRejectionError` (ztunnel src `src/proxy.rs`). */
const REJECTED = 'connection closed due to policy rejection: ';
const NOT_ALLOWED = 'allow policies exist, but none allowed';

/** The parts of a line that stay the same for one source, destination, Service, cluster and kind of connection, as UTF-8. */
interface Parts {
  cluster: string | undefined;
  /** The source's address and the colon before its port. */
  srcIp: Uint8Array;
  /** Text: from after `src.addr=<ip>:<port>` to `bytes_sent=`; JSON: from the address's closing quote to `"bytes_sent":`. */
  middle: Uint8Array;
}

/** The fixed pieces of a line, per format: before the time, between the time and the address (by level), and around the numbers. */
const TEXT = {
  start: utf8(''),
  head: { info: utf8('\tinfo\taccess\tconnection complete\tsrc.addr='), error: utf8('\terror\taccess\tconnection complete\tsrc.addr=') },
  received: utf8(' bytes_recv='),
  duration: utf8(' duration="'),
  end: utf8('ms"'),
  error: utf8(' error='),
  close: utf8('\n'),
};
const JSON_PARTS = {
  start: utf8('{"level":"'),
  head: { info: utf8('info","time":"'), error: utf8('error","time":"') },
  received: utf8(',"bytes_recv":'),
  duration: utf8(',"duration":"'),
  end: utf8('ms"'),
  error: utf8(',"error":'),
  close: utf8('}\n'),
};
const ADDRESS = utf8('","scope":"access","message":"connection complete","src.addr":"');

/**
 * ztunnel's own access log (Istio ambient, §11): one `connection complete`
 * line per connection at each ztunnel that carried it, written when it
 * closes — `outbound` at the caller's node, `inbound` at the destination's.
 * Fields, order and formatting are ztunnel's (ztunnel src
 * `src/proxy/metrics.rs`, `ConnectionResult::record_internal` and its
 * `access_log!`; `src/telemetry.rs`, `IstioFormat` — time, level, target
 * `access`, the message, then `name=value` with strings quoted — and
 * `IstioJsonFormat` for `LOG_FORMAT=json`: `level`, `time`, `scope`,
 * `message`, then the fields). Fields ztunnel leaves out when it does not
 * know them (no workload, no identity without mTLS, no `dst.hbone_addr`
 * without HBONE) are left out here too. The time is tracing's, to the
 * microsecond; `duration` is whole milliseconds, rounded down
 * (`as_millis`); `bytes_sent`/`bytes_recv` are unflipped for the log as
 * ztunnel does: the request is what an outbound connection sends and an
 * inbound one receives.
 *
 * Simplified: every request is one connection (meshviz's apps open one per
 * call); a refusal by the destination's L4 policy is the only error logged
 * (`error=` at level `error`, at both ends); a waypoint has no pod here, so it
 * gets an address at the top of the pod range and its Gateway's name as
 * its workload.
 */
export class ZtunnelAccessLog {
  /** The parts of each kind of connection's line. */
  private readonly slots: ZtunnelSlots<Parts>;

  constructor(
    private readonly out: ByteChunks,
    private readonly format: AccessLogFormat,
    private readonly clock: WallClock,
    private readonly peers: PeerIndex,
  ) {
    this.slots = new ZtunnelSlots(peers);
  }

  connection(c: ConnectionRecord): void {
    // A destination's line is written only where a ztunnel serves the pod (a sidecar logs as Envoy does).
    if (!this.slots.find(c)) return;
    const { refused, source, destination, slots, kind } = this.slots.at;
    let parts = slots[kind];
    if (!parts || parts.cluster !== c.cluster) parts = slots[kind] = this.parts(c, source, destination);
    const outbound = c.reporter === 'source';
    const sent = refused ? 0 : outbound ? c.requestBytes : c.responseBytes;
    const received = refused ? 0 : outbound ? c.responseBytes : c.requestBytes;
    const error = refused ? (outbound ? REFUSED_AT_SOURCE : REJECTED + (c.deniedBy === undefined ? NOT_ALLOWED : `explicitly denied by: ${policyKey(c.deniedBy)}`)) : undefined;
    const text = this.format === 'text';
    const f = text ? TEXT : JSON_PARTS;
    const out = this.out;
    const time = this.time(c.end);
    out.put(f.start);
    if (text) out.ascii(time, 0, time.length);
    else out.put(error === undefined ? JSON_PARTS.head.info : JSON_PARTS.head.error);
    if (text) out.put(error === undefined ? TEXT.head.info : TEXT.head.error);
    else {
      out.ascii(time, 0, time.length);
      out.put(ADDRESS);
    }
    out.put(parts.srcIp);
    out.int(ephemeralPort(c.requestId, outbound ? 5 : 6));
    out.put(parts.middle);
    out.int(sent);
    out.put(f.received);
    out.int(received);
    out.put(f.duration);
    out.int(Math.floor((c.end - c.start) / 1000));
    out.put(f.end);
    if (error !== undefined) {
      out.put(f.error);
      out.put(utf8(JSON.stringify(error)));
    }
    out.put(f.close);
    out.endLine();
  }

  /** tracing-subscriber's `SystemTime`: RFC 3339 in UTC to the microsecond, `2026-12-02T10:00:00.012345Z`. */
  private time(t: number): string {
    const ms = this.clock.ms(t);
    const micros = (ms % 1000) * 1000 + (t % 1000);
    return `${this.clock.isoSecond(ms)}${String(micros).padStart(6, '0')}Z`;
  }

  /** The fields after `src.addr` up to the byte counts, in ztunnel's order. */
  private parts(c: ConnectionRecord, source: Peer | undefined, destination: Peer | undefined): Parts {
    const outbound = c.reporter === 'source';
    const toWaypoint = destination?.waypoint === true;
    // The destination pod's own port: its endpoint in the caller's cluster (the caller's proxy, or the waypoint that routed it).
    const endpoints = c.cluster === undefined ? undefined : this.peers.xds.proxies[c.source]?.clusters[c.cluster]?.endpoints;
    const target = endpoints?.find((e) => e.pod === c.destination)?.port ?? c.port;
    const dstIp = destination ? addressOf(destination) : serviceAddress(c.host);
    // Through HBONE ztunnel reports the tunnel's address (port 15008) and the inner target: the pod's, or to a waypoint the Service's.
    const dstAddr = c.mtls ? `${dstIp}:${HBONE_PORT}` : `${dstIp}:${target}`;
    const hbone = c.mtls ? (toWaypoint ? `${serviceAddress(c.host)}:${c.port}` : `${dstIp}:${target}`) : undefined;
    const fields: Array<[string, string, boolean]> = [];
    const side = (prefix: 'src' | 'dst', peer: Peer | undefined) => {
      if (peer) fields.push([`${prefix}.workload`, peer.pod.name, true], [`${prefix}.namespace`, peer.namespace, true]);
      if (peer && c.mtls) fields.push([`${prefix}.identity`, peer.principal, true]);
      if (peer) fields.push([`${prefix}.cluster`, ISTIO_CLUSTER, true]);
    };
    side('src', source);
    fields.push(['dst.addr', dstAddr, false]);
    if (hbone !== undefined) fields.push(['dst.hbone_addr', hbone, false]);
    fields.push(['dst.service', c.host, true]);
    // ztunnel names the destination by its workload (the pod) and takes namespace and identity from it.
    const dst = destination;
    if (dst) fields.push(['dst.workload', dst.pod.name, true], ['dst.namespace', dst.namespace, true]);
    if (dst && c.mtls) fields.push(['dst.identity', dst.principal, true]);
    if (dst) fields.push(['dst.cluster', ISTIO_CLUSTER, true]);
    fields.push(['direction', outbound ? 'outbound' : 'inbound', true]);
    const middle =
      this.format === 'text'
        ? ' ' + fields.map(([k, v, quoted]) => `${k}=${quoted ? JSON.stringify(v) : v}`).join(' ') + ' bytes_sent='
        : '"' + fields.map(([k, v]) => `,"${k}":${JSON.stringify(v)}`).join('') + ',"bytes_sent":';
    return { cluster: c.cluster, srcIp: utf8(`${source ? addressOf(source) : OUTSIDE}:`), middle: utf8(middle) };
  }
}

/** A pod's address; a waypoint (no pod here) gets one from the top of the kind/flannel pod range 10.244.0.0/16 down, by its peer number. */
function addressOf(peer: Peer): string {
  if (!peer.waypoint) return peer.pod.ip || OUTSIDE;
  const n = peer.index;
  return `10.244.${255 - ((n >> 8) & 127)}.${254 - (n & 255) > 0 ? 254 - (n & 255) : 1}`;
}

/** `AuthorizationPolicy/<ns>/<name>` as ztunnel names a policy: `<ns>/<name>`. */
function policyKey(ref: string): string {
  return ref.startsWith('AuthorizationPolicy/') ? ref.slice('AuthorizationPolicy/'.length) : ref;
}
