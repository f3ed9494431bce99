import { PROXY_ERRORS } from '../../model/index.ts';
import type { Scenario } from '../../model/index.ts';
import type { Peer, PeerIndex } from '../PeerIndex.ts';
import type { ClientRecord, ServerRecord } from '../records.ts';
import {
  dstLabels,
  inboundPolicyLabels,
  LINKERD_LATENCY_BUCKETS,
  LINKERD_ROUTE_REQUEST_BUCKETS,
  linkerdRouteOf,
  ownerOf,
  policyRouteLabels,
  profileRouteLabels,
  targetLabels,
  tlsAccept,
  tlsConnect,
} from './linkerdLabels.ts';
import { labelText, MetricFamily, observe } from './MetricFamily.ts';
import type { Series } from './MetricFamily.ts';

type Pairs = Array<[string, string]>;

/**
 * The series one report counts toward: a request counter, then (when there
 * was an answer) a duration histogram and a response counter.
 */
interface Counted {
  count: Series;
  duration: Series | undefined;
  /** Whether `duration` is linkerd-proxy's whole milliseconds (else seconds). */
  ms: boolean;
  response: Series | undefined;
}

/**
 * What linkerd-proxy's `/metrics` says of HTTP traffic (names, labels and
 * buckets in `linkerdLabels.ts`, with their sources), written for a run
 * under `flavor: linkerd`:
 *
 * - the endpoint metrics (`http_metrics::Requests` reported without a
 *   prefix): `request_total`, `response_latency_ms` (by `status_code`) and
 *   `response_total` (by `status_code`, `classification`, `grpc_status`,
 *   `error`), once per attempt that reached an endpoint on the outbound
 *   side (`direction="outbound"`, the endpoint's `dst_*` labels; a request
 *   that failed fast never reaches one) and once per request the app was
 *   given on the inbound side (`direction="inbound"`, the policy labels;
 *   a denied request is answered above these metrics);
 * - the route metrics, once per request after its retries: for a policy
 *   route `outbound_http_route_request_statuses_total` (`http_status`, or
 *   the `error` linkerd-proxy names when the proxy made the failure:
 *   FAIL_FAST, LOAD_SHED, REQUEST_TIMEOUT, RESPONSE_HEADERS_TIMEOUT) and
 *   `outbound_http_route_request_duration_seconds`; for a ServiceProfile's
 *   routes the legacy `route_request_total`, `route_response_latency_ms`
 *   and `route_response_total`.
 *
 * Each series carries the labels linkerd-viz's Prometheus adds when it
 * scrapes a proxy (`namespace` and the owner label, e.g. `deployment`) and
 * is summed over a workload's pods (no `pod` label). Not written: the
 * transport, balancer, retry and `route_actual_*` families.
 */
export class LinkerdMetrics {
  private readonly requests = new MetricFamily('request_total', 'counter', 'Total count of HTTP requests.');
  private readonly latency = new MetricFamily('response_latency_ms', 'histogram', "Elapsed times between a request's headers being received and its response stream completing", 'histogram', LINKERD_LATENCY_BUCKETS);
  private readonly responses = new MetricFamily('response_total', 'counter', 'Total count of HTTP responses.');
  private readonly profileRequests = new MetricFamily('route_request_total', 'counter', 'Total count of HTTP requests.');
  private readonly profileLatency = new MetricFamily('route_response_latency_ms', 'histogram', "Elapsed times between a request's headers being received and its response stream completing", 'histogram', LINKERD_LATENCY_BUCKETS);
  private readonly profileResponses = new MetricFamily('route_response_total', 'counter', 'Total count of HTTP responses.');
  private readonly routeStatuses = new MetricFamily('outbound_http_route_request_statuses_total', 'counter', 'Completed request-response streams.');
  private readonly routeDuration = new MetricFamily('outbound_http_route_request_duration_seconds', 'histogram', 'The time between request initialization and response completion.', 'histogram', LINKERD_ROUTE_REQUEST_BUCKETS);
  /** In the order linkerd-proxy's scrape lists them: the legacy reports, then the registry's. */
  readonly families: MetricFamily[] = [this.requests, this.latency, this.responses, this.profileRequests, this.profileLatency, this.profileResponses, this.routeStatuses, this.routeDuration];

  /** Endpoint series by reporting pod × peer (`Peer.index`), then authority, then status × 2 + mTLS: label text is made once per series. */
  private endpointCache: Array<Map<string, Map<number, Counted>> | undefined> = [];
  /** Route series by calling pod, then route name, then authority, then status × 32 + error. */
  private routeCache: Array<Map<string, Map<string, Map<number, Counted>>> | undefined> = [];

  constructor(
    private readonly peers: PeerIndex,
    private readonly scenario: Scenario,
  ) {}

  configChanged(): void {
    this.endpointCache = [];
    this.routeCache = [];
  }

  client(r: ClientRecord): void {
    const caller = this.peers.get(r.fromPod);
    if (!caller || !this.linkerdProxy(caller) || r.shadow) return;
    for (const a of r.attempts) {
      const callee = this.peers.get(a.endpoint);
      // A try that never reached an endpoint (fail-fast, load shed) or was cut off before an answer makes no endpoint response.
      if (!callee || a.end === undefined) continue;
      count(this.endpointSeries(caller, callee, 'outbound', r.host, r.port, a.status, a.mtls, r), a.end - a.start);
    }
    this.route(caller, r);
  }

  server(r: ServerRecord): void {
    const callee = this.peers.get(r.pod);
    if (!callee || !this.linkerdProxy(callee) || r.denied || r.shadow) return;
    const caller = this.peers.get(r.fromPod);
    count(this.endpointSeries(callee, caller, 'inbound', r.host, r.port, r.status, r.mtls, r), r.end - r.start);
  }

  private linkerdProxy(peer: Peer): boolean {
    return this.peers.xds.proxies[peer.pod.name]?.dataPlane === 'linkerd-proxy';
  }

  private endpointSeries(reporter: Peer, peer: Peer | undefined, direction: 'inbound' | 'outbound', host: string, port: number, status: number, mtls: boolean, r: ClientRecord | ServerRecord): Counted {
    const pair = reporter.index * this.peers.size + (peer?.index ?? 0) + (direction === 'inbound' ? this.peers.size * this.peers.size : 0);
    const byAuthority = this.endpointCache[pair] ?? (this.endpointCache[pair] = new Map());
    let byStatus = byAuthority.get(host);
    if (!byStatus) byAuthority.set(host, (byStatus = new Map()));
    const key = (status * 2 + (mtls ? 1 : 0)) * 65_536 + port;
    let found = byStatus.get(key);
    if (!found) {
      const target = direction === 'outbound' ? (peer as Peer) : reporter;
      const targetPort = this.targetPort(r, target);
      const labels: Pairs = [...this.scrapeLabels(reporter), ['direction', direction], ['authority', `${host}:${port}`], ...targetLabels(target.pod.ip, targetPort)];
      if (direction === 'outbound') labels.push(...tlsConnect(mtls, target.pod, this.scenario.mesh.trustDomain), ...dstLabels(target.pod, this.peers.service(host), this.peers.xds.proxies[target.pod.name] !== undefined));
      else labels.push(...tlsAccept(mtls, peer?.pod, this.scenario.mesh.trustDomain), ...inboundPolicyLabels(this.scenario.linkerd, reporter.pod, targetPort));
      found = this.endpointTriple(labels, status);
      byStatus.set(key, found);
    }
    return found;
  }

  /** A request counter by `labels`; when answered, the latency by `status_code` and the response by status and classification (`Class::Http`: a 5xx is a failure). */
  private endpointTriple(labels: Pairs, status: number, families: [MetricFamily, MetricFamily, MetricFamily] = [this.requests, this.latency, this.responses]): Counted {
    const base = labelText(labels);
    const counted: Counted = { count: families[0].at(base, () => base), duration: undefined, ms: true, response: undefined };
    if (status > 0) {
      const withStatus: Pairs = [...labels, ['status_code', String(status)]];
      const latencyText = labelText(withStatus);
      const responseText = labelText([...withStatus, ['classification', status >= 500 ? 'failure' : 'success'], ['grpc_status', ''], ['error', '']]);
      counted.duration = families[1].at(latencyText, () => latencyText);
      counted.response = families[2].at(responseText, () => responseText);
    }
    return counted;
  }

  /** The route metrics of one request at its caller's proxy, after its retries. */
  private route(caller: Peer, r: ClientRecord): void {
    const byName = this.routeCache[caller.index] ?? (this.routeCache[caller.index] = new Map());
    const routeKey = r.route ?? '';
    let byAuthority = byName.get(routeKey);
    if (!byAuthority) byName.set(routeKey, (byAuthority = new Map()));
    let byOutcome = byAuthority.get(r.host);
    if (!byOutcome) byAuthority.set(r.host, (byOutcome = new Map()));
    const error = r.error === undefined ? 0 : PROXY_ERRORS.indexOf(r.error) + 1;
    const key = ((r.error === undefined ? r.status : 0) * 32 + error) * 65_536 + r.port;
    let series = byOutcome.get(key);
    if (!series) {
      const service = this.peers.service(r.host);
      const route = linkerdRouteOf(r.routeOrigin, this.scenario.linkerd, service.name, service.namespace);
      const scrape = this.scrapeLabels(caller);
      if (route.kind === 'profile') {
        const labels: Pairs = [...scrape, ...profileRouteLabels(r.host, r.port, route.name)];
        series = r.error === undefined ? this.endpointTriple(labels, r.status, [this.profileRequests, this.profileLatency, this.profileResponses]) : this.profileError(labels, r.error);
      } else {
        const labels: Pairs = [...scrape, ...policyRouteLabels(service, r.port, route.route), ['hostname', r.host]];
        const statusText = labelText([...labels, ['http_status', r.error === undefined ? String(r.status) : ''], ['error', r.error ?? '']]);
        const durationText = labelText(labels);
        series = { count: this.routeStatuses.at(statusText, () => statusText), duration: this.routeDuration.at(durationText, () => durationText), ms: false, response: undefined };
      }
      byOutcome.set(key, series);
    }
    count(series, r.end - r.start);
  }

  /**
   * A ServiceProfile route's request the proxy failed itself: counted, and a
   * `failure` response named by the legacy classifier (`app/core/src/classify.rs`
   * `error`: `timeout` for a timeout, else `unclassified`), without a status or latency.
   */
  private profileError(labels: Pairs, error: string): Counted {
    const base = labelText(labels);
    const word = error === 'REQUEST_TIMEOUT' || error === 'RESPONSE_HEADERS_TIMEOUT' ? 'timeout' : 'unclassified';
    const responseText = labelText([...labels, ['classification', 'failure'], ['grpc_status', ''], ['error', word]]);
    return { count: this.profileRequests.at(base, () => base), duration: undefined, ms: true, response: this.profileResponses.at(responseText, () => responseText) };
  }

  /** The labels linkerd-viz's Prometheus gives a scraped proxy: its pod's namespace and owner (`deployment="api"`). */
  private scrapeLabels(peer: Peer): Pairs {
    const owner = ownerOf(peer.pod);
    return [
      ['namespace', peer.namespace],
      [owner.kind, owner.name],
    ];
  }

  /** The container port behind the Service port the request dialled (the endpoint's port). */
  private targetPort(r: ClientRecord | ServerRecord, target: Peer): number {
    const xds = this.peers.xds;
    const endpoints = (r.cluster ? xds.proxies[r.fromPod]?.clusters[r.cluster]?.endpoints : undefined) ?? xds.kubeServices[`${r.host}:${r.port}`]?.endpoints;
    for (const e of endpoints ?? []) if (e.pod === target.pod.name) return e.port;
    return r.port;
  }
}

/** One request (or try) of `durationUs` counted: always the request, the duration and response when it was answered. */
function count(c: Counted, durationUs: number): void {
  c.count.value += 1;
  // linkerd-proxy's latency histograms take whole milliseconds (`latency::Ms` into u64).
  if (c.duration) observe(c.duration, c.ms ? Math.floor(durationUs / 1000) : durationUs / 1_000_000);
  if (c.response) c.response.value += 1;
}
