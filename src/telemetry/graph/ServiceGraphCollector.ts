import { declaredPort, istioProtocolOf, isTcpProxied } from '../../model/index.ts';
import type { ExternalService, MeshEvent, MeshSettings, Pod, ResponseFlag, Service, Workload } from '../../model/index.ts';
import { LatencyHistogram } from '../LatencyHistogram.ts';
import { responseBytes } from '../records.ts';
import { canonicalNames } from './canonicalNames.ts';
import type { GraphEdge, GraphNode, GraphType, ServiceGraph } from './ServiceGraph.ts';

/** Istio's default cluster id, the one Kiali's node ids carry in a single-cluster mesh. */
export const CLUSTER = 'Kubernetes';
/** How the destination sidecar names a caller it cannot identify (no sidecar, or outside the mesh). */
const UNKNOWN = 'unknown';

interface InFlight {
  source: string;
  /** The destination service: the host dialled, then the service of the cluster the route picked (Istio's `destination_service`). */
  host: string;
  /** Whether the caller's sidecar reports it (Istio's source reporter). */
  reported: boolean;
  /** Whether its last attempt crossed the wire over mTLS; undefined until one crossed it. */
  mtls: boolean | undefined;
  /** The caller's proxy carried it as a TCP proxy (a gateway's `tls`/`tcp` route, a sidecar's TCP port): Kiali draws a TCP edge. */
  tcp: boolean;
  /** The callee's sidecar took it on a TCP port (the service port of the cluster the route picked, or of the address dialled). */
  serverTcp: boolean;
}

/** A node an edge ends at: a workload, a service by its host, or a ServiceEntry as seen from a namespace (Kiali's service-entry node). */
type EdgeEnd = { kind: 'workload'; name: string } | { kind: 'service'; host: string } | { kind: 'serviceEntry'; entry: EntryInfo; namespace: string };

interface EdgeTally {
  source: EdgeEnd;
  target: EdgeEnd;
  /** The service host of the requests (for a ServiceEntry's node, the first of its hosts counted). */
  host: string;
  reporter: GraphEdge['reporter'];
  protocol: GraphEdge['protocol'];
  /** Bytes written back to the caller by flag set (a TCP edge's rate, as Kiali's default `sent`). */
  sentBytes: Map<string, number>;
  requests: number;
  responses: Map<number, Map<string, number>>;
  mtls: number;
  plaintext: number;
  latency: LatencyHistogram;
}

export type GraphScenario = {
  mesh: Pick<MeshSettings, 'clusterDomain'>;
  workloads: readonly Workload[];
  services: readonly Service[];
  /** The pods: a ServiceEntry endpoint's stand-in is a workload of its own, and its sidecar decides how Kiali draws the entry. */
  pods?: readonly Pick<Pod, 'name' | 'workload' | 'namespace' | 'labels' | 'sidecar' | 'external'>[];
  externalServices?: readonly Pick<ExternalService, 'host' | 'serviceEntry' | 'namespace' | 'meshInternal' | 'pod' | 'endpointPods' | 'ports'>[];
};

/**
 * A ServiceEntry as Kiali's service-entry node shows it (kiali/kiali
 * graph/telemetry/istio/appender/service_entry.go): named after the entry,
 * listing its hosts and location. `terminal`: no endpoint of it has a
 * sidecar, so the caller's report names no destination workload and Kiali's
 * node for its host is a terminal service node, which the appender replaces
 * by the entry's node; an entry whose endpoints are meshed keeps a service
 * node per host, in the entry's namespace, in front of their workload.
 */
interface EntryInfo {
  key: string;
  name: string;
  namespace: string;
  hosts: string[];
  location: 'MESH_EXTERNAL' | 'MESH_INTERNAL';
  terminal: boolean;
}

/**
 * Folds the event stream into the service graph (`ServiceGraph`). Holds the
 * requests in flight and one tally per edge, so memory does not grow with the
 * length of the run. `restart()` zeroes the tallies and keeps the requests in
 * flight, for a graph of a recent window.
 */
export class ServiceGraphCollector {
  private readonly inFlight = new Map<number, InFlight>();
  /** The workloads any edge has reached since the collector began (`restart` keeps them): none of them is a root of the service graph. */
  private readonly called = new Set<string>();
  private readonly edges = new Map<string, EdgeTally>();
  private readonly workloads = new Map<string, Workload>();
  /** The workloads of ServiceEntry endpoints' stand-ins (drawn when called, never as idle nodes). */
  private readonly standIns = new Map<string, Pick<Workload, 'name' | 'namespace' | 'labels' | 'sidecar'>>();
  /** ServiceEntries by each of their hosts. */
  private readonly entries = new Map<string, EntryInfo>();
  /** Whether a `host:port` is a port Istio proxies as TCP, found once. */
  private readonly tcpPorts = new Map<string, boolean>();

  constructor(private readonly scenario: GraphScenario) {
    for (const w of scenario.workloads) if (!this.workloads.has(w.name)) this.workloads.set(w.name, w);
    const pods = new Map((scenario.pods ?? []).map((p) => [p.name, p]));
    for (const p of pods.values()) {
      if (p.external && !this.workloads.has(p.workload) && !this.standIns.has(p.workload)) this.standIns.set(p.workload, { name: p.workload, namespace: p.namespace, labels: p.labels, sidecar: p.sidecar });
    }
    const byEntry = new Map<string, EntryInfo>();
    for (const e of scenario.externalServices ?? []) {
      if (e.serviceEntry === undefined || e.namespace === undefined) continue;
      let entry = byEntry.get(e.serviceEntry);
      if (!entry) {
        const name = e.serviceEntry.slice(e.serviceEntry.lastIndexOf('/') + 1);
        byEntry.set(e.serviceEntry, (entry = { key: e.serviceEntry, name, namespace: e.namespace, hosts: [], location: e.meshInternal ? 'MESH_INTERNAL' : 'MESH_EXTERNAL', terminal: true }));
      }
      entry.hosts.push(e.host);
      if ((e.endpointPods ?? [e.pod]).some((name) => pods.get(name)?.sidecar === true)) entry.terminal = false;
      this.entries.set(e.host, entry);
    }
  }

  readonly add = (e: MeshEvent): void => {
    switch (e.kind) {
      case 'request.start': {
        // A mirrored copy's answer goes nowhere: only the destination counts it.
        const tcpPort = this.isTcpPort(e.host, e.port);
        // A gateway's listeners are its servers: its TCP proxies are its `tls`/`tcp` routes (route.match).
        const tcp = e.viaSidecar && tcpPort && this.workloads.get(e.fromWorkload)?.gateway !== true;
        this.inFlight.set(e.requestId, { source: e.viaSidecar ? e.fromWorkload : UNKNOWN, host: e.host, reported: e.viaSidecar && e.origin.kind !== 'mirror', mtls: undefined, tcp, serverTcp: tcpPort });
        return;
      }
      case 'route.match': {
        const request = this.inFlight.get(e.requestId);
        if (!request) return;
        // istiod's catch-all routes: Istio names the service after the cluster they stand for.
        if (e.route === 'block_all' || e.route === 'allow_any') request.host = e.route === 'block_all' ? 'BlackHoleCluster' : 'PassthroughCluster';
        if (e.origin.kind === 'l4Route') request.tcp = true;
        return;
      }
      case 'route.cluster': {
        // A gateway's request for shop.example.com routed to web is a call to web's Service, as Istio's metrics label it.
        const request = this.inFlight.get(e.requestId);
        const service = clusterService(e.cluster);
        if (request && service !== undefined) {
          request.host = service;
          request.serverTcp = this.isTcpPort(service, clusterPort(e.cluster));
        }
        return;
      }
      case 'hop.send': {
        const request = this.inFlight.get(e.requestId);
        if (request && e.direction === 'request' && e.where.kind === 'wire') request.mtls = e.mtls;
        return;
      }
      case 'request.end': {
        const request = this.inFlight.get(e.requestId);
        if (!request) return;
        this.inFlight.delete(e.requestId);
        if (request.reported) this.count(this.workloadToService(request.source, request.host, 'source', request.tcp), e.status, e.flags, e.duration, request.mtls);
        return;
      }
      case 'inbound.complete': {
        const request = this.inFlight.get(e.requestId);
        const service = request?.host ?? e.destinationService;
        const tcp = request?.serverTcp === true;
        this.count(serviceToWorkload(service, e.destinationWorkload, tcp), e.status, NO_FLAGS, e.duration, e.mtls);
        // Without the caller's own report, the destination's is all there is of the call.
        if (e.sourceWorkload === UNKNOWN) this.count(this.workloadToService(UNKNOWN, service, 'destination', tcp), e.status, NO_FLAGS, e.duration, e.mtls);
        return;
      }
      default:
        return;
    }
  };

  /** Zeroes every edge's counts (requests in flight are kept, and counted when they end). */
  restart(): void {
    this.edges.clear();
  }

  /**
   * The graph of what was counted, over `durationMs` of simulated time.
   * `idle`: also the workloads and services that saw no traffic.
   */
  graph(durationMs: number, options: { type?: GraphType; idle?: boolean } = {}): ServiceGraph {
    const type = options.type ?? 'versionedApp';
    const nodes = new Map<string, GraphNode>();
    const nodeOf = (end: EdgeEnd): GraphNode => {
      const node = end.kind === 'workload' ? this.workloadNode(end.name, type) : end.kind === 'service' ? this.serviceNode(end.host) : entryNode(end.entry, end.namespace);
      if (!nodes.has(node.id)) nodes.set(node.id, node);
      return node;
    };
    if (options.idle) {
      // A service graph has no idle workloads: a workload is drawn there only when it calls and nothing calls it.
      if (type !== 'service') for (const w of this.workloads.values()) nodeOf({ kind: 'workload', name: w.name });
      for (const s of this.scenario.services) nodeOf({ kind: 'service', host: `${s.name}.${s.namespace}.svc.${this.scenario.mesh.clusterDomain}` });
    }
    // Kiali draws one edge per protocol between two nodes: in an app graph the versions of an app are one node, so their tallies add up.
    const byEdge = new Map<string, { source: string; target: string; tally: EdgeTally }>();
    for (const tally of type === 'service' ? this.serviceTallies() : this.edges.values()) {
      const source = nodeOf(tally.source).id;
      const target = nodeOf(tally.target).id;
      const id = tally.protocol === 'tcp' ? `${source}>${target}>tcp` : `${source}>${target}`;
      const known = byEdge.get(id);
      byEdge.set(id, { source, target, tally: known ? merged(known.tally, tally) : tally });
    }
    const edges: GraphEdge[] = [];
    for (const [id, { source, target, tally }] of byEdge) {
      edges.push({
        id,
        source,
        target,
        reporter: tally.reporter,
        protocol: tally.protocol,
        host: tally.host,
        sentBytes: Object.fromEntries([...tally.sentBytes].sort(([a], [b]) => a.localeCompare(b))),
        requests: tally.requests,
        responses: responsesOf(tally.responses),
        mtls: tally.mtls,
        plaintext: tally.plaintext,
        latencyMs: tally.latency.percentilesMs(),
      });
    }
    return {
      durationMs,
      nodes: [...nodes.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
      edges: edges.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    };
  }

  /**
   * The tallies of Kiali's service graph, which it makes from the workload
   * graph (kiali/kiali graph/telemetry/common.go, `ReduceToServiceGraph`):
   * a service's edges to its workloads give way to those workloads' edges
   * to services (and ServiceEntries), drawn from the service — the whole
   * of each workload's calls, whichever service brought it the requests
   * it served, so a workload behind two services counts under both; its
   * edges to workloads end nowhere in this graph. Of the workloads, only
   * those nothing calls stay (callers from outside, gateways, traffic
   * sources), with their edges to services: nothing since the collector
   * began, so that a live window in which a called workload's calls came
   * without the calls to it does not draw it as a root. Kiali visits a
   * workload once per protocol its service reaches it by, and so counts its
   * calls again for a service that reaches it over HTTP and TCP; each is
   * taken once here. The latencies of edges drawn as one are merged whole
   * (Kiali keeps one edge's, as quantiles cannot be averaged).
   */
  private serviceTallies(): EdgeTally[] {
    const tallies = [...this.edges.values()];
    const called = this.called;
    const onward = new Map<string, EdgeTally[]>();
    for (const t of tallies) {
      if (t.source.kind !== 'workload' || t.target.kind === 'workload') continue;
      const list = onward.get(t.source.name);
      if (list) list.push(t);
      else onward.set(t.source.name, [t]);
    }
    const out: EdgeTally[] = [];
    const visited = new Set<string>();
    for (const t of tallies) {
      if (t.source.kind === 'workload') {
        if (!called.has(t.source.name) && t.target.kind !== 'workload') out.push(t);
        continue;
      }
      if (t.target.kind !== 'workload') continue;
      const pair = `${endKey(t.source)}>${t.target.name}`;
      if (visited.has(pair)) continue;
      visited.add(pair);
      for (const o of onward.get(t.target.name) ?? []) out.push({ ...o, source: t.source });
    }
    return out;
  }

  private count(key: EdgeKey, status: number, flags: readonly ResponseFlag[], duration: number, mtls: boolean | undefined): void {
    let tally = this.edges.get(key.id);
    if (!tally) this.edges.set(key.id, (tally = { source: key.ends.source, target: key.ends.target, reporter: key.ends.reporter, protocol: key.tcp ? 'tcp' : 'http', host: key.host, sentBytes: new Map(), requests: 0, responses: new Map(), mtls: 0, plaintext: 0, latency: new LatencyHistogram() }));
    tally.requests += 1;
    if (key.ends.target.kind === 'workload') this.called.add(key.ends.target.name);
    if (mtls === true) tally.mtls += 1;
    else if (mtls === false) tally.plaintext += 1;
    // A TCP connection has no response code (Kiali's `-`), only flags, and no response time; its answer is bytes.
    const code = key.tcp ? 0 : status;
    let byFlags = tally.responses.get(code);
    if (!byFlags) tally.responses.set(code, (byFlags = new Map()));
    const flagKey = flags.length === 0 ? '-' : flags.join(',');
    byFlags.set(flagKey, (byFlags.get(flagKey) ?? 0) + 1);
    if (key.tcp) tally.sentBytes.set(flagKey, (tally.sentBytes.get(flagKey) ?? 0) + responseBytes(status));
    else tally.latency.record(duration);
  }

  /** Whether the port of a Service (by FQDN) or ServiceEntry host is one Istio proxies as TCP; a port no one declares is sniffed as HTTP. */
  private isTcpPort(host: string, port: number): boolean {
    const key = `${host}:${port}`;
    let tcp = this.tcpPorts.get(key);
    if (tcp === undefined) {
      const found = declaredPort(this.scenario, host, port);
      this.tcpPorts.set(key, (tcp = found !== undefined && isTcpProxied(istioProtocolOf(found))));
    }
    return tcp;
  }

  /**
   * A caller's edge toward `host`: toward its service node, or for a host of
   * a terminal ServiceEntry toward the entry's node in the caller's namespace
   * (the appender's node is per namespace the entry is exported to; a
   * caller outside the mesh has none, and keeps the host's service node).
   */
  private workloadToService(workload: string, host: string, reporter: GraphEdge['reporter'], tcp: boolean): EdgeKey {
    const entry = this.entries.get(host);
    const namespace = (this.workloads.get(workload) ?? this.standIns.get(workload))?.namespace;
    const protocol = tcp ? '>tcp' : '';
    if (entry?.terminal && namespace !== undefined) {
      return { id: `w:${workload}>e:${entry.key}${protocol}`, host, tcp, ends: { source: { kind: 'workload', name: workload }, target: { kind: 'serviceEntry', entry, namespace }, reporter } };
    }
    return { id: `w:${workload}>s:${host}${protocol}`, host, tcp, ends: { source: { kind: 'workload', name: workload }, target: { kind: 'service', host }, reporter } };
  }

  private workloadNode(name: string, type: GraphType): GraphNode {
    const w = this.workloads.get(name) ?? this.standIns.get(name);
    if (!w) return { id: `${CLUSTER}_unknown_source`, kind: 'unknown', namespace: UNKNOWN, outOfMesh: false };
    const { app, version } = canonicalNames(w.name, w.labels);
    const outOfMesh = !w.sidecar;
    // The service graph keeps a workload only as a root, drawn as Kiali's workload graph (which it is made from) draws it.
    if (type === 'workload' || type === 'service') return { id: `wl_${CLUSTER}_${w.namespace}_${w.name}`, kind: 'workload', namespace: w.namespace, workload: w.name, app, version, outOfMesh };
    // Kiali's app graph: one node per app, whatever its versions (`app_<cluster>_<namespace>_<app>`).
    if (type === 'app') return { id: `app_${CLUSTER}_${w.namespace}_${app}`, kind: 'app', namespace: w.namespace, app, outOfMesh };
    return { id: `vapp_${CLUSTER}_${w.namespace}_${w.name}`, kind: 'app', namespace: w.namespace, workload: w.name, app, version, outOfMesh };
  }

  /** A Service's node by its FQDN; a ServiceEntry's host is named by itself in the entry's namespace (`destination_service_name` and `…_namespace`), any other host in `unknown`. */
  private serviceNode(host: string): GraphNode {
    const suffix = `.svc.${this.scenario.mesh.clusterDomain}`;
    const [name, namespace] = host.endsWith(suffix) ? host.slice(0, -suffix.length).split('.') : [host, this.entries.get(host)?.namespace ?? UNKNOWN];
    const ns = namespace ?? UNKNOWN;
    return { id: `svc_${CLUSTER}_${ns}_${name}`, kind: 'service', namespace: ns, service: name, host, outOfMesh: false };
  }
}

const NO_FLAGS: readonly ResponseFlag[] = [];

interface EdgeKey {
  id: string;
  host: string;
  /** Counted as a TCP connection (its own edge, beside an HTTP one between the same nodes). */
  tcp: boolean;
  ends: Pick<EdgeTally, 'source' | 'target' | 'reporter'>;
}

function serviceToWorkload(host: string, workload: string, tcp: boolean): EdgeKey {
  return { id: `s:${host}>w:${workload}${tcp ? '>tcp' : ''}`, host, tcp, ends: { source: { kind: 'service', host }, target: { kind: 'workload', name: workload }, reporter: 'destination' } };
}

/** The port of an `outbound|port|subset|host` cluster. */
function clusterPort(cluster: string): number {
  return Number(cluster.split('|')[1]);
}

/** Kiali's service-entry node: a service node named after the entry, in the namespace of the callers it serves there. */
function entryNode(entry: EntryInfo, namespace: string): GraphNode {
  return {
    id: `svc_${CLUSTER}_${namespace}_${entry.name}`,
    kind: 'service',
    namespace,
    service: entry.name,
    host: entry.hosts[0] as string,
    serviceEntry: { hosts: entry.hosts, location: entry.location, namespace },
    outOfMesh: false,
  };
}

/** An edge end's identity among the tallies. */
function endKey(end: EdgeEnd): string {
  return end.kind === 'workload' ? `w:${end.name}` : end.kind === 'service' ? `s:${end.host}` : `e:${end.entry.key}:${end.namespace}`;
}

/** Two tallies of one edge as one (a new tally: the collector's own keep counting). */
function merged(a: EdgeTally, b: EdgeTally): EdgeTally {
  const responses = new Map<number, Map<string, number>>();
  for (const tally of [a, b]) {
    for (const [code, byFlags] of tally.responses) {
      let into = responses.get(code);
      if (!into) responses.set(code, (into = new Map()));
      for (const [flags, n] of byFlags) into.set(flags, (into.get(flags) ?? 0) + n);
    }
  }
  const sentBytes = new Map(a.sentBytes);
  for (const [flags, n] of b.sentBytes) sentBytes.set(flags, (sentBytes.get(flags) ?? 0) + n);
  const latency = new LatencyHistogram();
  latency.add(a.latency);
  latency.add(b.latency);
  return { ...a, sentBytes, requests: a.requests + b.requests, responses, mtls: a.mtls + b.mtls, plaintext: a.plaintext + b.plaintext, latency };
}

function responsesOf(responses: Map<number, Map<string, number>>): GraphEdge['responses'] {
  const out: GraphEdge['responses'] = {};
  for (const [code, byFlags] of [...responses].sort(([a], [b]) => a - b)) out[String(code)] = Object.fromEntries([...byFlags].sort(([a], [b]) => a.localeCompare(b)));
  return out;
}

/** The service host of an `outbound|port|subset|host` cluster; undefined for istiod's own clusters (PassthroughCluster, BlackHoleCluster). */
function clusterService(cluster: string): string | undefined {
  const at = cluster.lastIndexOf('|');
  return cluster.startsWith('outbound|') && at > 0 ? cluster.slice(at + 1) : undefined;
}
