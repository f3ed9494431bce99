import type { IstioMetric, MetricsPolicy, ResponseFlag, TagOverride } from '../../model/index.ts';
import type { Peer, PeerIndex, ServiceLabels } from '../PeerIndex.ts';
import { ISTIO_CLUSTER, UNKNOWN } from '../PeerIndex.ts';
import { responseBytes } from '../records.ts';
import type { ClientRecord, ServerRecord } from '../records.ts';
import { authorityOf, requestValue } from '../requestValue.ts';
import { labelText, MetricFamily, observe, tcpFamilies } from './MetricFamily.ts';
import type { Series } from './MetricFamily.ts';

type Reporter = 'source' | 'destination' | 'waypoint';

/** Istio's standard HTTP metrics (mesh-semantics §8.2; istio.io `reference/config/metrics`), in the order a scrape lists them. */
const FAMILIES: ReadonlyArray<{ metric: keyof MetricsPolicy['tags']; name: string; type: 'counter' | 'histogram'; help: string }> = [
  { metric: 'REQUEST_COUNT', name: 'istio_requests_total', type: 'counter', help: 'Requests handled by an Istio proxy.' },
  { metric: 'REQUEST_DURATION', name: 'istio_request_duration_milliseconds', type: 'histogram', help: 'Duration of requests, in milliseconds.' },
  { metric: 'REQUEST_SIZE', name: 'istio_request_bytes', type: 'histogram', help: 'Size of HTTP requests (headers and body), in bytes.' },
  { metric: 'RESPONSE_SIZE', name: 'istio_response_bytes', type: 'histogram', help: 'Size of HTTP responses (headers and body), in bytes.' },
];

/** The names Telemetry's `match.metric` uses for the HTTP families, and for the TCP ones in the order of `tcpFamilies`. */
const HTTP_METRICS: readonly IstioMetric[] = FAMILIES.map((f) => f.metric);
const TCP_METRICS: readonly IstioMetric[] = ['TCP_OPENED_CONNECTIONS', 'TCP_CLOSED_CONNECTIONS', 'TCP_RECEIVED_BYTES', 'TCP_SENT_BYTES'];

/**
 * Istio's standard metrics as both sidecars report them: the caller's
 * (`reporter="source"`, at the end of the request, after its retries) and
 * the callee's (`reporter="destination"`, per attempt that reached it). A
 * side without a sidecar reports nothing; under ambient a waypoint reports
 * the requests it routed (`reporter="waypoint"`) and ztunnels report only
 * TCP (`ZtunnelMetrics`). Labels are Istio's, in the
 * order the istio/proxy stats filter emits them; Telemetry resources
 * disable metrics and remove or set tags per sidecar and side.
 *
 * Series are summed over a workload's pods (a real Prometheus keeps one per
 * scraped pod, with `pod` and `instance` labels that these have not).
 *
 * Bodies are not simulated: the byte histograms count the request line or
 * status line and headers, as an HTTP/1.1 peer would send them.
 */
export class IstioMetrics {
  /** The HTTP families, then (unless a ztunnel's metrics write them) the TCP ones. */
  readonly families: MetricFamily[];
  /**
   * The series one kind of report counts toward, by source and destination
   * peer (an array index), host, code and security policy, then flags:
   * found once, so a request builds no label text and hashes no new string
   * (sidecars whose Telemetry changes tags go the long way).
   */
  private cache: Cache = [];
  /** The same for connections a TCP proxy reports, without a code (all four TCP series of one kind). */
  private tcpCache: Cache = [];
  private readonly made = new Map<string, ServiceLabels>();
  private readonly addresses = new Map<string, Map<number, string>>();
  private readonly http: MetricFamily[] = FAMILIES.map((f) => new MetricFamily(f.name, f.type, f.help));
  private readonly tcp: MetricFamily[];

  constructor(
    private readonly peers: PeerIndex,
    /** The TCP families when they are shared (with `ZtunnelMetrics`, which then writes them); else its own. */
    sharedTcp?: MetricFamily[],
  ) {
    this.tcp = sharedTcp ?? tcpFamilies();
    this.families = sharedTcp ? this.http : [...this.http, ...this.tcp];
  }

  /** A push may have changed the sidecars' Telemetry policies: series are found anew (the ones made so far stay). */
  configChanged(): void {
    this.cache = [];
    this.tcpCache = [];
  }

  client(r: ClientRecord): void {
    // A shadow copy leaves through the router's async client: the caller's stats filter never sees it (`ClientRecord.shadow`).
    if (r.shadow) return;
    const caller = this.peers.get(r.fromPod);
    const last = r.attempts[r.attempts.length - 1];
    const callee = knownPeer(this.peers.get(last?.endpoint));
    if (r.waypoint !== undefined) {
      // A waypoint reports as the server-gateway reporter, `reporter="waypoint"` (Istio src pilot/pkg/model/telemetry.go,
      // generateStatsConfig: Reporter_SERVER_GATEWAY for waypoints), once per request it routed: the caller as source,
      // the endpoint it picked as destination, over HBONE (tests/integration/ambient/baseline_test.go, buildQuery).
      const waypoint = this.peers.get(r.waypoint);
      if (waypoint) countRequest(this.series('http', waypoint.policy.metrics.client, 'waypoint', caller, callee, clientKey(r), r, r.status, r.flags, 'mutual_tls', undefined), r, r.status);
      return;
    }
    if (!caller) return;
    const series = this.series(r.tcp ? 'tcp' : 'http', caller.policy.metrics.client, 'source', caller, callee, clientKey(r), r, r.tcp ? 0 : r.status, r.flags, UNKNOWN, undefined);
    if (r.tcp) countConnection(series, r.requestBytes, responseBytes(r.status));
    else countRequest(series, r, r.status);
  }

  server(r: ServerRecord): void {
    const callee = this.peers.get(r.pod);
    if (!callee) return;
    const caller = r.sourceWorkload === UNKNOWN ? undefined : this.peers.get(r.fromPod);
    // The callee's service follows from the caller's cluster (or, from a caller without a sidecar, the address dialled).
    const key = r.cluster ?? this.addressKey(r.host, r.port);
    const security = r.mtls ? 'mutual_tls' : 'none';
    const series = this.series(r.tcp ? 'tcp' : 'http', callee.policy.metrics.server, 'destination', caller, callee, key, r, r.tcp ? 0 : r.status, NO_FLAGS, security, r.sourcePrincipal);
    // A connection its RBAC filter closes carries no bytes.
    if (r.tcp) countConnection(series, r.denied ? 0 : r.requestBytes, r.denied ? 0 : responseBytes(r.status));
    else countRequest(series, r, r.status);
  }

  /**
   * The service a client proxy's report names (istio/proxy
   * `istio_stats.cc`, `populatePeerInfo`): the one in the metadata of the
   * cluster the request went to — a gateway's request for
   * `shop.example.com` routed to web counts toward web's Service —; for
   * istiod's catch-all routes and clusters, their names
   * (`PassthroughCluster`, `BlackHoleCluster`); else, at a sidecar, the
   * Host header (at a gateway and a waypoint that fallback is off: Istio
   * src pilot/pkg/model/telemetry.go, `disableHostHeaderFallback`, and the
   * waypoint's server-gateway reporter has none). The namespace is the
   * service's, else the callee's.
   */
  private clientService(r: ClientRecord, sidecar: Peer | undefined, callee: Peer | undefined): ServiceLabels {
    const route = r.route;
    const cluster = r.cluster;
    const istiod = route === 'block_all' ? 'BlackHoleCluster' : route === 'allow_any' ? 'PassthroughCluster' : cluster !== undefined && ISTIOD_CLUSTERS.has(cluster) ? cluster : undefined;
    const found = istiod === undefined ? this.peers.clusterService(cluster) : undefined;
    if (found) return found;
    const host = sidecar && !sidecar.pod.gateway ? authorityOf(r) : UNKNOWN;
    return this.labels(host, istiod ?? host, sidecar ? (callee?.namespace ?? UNKNOWN) : UNKNOWN);
  }

  /**
   * The service a destination sidecar's report names: the one in its
   * inbound cluster's metadata (the pod's Service on the port the request
   * reached), else its own canonical service; the namespace is always the
   * pod's (`istio_stats.cc`: the Host-header fallback is off for inbound).
   */
  private serverService(r: ServerRecord, callee: Peer): ServiceLabels {
    const found = this.peers.inboundService(r.pod, this.peers.arrivalPort(r));
    if (found && found.namespace === callee.namespace) return found;
    return this.labels(found?.host ?? callee.canonicalService, found?.name ?? callee.canonicalService, callee.namespace);
  }

  /**
   * `destination_cluster` when the caller knows no peer: the cluster id
   * istiod writes into the endpoint metadata of a ServiceEntry's host
   * (Istio 1.26–1.29, `convertEndpoint`'s locality), so a call to an
   * external host declared by an entry names it; none for a host reached
   * through an ORIGINAL_DST cluster (PassthroughCluster, an entry with
   * resolution NONE: no endpoint metadata) or no endpoint at all.
   */
  private endpointCluster(r: ClientRecord): string {
    if (r.cluster === undefined) return UNKNOWN;
    const endpoint = r.attempts[r.attempts.length - 1]?.endpoint;
    const cluster = this.peers.xds.proxies[r.waypoint ?? r.fromPod]?.clusters[r.cluster];
    return this.peers.get(endpoint)?.pod.external && cluster && !cluster.originalDestination && this.peers.clusterService(r.cluster) ? ISTIO_CLUSTER : UNKNOWN;
  }

  /** `host:port`, made once per address. */
  private addressKey(host: string, port: number): string {
    let byPort = this.addresses.get(host);
    if (!byPort) this.addresses.set(host, (byPort = new Map()));
    let key = byPort.get(port);
    if (key === undefined) byPort.set(port, (key = `${host}:${port}`));
    return key;
  }

  /** Labels not in any cluster's metadata, made once each. */
  private labels(host: string, name: string, namespace: string): ServiceLabels {
    const key = `${host}\n${name}\n${namespace}`;
    let found = this.made.get(key);
    if (!found) this.made.set(key, (found = { host, name, namespace }));
    return found;
  }

  /**
   * The series one report counts toward (one per family of its protocol;
   * none for a metric its Telemetry disables), found in the cache or made
   * with their label text: `countRequest` and `countConnection` count them.
   */
  private series(
    protocol: 'http' | 'tcp',
    policy: MetricsPolicy,
    reporter: Reporter,
    source: Peer | undefined,
    destination: Peer | undefined,
    serviceKey: string,
    r: ClientRecord | ServerRecord,
    status: number,
    flags: readonly ResponseFlag[],
    security: string,
    sourcePrincipal: string | undefined,
  ): Array<Series | undefined> {
    const flagText = flags.length === 0 ? '-' : flags.length === 1 ? (flags[0] as string) : flags.join(',');
    const changesTags = hasTagChanges(policy);
    const cache = protocol === 'http' ? this.cache : this.tcpCache;
    // The reporter and security policy (`unknown` only at the source; the waypoint's always mTLS) and, under mTLS, the source principal.
    const pair = (source?.index ?? 0) * this.peers.size + (destination?.index ?? 0);
    const byService = cache[pair] ?? (cache[pair] = new Map<string, Map<number, Map<string, Array<Series | undefined>>>>());
    const kind = reporter === 'waypoint' ? 3 : security === 'unknown' ? 0 : security === 'mutual_tls' ? 1 : 2;
    const byFlags: Map<string, Array<Series | undefined>> = child(child(byService, serviceKey), status * 4 + kind);
    let series = changesTags ? undefined : byFlags.get(flagText);
    if (!series) {
      // The destination side always knows itself; a client proxy knows the callee's cluster from its peer or the endpoint's metadata.
      const server = reporter === 'destination';
      const service = server ? this.serverService(r as ServerRecord, destination as Peer) : this.clientService(r as ClientRecord, reporter === 'source' ? source : undefined, destination);
      const destinationCluster = server || destination ? ISTIO_CLUSTER : this.endpointCluster(r as ClientRecord);
      const labels = istioLabels(reporter, source, destination, service, status, flagText, security, sourcePrincipal, destinationCluster, protocol);
      const [families, metrics] = protocol === 'http' ? [this.http, HTTP_METRICS] : [this.tcp, TCP_METRICS];
      series = families.map((family, i) => {
        const metric = metrics[i] as IstioMetric;
        if (policy.disabled.includes(metric)) return undefined;
        const text = labelText(withTags(labels, policy.tags[metric], r));
        return family.at(text, () => text);
      });
      if (!changesTags) byFlags.set(flagText, series);
    }
    return series;
  }
}

/** An HTTP request, on its series (`IstioMetrics.series`): counted, its duration and sizes observed. */
function countRequest(series: Array<Series | undefined>, r: ClientRecord | ServerRecord, status: number): void {
  const [count, duration, requestSize, responseSize] = series;
  if (count) count.value += 1;
  if (duration) observe(duration, (r.end - r.start) / 1000);
  if (requestSize) observe(requestSize, r.requestBytes);
  if (responseSize) observe(responseSize, responseBytes(status));
}

/**
 * A connection an Envoy TCP proxy carried (a gateway's PASSTHROUGH or TCP
 * server, a sidecar's listener for a TCP port), on its series: the istio
 * stats filter's network form (istio/proxy source/extensions/filters/http/
 * istio_stats/istio_stats.cc, `reportHelper` without an HTTP stream) counts
 * it opened and closed, and the bytes read from its downstream (received:
 * the request) and written back (sent: the answer), with the HTTP labels
 * less `response_code` and `grpc_response_status`,
 * `request_protocol="tcp"`. Its first report waits for the peer's metadata
 * or the close; a connection here lasts one request, so all four count
 * when it closes.
 */
function countConnection(series: Array<Series | undefined>, receivedBytes: number, sentBytes: number): void {
  const [opened, closed, received, sent] = series;
  if (opened) opened.value += 1;
  if (closed) closed.value += 1;
  if (received) received.value += receivedBytes;
  if (sent) sent.value += sentBytes;
}

/** By source and destination peer (`Peer.index`, 0 for none: source × peers + destination), then service, code and security policy, then flags. */
type Cache = Array<Map<string, Map<number, Map<string, Array<Series | undefined>>>> | undefined>;

/**
 * What decides a client report's service: the route's cluster when it is
 * one of a service's (`outbound|…`); else the route and the address dialled
 * (the Host header fallback), made into a string only on that path.
 */
function clientKey(r: ClientRecord): string {
  const cluster = r.cluster;
  // istiod's catch-all routes go to PassthroughCluster (allow_any) or to no cluster (block_all): never an outbound one.
  if (cluster !== undefined && cluster.startsWith('outbound|')) return cluster;
  return `${r.route ?? ''}|${cluster ?? ''}|${r.host}:${r.port}`;
}

/** istiod's clusters that no service owns: the stats filter names them as the service (`istio_stats.cc`). */
const ISTIOD_CLUSTERS = new Set(['BlackHoleCluster', 'PassthroughCluster', 'InboundPassthroughCluster', 'InboundPassthroughClusterIpv4', 'InboundPassthroughClusterIpv6']);

/**
 * The callee's peer as a caller's sidecar knows it. An external host's
 * stand-in without a sidecar sends no peer metadata, and the endpoint
 * metadata istiod writes for a ServiceEntry's host has no workload, app,
 * version or canonical names (istio/proxy `istio_stats.cc`,
 * `populatePeerInfo` falling back to `extractEndpointMetadata`; Istio src
 * pilot/pkg/serviceregistry/serviceentry/conversion.go, `convertEndpoint`,
 * before 1.30): its labels are `unknown` (the revision `latest`).
 */
function knownPeer(p: Peer | undefined): Peer | undefined {
  return p?.pod.external && !p.pod.sidecar ? undefined : p;
}

/** `map`'s map under `key`, made on first use. */
function child<K, V extends Map<unknown, unknown>>(map: Map<K, V>, key: K): V {
  let found = map.get(key);
  if (!found) map.set(key, (found = new Map() as V));
  return found;
}

function hasTagChanges(policy: MetricsPolicy): boolean {
  const t = policy.tags;
  return t.REQUEST_COUNT.length + t.REQUEST_DURATION.length + t.REQUEST_SIZE.length + t.RESPONSE_SIZE.length + t.TCP_OPENED_CONNECTIONS.length + t.TCP_CLOSED_CONNECTIONS.length + t.TCP_RECEIVED_BYTES.length + t.TCP_SENT_BYTES.length > 0;
}

const NO_FLAGS: readonly ResponseFlag[] = [];

/** Istio's labels with a Telemetry's tag changes applied, in order. */
function withTags(labels: ReadonlyArray<[string, string]>, tags: readonly TagOverride[], r: ClientRecord | ServerRecord): Array<[string, string]> {
  const pairs = [...labels];
  for (const t of tags) {
    const at = pairs.findIndex(([k]) => k === t.tag);
    if (t.op === 'remove') {
      if (at >= 0) pairs.splice(at, 1);
      continue;
    }
    const value = requestValue(t.value, r);
    if (at >= 0) pairs[at] = [t.tag, value];
    else pairs.push([t.tag, value]);
  }
  return pairs;
}

/** The labels of one report, in the istio/proxy stats filter's order (`istio_stats.cc`); missing facts are `unknown`. */
function istioLabels(
  reporter: Reporter,
  s: Peer | undefined,
  d: Peer | undefined,
  service: ServiceLabels,
  status: number,
  flags: string,
  security: string,
  sourcePrincipal: string | undefined,
  destinationCluster: string,
  protocol: 'http' | 'tcp' = 'http',
): Array<[string, string]> {
  const labels: Array<[string, string]> = [
    ['reporter', reporter],
    ['source_workload', s?.workload ?? UNKNOWN],
    ['source_canonical_service', s?.canonicalService ?? UNKNOWN],
    ['source_canonical_revision', s?.canonicalRevision ?? 'latest'],
    ['source_workload_namespace', s?.namespace ?? UNKNOWN],
    ['source_principal', reporter === 'destination' ? (sourcePrincipal ? `spiffe://${sourcePrincipal}` : UNKNOWN) : (s?.principal ?? UNKNOWN)],
    ['source_app', s?.app ?? UNKNOWN],
    ['source_version', s?.version ?? UNKNOWN],
    ['source_cluster', s ? ISTIO_CLUSTER : UNKNOWN],
    ['destination_workload', d?.workload ?? UNKNOWN],
    ['destination_workload_namespace', d?.namespace ?? UNKNOWN],
    ['destination_principal', d && (reporter === 'source' || security === 'mutual_tls') ? d.principal : UNKNOWN],
    ['destination_app', d?.app ?? UNKNOWN],
    ['destination_version', d?.version ?? UNKNOWN],
    ['destination_service', service.host],
    ['destination_canonical_service', d?.canonicalService ?? UNKNOWN],
    ['destination_canonical_revision', d?.canonicalRevision ?? 'latest'],
    ['destination_service_name', service.name],
    ['destination_service_namespace', service.namespace],
    ['destination_cluster', destinationCluster],
    ['request_protocol', protocol],
  ];
  // A TCP connection has no response code or gRPC status (`istio_stats.cc` adds them only for an HTTP stream).
  if (protocol === 'http') labels.push(['response_code', String(status)], ['grpc_response_status', '']);
  labels.push(['response_flags', flags], ['connection_security_policy', security]);
  return labels;
}
