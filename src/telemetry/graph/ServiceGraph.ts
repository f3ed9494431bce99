import type { Percentiles } from '../LatencyHistogram.ts';

/**
 * The service graph of a run: who called whom, as Istio's telemetry would
 * tell Kiali. Nodes are workloads (shown as their app and version), the
 * services they call, and `unknown` for callers outside the mesh; every call
 * is two edges, caller → service and service → workload:
 *
 * - caller → service is the caller sidecar's view (Istio's
 *   `reporter="source"`): one count per request, with the answer and flags
 *   the caller got (fail-fast UH answers appear only here) and its whole
 *   latency, retries and back-off included. A caller without a sidecar
 *   reports nothing: its edge is the destination's view instead.
 * - service → workload is the destination sidecar's view
 *   (`reporter="destination"`): one count per attempt that reached a pod of
 *   the workload, with that pod's answer and time.
 */
export interface ServiceGraph {
  /** Simulated time the counts cover, for rates. */
  durationMs: number;
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export type GraphNodeKind = 'app' | 'workload' | 'service' | 'unknown';

/**
 * How workloads are drawn, as Kiali's graph types: versioned apps (a node
 * per app version), apps (a node per app, its versions together),
 * workloads, or none: the service graph, services calling services (a
 * service's edges are its workloads' calls to services), with only the
 * workloads nothing calls (traffic from outside, gateways, traffic sources).
 */
export type GraphType = 'versionedApp' | 'app' | 'workload' | 'service';

export interface GraphNode {
  /** Kiali's node id before hashing (`vapp_<cluster>_<namespace>_<workload>`, `app_…_<app>`, `svc_…`, `wl_…`, `<cluster>_unknown_source`). */
  id: string;
  kind: GraphNodeKind;
  namespace: string;
  workload?: string;
  app?: string;
  version?: string;
  /** The service's name (service nodes). */
  service?: string;
  /** The service's host (service nodes; for a ServiceEntry's node, its first host). */
  host?: string;
  /** A ServiceEntry's node, as Kiali's `isServiceEntry` describes it: the entry's hosts, its location, and the namespace of the callers drawn here. */
  serviceEntry?: { hosts: string[]; location: 'MESH_EXTERNAL' | 'MESH_INTERNAL'; namespace: string };
  /** A workload without a sidecar (Kiali's `isOutOfMesh`). */
  outOfMesh: boolean;
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  reporter: 'source' | 'destination';
  /** HTTP requests, or connections through a TCP proxy (counted by `requests`, answered by `sentBytes`, with no response code or time). */
  protocol: 'http' | 'tcp';
  /** The service host the requests were for. */
  host: string;
  /** Bytes written back to the callers over TCP, by flag set as `responses` keys them (none for HTTP: bodies are not simulated). */
  sentBytes: Record<string, number>;
  requests: number;
  /** Counts by response code (`0`: no response) and then by flag set (`-`: none, else Envoy's order, comma-separated). */
  responses: Record<string, Record<string, number>>;
  /** Requests that crossed the wire (at their last attempt that did) with mutual TLS, and without; an answer from the caller's own sidecar alone (UH, UO, NC, a fault) is neither. */
  mtls: number;
  plaintext: number;
  latencyMs: Percentiles;
}

/** What an edge's counts mean per second and in shares, as the graph labels them. */
export interface EdgeRates {
  /** Requests per second. */
  rps: number;
  rps3xx: number;
  rps4xx: number;
  rps5xx: number;
  /** No response at all (code 0). */
  rpsNoResponse: number;
  /** Share of requests answered 4xx, 5xx or not at all, in percent. */
  errorPercent: number;
  /** Share of the requests that crossed the wire that did so over mTLS, in percent. */
  mtlsPercent: number;
  /** A TCP edge's bytes written back per second (0 for HTTP). */
  bytesPerSecond: number;
}

/**
 * The rates of `edge` over `durationMs` of simulated time (all zero for an
 * empty window). A TCP edge's connections have no code: one a proxy
 * failed (a flag: UF, UH, …) counts as no answer, the rest as answered.
 */
export function edgeRates(edge: Pick<GraphEdge, 'requests' | 'responses' | 'mtls' | 'plaintext'> & Partial<Pick<GraphEdge, 'protocol' | 'sentBytes'>>, durationMs: number): EdgeRates {
  const byClass = { '3': 0, '4': 0, '5': 0, none: 0 };
  const tcp = edge.protocol === 'tcp';
  for (const [code, flags] of Object.entries(edge.responses)) {
    if (tcp) {
      for (const [f, n] of Object.entries(flags)) if (f !== '-') byClass.none += n;
      continue;
    }
    const n = Object.values(flags).reduce((a, b) => a + b, 0);
    const key = code === '0' ? 'none' : code[0];
    if (key === '3' || key === '4' || key === '5' || key === 'none') byClass[key] += n;
  }
  const perSecond = (n: number): number => (durationMs > 0 ? (n * 1000) / durationMs : 0);
  const share = (n: number): number => (edge.requests > 0 ? (n * 100) / edge.requests : 0);
  return {
    rps: perSecond(edge.requests),
    rps3xx: perSecond(byClass['3']),
    rps4xx: perSecond(byClass['4']),
    rps5xx: perSecond(byClass['5']),
    rpsNoResponse: perSecond(byClass.none),
    errorPercent: share(byClass['4'] + byClass['5'] + byClass.none),
    mtlsPercent: edge.mtls + edge.plaintext > 0 ? (edge.mtls * 100) / (edge.mtls + edge.plaintext) : 0,
    bytesPerSecond: tcp ? perSecond(Object.values(edge.sentBytes ?? {}).reduce((a, b) => a + b, 0)) : 0,
  };
}

export type EdgeHealth = 'healthy' | 'degraded' | 'failure';

/**
 * Kiali's default health for request rates (kiali/kiali config/config.go,
 * `AddHealthDefault`): 5xx and no answer fail an edge at 10 % of its
 * requests, 4xx degrade it at 10 % and fail it at 20 %; any 5xx or missing
 * answer below that degrades it.
 */
export function edgeHealth(rates: EdgeRates): EdgeHealth {
  if (rates.rps === 0) return 'healthy';
  const pct = (r: number): number => (r * 100) / rates.rps;
  const serverSide = Math.max(pct(rates.rps5xx), pct(rates.rpsNoResponse));
  if (serverSide >= 10 || pct(rates.rps4xx) >= 20) return 'failure';
  if (serverSide > 0 || pct(rates.rps4xx) >= 10) return 'degraded';
  return 'healthy';
}
