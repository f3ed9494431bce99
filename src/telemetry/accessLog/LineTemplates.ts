import { boundGatewayPort } from '../../model/index.ts';
import type { GatewayXds, MeshXds } from '../../model/index.ts';
import { utf8 } from '../ByteChunks.ts';
import { endpointPort } from '../PeerIndex.ts';
import type { PeerIndex } from '../PeerIndex.ts';
import type { ClientRecord, ServerRecord } from '../records.ts';
import { authorityOf } from '../requestValue.ts';
import { INBOUND_PASSTHROUGH, OUTSIDE, sniOf } from './addresses.ts';
import { MEMO_LIMIT } from './JsonStrings.ts';
import type { JsonStrings } from './JsonStrings.ts';
import type { LineShape } from './AccessLogWriter.ts';

/**
 * The parts of access-log lines that depend on who talks to whom, made once
 * as UTF-8 and kept: for a caller, callee and cluster the text from the
 * authority to the downstream remote port (`Tail`), and a line's end by
 * route name and SNI. Made anew after a push (endpoints and ports may move).
 */
export class LineTemplates {
  /** Client-line templates by caller pod, cluster and endpoint pod. */
  private readonly clientTails = new Map<string, Map<string | undefined, Map<string | undefined, Tail>>>();
  /** Server-line templates by callee pod, caller pod and the caller's cluster. */
  private readonly serverTails = new Map<string, Map<string, Map<string | undefined, Tail>>>();
  /** The line's end after the downstream remote port, by route name and SNI. */
  private readonly routes = new Map<string | undefined, Map<string, Uint8Array>>();
  /** The config the templates were made from: a push may move endpoints and ports. */
  private xds: MeshXds;

  constructor(
    private readonly peers: PeerIndex,
    private readonly text: boolean,
    private readonly json: JsonStrings,
  ) {
    this.xds = peers.xds;
  }

  /** The line after the downstream remote port: the SNI (text) and route name, or the JSON fields up to the attempt count. */
  routeEnd(route: string | undefined, sni: string): Uint8Array {
    let bySni = this.routes.get(route);
    if (!bySni) {
      bySni = new Map();
      if (this.routes.size < MEMO_LIMIT) this.routes.set(route, bySni);
    }
    let end = bySni.get(sni);
    if (end === undefined) {
      end = utf8(this.text ? ` ${sni} ${route ?? '-'}\n` : `","requested_server_name":${sni === '-' ? 'null' : this.json.of(sni)},"upstream_transport_failure_reason":null,"upstream_request_attempt_count":`);
      if (bySni.size < MEMO_LIMIT) bySni.set(sni, end);
    }
    return end;
  }

  /** What a client line of this caller, cluster and endpoint (and at a gateway, this downstream) says the same every time. */
  clientTail(r: ClientRecord, endpoint: string | undefined): Tail {
    this.checkConfig();
    let byCluster = this.clientTails.get(r.fromPod);
    if (!byCluster) this.clientTails.set(r.fromPod, (byCluster = new Map()));
    let byEndpoint = byCluster.get(r.cluster);
    if (!byEndpoint) byCluster.set(r.cluster, (byEndpoint = new Map()));
    let tail = byEndpoint.get(endpoint);
    if (tail?.gateway === true) return this.gatewayTail(r, endpoint, tail);
    if (!tail || tail.host !== r.host || tail.port !== r.port || tail.waypoint !== r.waypoint || tail.tcp !== r.tcp) byEndpoint.set(endpoint, (tail = this.makeClientTail(r, endpoint)));
    return tail.gateway === true ? this.gatewayTail(r, endpoint, tail) : tail;
  }

  /**
   * A gateway's line: its downstream is the client that connected to it —
   * an outside one, or the sidecar whose request it forwards —, on the port
   * its server listens on in the pod (Envoy's `%DOWNSTREAM_LOCAL_ADDRESS%`
   * is the address the listener accepted on: istio.io's egress gateway log
   * shows `<gateway ip>:8443` and the caller's pod as the remote). Kept by
   * downstream beside the caller's first template (`first`).
   */
  private gatewayTail(r: ClientRecord, endpoint: string | undefined, first: Tail): Tail {
    const downstream = r.parentCaller ?? OUTSIDE;
    const byDownstream = (first.byDownstream ??= new Map());
    let tail = byDownstream.get(downstream);
    if (!tail || tail.host !== r.host || tail.port !== r.port || tail.tcp !== r.tcp || tail.parentMtlsCluster !== r.parentMtlsCluster) byDownstream.set(downstream, (tail = this.makeClientTail(r, endpoint)));
    return tail;
  }

  private makeClientTail(r: ClientRecord, endpoint: string | undefined): Tail {
    const callee = this.peers.get(endpoint);
    const caller = this.peers.get(r.fromPod);
    const proxy = this.peers.xds.proxies[r.waypoint ?? r.fromPod];
    const port = r.cluster && endpoint ? endpointPort(proxy?.clusters[r.cluster]?.endpoints, endpoint) : undefined;
    const upstreamHost = callee && port !== undefined ? `${callee.pod.ip}:${port}` : undefined;
    // A waypoint's own address is not simulated.
    const upstreamLocalIp = callee && caller && r.waypoint === undefined ? caller.pod.ip : undefined;
    const gateway = caller?.pod.gateway === true;
    const downstreamLocal = gateway ? `${caller.pod.ip}:${boundGatewayPort(proxy?.gateway, r.port)}` : `${this.serviceAddress(r.host)}:${r.port}`;
    const downstreamRemoteIp = gateway ? (this.peers.get(r.parentCaller)?.pod.ip ?? OUTSIDE) : (caller?.pod.ip ?? OUTSIDE);
    const tail = this.template(r, upstreamHost, r.cluster, upstreamLocalIp, downstreamLocal, downstreamRemoteIp);
    tail.waypoint = r.waypoint;
    tail.gateway = gateway;
    tail.sni = gateway ? this.gatewaySni(r, proxy?.gateway) : r.tcp ? this.peers.clientSni(r.host, r.port, r.routeOrigin) : '-';
    tail.parentMtlsCluster = r.parentMtlsCluster;
    return tail;
  }

  /**
   * `%REQUESTED_SERVER_NAME%` at a gateway: the SNI an outside client sends
   * to a TLS server (terminated there or passed through), the host it
   * dialled; none over plain text. A sidecar that reaches an egress gateway
   * over Istio mTLS sends its cluster's SNI (`outbound_.443_.cnn_.istio-egressgateway…`,
   * or its DestinationRule's `sni`);
   * one that passes its app's TLS through, the host the app dialled, which
   * the gateway's PASSTHROUGH chain matched (a `tls` route).
   */
  private gatewaySni(r: ClientRecord, gateway: GatewayXds | undefined): string {
    if (r.parentCaller !== undefined) {
      if (r.parentMtlsCluster !== undefined) return this.mtlsSni(r.parentCaller, r.parentMtlsCluster);
      return r.routeOrigin?.kind === 'l4Route' && r.routeOrigin.section === 'tls' ? r.host : '-';
    }
    return gateway?.servers.some((s) => s.port === r.port && s.tls !== undefined) === true ? r.host : '-';
  }

  /** What a server line of this callee, caller and cluster says the same every time (undefined: the callee has no peer). */
  serverTail(r: ServerRecord): Tail | undefined {
    this.checkConfig();
    let byCaller = this.serverTails.get(r.pod);
    if (!byCaller) this.serverTails.set(r.pod, (byCaller = new Map()));
    let byCluster = byCaller.get(r.fromPod);
    if (!byCluster) byCaller.set(r.fromPod, (byCluster = new Map()));
    let tail = byCluster.get(r.cluster);
    if (!tail || tail.host !== r.host || tail.port !== r.port || tail.tcp !== r.tcp) {
      const callee = this.peers.get(r.pod);
      if (!callee) return undefined;
      const port = this.peers.arrivalPort(r);
      const local = `${callee.pod.ip}:${port}`;
      const remote = this.peers.get(r.fromPod)?.pod.ip ?? OUTSIDE;
      tail = this.template(r, local, `inbound|${port}||`, INBOUND_PASSTHROUGH, local, remote);
      tail.denied = this.template(r, undefined, undefined, undefined, local, remote);
      byCluster.set(r.cluster, tail);
    }
    return tail;
  }

  /** A line's template from the request's authority (none over a TCP proxy) to the downstream remote port; `-` (JSON `null`) for each field undefined. */
  private template(r: { host: string; port: number; tcp: boolean }, upstreamHost: string | undefined, cluster: string | undefined, upstreamLocalIp: string | undefined, downstreamLocal: string, downstreamRemoteIp: string): Tail {
    const authority = r.tcp ? undefined : authorityOf(r);
    if (this.text) {
      return tailOf(
        r,
        utf8(`" "${authority ?? '-'}" "${upstreamHost ?? '-'}" ${cluster ?? '-'} ${upstreamLocalIp === undefined ? '-' : `${upstreamLocalIp}:`}`),
        upstreamLocalIp !== undefined,
        utf8(` ${downstreamLocal} ${downstreamRemoteIp}:`),
      );
    }
    const j = this.json;
    const local = upstreamLocalIp === undefined ? undefined : j.of(`${upstreamLocalIp}:`);
    return tailOf(
      r,
      // The port goes inside the string: the template keeps its opening quote and the rest of the field follows the port.
      utf8(`,"authority":${authority === undefined ? 'null' : j.of(authority)},"upstream_host":${upstreamHost === undefined ? 'null' : j.of(upstreamHost)},"upstream_cluster":${cluster === undefined ? 'null' : j.of(cluster)},"upstream_local_address":${local === undefined ? NO_LOCAL_JSON : local.slice(0, -1)}`),
      local !== undefined,
      utf8(`${local === undefined ? '' : '",'}${local === undefined ? '' : '"downstream_local_address":'}${j.of(downstreamLocal)},"downstream_remote_address":${j.of(`${downstreamRemoteIp}:`).slice(0, -1)}`),
    );
  }

  /** Templates are made anew after a push (endpoints and their ports may have moved). */
  private checkConfig(): void {
    if (this.xds === this.peers.xds) return;
    this.xds = this.peers.xds;
    this.clientTails.clear();
    this.serverTails.clear();
    this.snis.clear();
  }

  /** The container port the callee's sidecar forwards to (the Service's target port). */

  private readonly serviceAddresses = new Map<string, string>();

  private serviceAddress(host: string): string {
    let address = this.serviceAddresses.get(host);
    if (address === undefined) this.serviceAddresses.set(host, (address = this.peers.address(host)));
    return address;
  }

  private readonly snis = new Map<string, string>();

  /** The SNI a caller's sidecar sends over Istio mTLS on `cluster`: its DestinationRule's `sni`, else the cluster's own (kept per cluster: a DestinationRule is the host's, whoever calls). */
  mtlsSni(caller: string, cluster: string): string {
    this.checkConfig();
    let sni = this.snis.get(cluster);
    if (sni === undefined) this.snis.set(cluster, (sni = this.peers.xds.proxies[caller]?.clusters[cluster]?.tls.sni ?? sniOf(cluster)));
    return sni;
  }
}

/**
 * What the lines of one caller, callee and cluster share, split where a
 * line's own numbers go: `head` from the authority to the upstream local
 * address (its `ip:`, or `-` when there is none), then the upstream local
 * port when `local`, `mid`, the downstream remote port.
 *
 * Every tail is made by `tailOf`, every field set there: the access log
 * reads them for every line, and tails of one shape keep those reads
 * quick (fields added later, in an order that differed between client and
 * server tails, made them tails of several shapes, each read then a
 * search; it cost more than writing the line).
 */
export interface Tail {
  host: string;
  port: number;
  /** Made for a TCP proxy's line (no authority). */
  tcp: boolean;
  head: Uint8Array;
  /** Whether the upstream local address has a port to follow `head` (a line with an upstream connection). */
  local: boolean;
  mid: Uint8Array;
  /** A server line whose request the callee's sidecar denied: no upstream. */
  denied: Tail | undefined;
  /** A client line's waypoint, when one routed the request (ambient). */
  waypoint: string | undefined;
  /** A gateway's line: its templates differ by downstream (`byDownstream`, kept on the first one made). */
  gateway: boolean;
  /** A client line's `%REQUESTED_SERVER_NAME%` (`-`: none). */
  sni: string;
  /** A gateway's line: the mTLS cluster of the sidecar that reached it, whose SNI `sni` is. */
  parentMtlsCluster: string | undefined;
  byDownstream: Map<string, Tail> | undefined;
  /** What the access log made of this tail's requests and outcomes (its `LineShape`s), and the place of the oldest, replaced next once all are taken. */
  shapes: LineShape[];
  nextShape: number;
}

function tailOf(r: { host: string; port: number; tcp: boolean }, head: Uint8Array, local: boolean, mid: Uint8Array): Tail {
  return { host: r.host, port: r.port, tcp: r.tcp, head, local, mid, denied: undefined, waypoint: undefined, gateway: false, sni: '-', parentMtlsCluster: undefined, byDownstream: undefined, shapes: [], nextShape: 0 };
}

/** The port of `pod`'s endpoint among `endpoints`. */


const NO_LOCAL_JSON = 'null,"downstream_local_address":';
