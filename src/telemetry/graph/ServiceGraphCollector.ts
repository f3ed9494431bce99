import type { MeshEvent, MeshSettings, ResponseFlag, Service, Workload } from '../../model/index.ts';
import { LatencyHistogram } from '../LatencyHistogram.ts';
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
}

interface EdgeTally {
  source: { kind: 'workload'; name: string } | { kind: 'service'; host: string };
  target: { kind: 'workload'; name: string } | { kind: 'service'; host: string };
  reporter: GraphEdge['reporter'];
  requests: number;
  responses: Map<number, Map<string, number>>;
  mtls: number;
  plaintext: number;
  latency: LatencyHistogram;
}

export type GraphScenario = { mesh: Pick<MeshSettings, 'clusterDomain'>; workloads: readonly Workload[]; services: readonly Service[] };

/**
 * Folds the event stream into the service graph (`ServiceGraph`). Holds the
 * requests in flight and one tally per edge, so memory does not grow with the
 * length of the run. `restart()` zeroes the tallies and keeps the requests in
 * flight, for a graph of a recent window.
 */
export class ServiceGraphCollector {
  private readonly inFlight = new Map<number, InFlight>();
  private readonly edges = new Map<string, EdgeTally>();
  private readonly workloads = new Map<string, Workload>();

  constructor(private readonly scenario: GraphScenario) {
    for (const w of scenario.workloads) if (!this.workloads.has(w.name)) this.workloads.set(w.name, w);
  }

  readonly add = (e: MeshEvent): void => {
    switch (e.kind) {
      case 'request.start':
        // A mirrored copy's answer goes nowhere: only the destination counts it.
        this.inFlight.set(e.requestId, { source: e.viaSidecar ? e.fromWorkload : UNKNOWN, host: e.host, reported: e.viaSidecar && e.origin.kind !== 'mirror', mtls: undefined });
        return;
      case 'route.cluster': {
        // A gateway's request for shop.example.com routed to web is a call to web's Service, as Istio's metrics label it.
        const request = this.inFlight.get(e.requestId);
        const service = clusterService(e.cluster);
        if (request && service !== undefined) request.host = service;
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
        if (request.reported) this.count(workloadToService(request.source, request.host, 'source'), e.status, e.flags, e.duration, request.mtls);
        return;
      }
      case 'inbound.complete': {
        const service = this.inFlight.get(e.requestId)?.host ?? e.destinationService;
        this.count(serviceToWorkload(service, e.destinationWorkload), e.status, NO_FLAGS, e.duration, e.mtls);
        // Without the caller's own report, the destination's is all there is of the call.
        if (e.sourceWorkload === UNKNOWN) this.count(workloadToService(UNKNOWN, service, 'destination'), e.status, NO_FLAGS, e.duration, e.mtls);
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
    const nodeOf = (end: EdgeTally['source']): GraphNode => {
      const node = end.kind === 'workload' ? this.workloadNode(end.name, type) : this.serviceNode(end.host);
      if (!nodes.has(node.id)) nodes.set(node.id, node);
      return node;
    };
    if (options.idle) {
      for (const w of this.workloads.values()) nodeOf({ kind: 'workload', name: w.name });
      for (const s of this.scenario.services) nodeOf({ kind: 'service', host: `${s.name}.${s.namespace}.svc.${this.scenario.mesh.clusterDomain}` });
    }
    const edges: GraphEdge[] = [];
    for (const tally of this.edges.values()) {
      const source = nodeOf(tally.source).id;
      const target = nodeOf(tally.target).id;
      edges.push({
        id: `${source}>${target}`,
        source,
        target,
        reporter: tally.reporter,
        host: tally.source.kind === 'service' ? tally.source.host : tally.target.kind === 'service' ? tally.target.host : '',
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

  private count(key: EdgeKey, status: number, flags: readonly ResponseFlag[], duration: number, mtls: boolean | undefined): void {
    let tally = this.edges.get(key.id);
    if (!tally) this.edges.set(key.id, (tally = { ...key.ends, requests: 0, responses: new Map(), mtls: 0, plaintext: 0, latency: new LatencyHistogram() }));
    tally.requests += 1;
    if (mtls === true) tally.mtls += 1;
    else if (mtls === false) tally.plaintext += 1;
    let byFlags = tally.responses.get(status);
    if (!byFlags) tally.responses.set(status, (byFlags = new Map()));
    const flagKey = flags.length === 0 ? '-' : flags.join(',');
    byFlags.set(flagKey, (byFlags.get(flagKey) ?? 0) + 1);
    tally.latency.record(duration);
  }

  private workloadNode(name: string, type: GraphType): GraphNode {
    const w = this.workloads.get(name);
    if (!w) return { id: `${CLUSTER}_unknown_source`, kind: 'unknown', namespace: UNKNOWN, outOfMesh: false };
    const { app, version } = canonicalNames(w.name, w.labels);
    const outOfMesh = !w.sidecar;
    if (type === 'workload') return { id: `wl_${CLUSTER}_${w.namespace}_${w.name}`, kind: 'workload', namespace: w.namespace, workload: w.name, app, version, outOfMesh };
    return { id: `vapp_${CLUSTER}_${w.namespace}_${w.name}`, kind: 'app', namespace: w.namespace, workload: w.name, app, version, outOfMesh };
  }

  private serviceNode(host: string): GraphNode {
    const suffix = `.svc.${this.scenario.mesh.clusterDomain}`;
    const [name, namespace] = host.endsWith(suffix) ? host.slice(0, -suffix.length).split('.') : [host, UNKNOWN];
    const ns = namespace ?? UNKNOWN;
    return { id: `svc_${CLUSTER}_${ns}_${name}`, kind: 'service', namespace: ns, service: name, host, outOfMesh: false };
  }
}

const NO_FLAGS: readonly ResponseFlag[] = [];

interface EdgeKey {
  id: string;
  ends: Pick<EdgeTally, 'source' | 'target' | 'reporter'>;
}

function workloadToService(workload: string, host: string, reporter: GraphEdge['reporter']): EdgeKey {
  return { id: `w:${workload}>s:${host}`, ends: { source: { kind: 'workload', name: workload }, target: { kind: 'service', host }, reporter } };
}

function serviceToWorkload(host: string, workload: string): EdgeKey {
  return { id: `s:${host}>w:${workload}`, ends: { source: { kind: 'service', host }, target: { kind: 'workload', name: workload }, reporter: 'destination' } };
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
