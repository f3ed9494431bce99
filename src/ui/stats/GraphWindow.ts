import type { MeshEvent, Micros } from '../../model/index.ts';
import { ServiceGraphCollector } from '../../telemetry/index.ts';
import type { GraphEdge, GraphScenario, GraphType, ServiceGraph } from '../../telemetry/index.ts';

/** Kiali's graph types, as the Graph view offers them. */
export const GRAPH_TYPES: readonly GraphType[] = ['versionedApp', 'app', 'workload', 'service'];

/** The Graph view's rates cover between one and two of these of simulated time. */
export const GRAPH_BUCKET: Micros = 5_000_000;

/**
 * The service graph of the last few simulated seconds, from the events the
 * picture has revealed: counts go into the current bucket; the one before is
 * kept as a graph, and the two together make the window, so a pod that starts
 * failing turns its edge red within seconds and one that recovers turns it
 * back. Every workload and service is a node from the start (idle ones too).
 */
export class GraphWindow {
  private readonly collector: ServiceGraphCollector;
  private bucketStart: Micros = 0;
  /** The bucket just ended, as a graph of each type (the view may switch types at any time). */
  private previous: Map<GraphType, ServiceGraph> | undefined;

  constructor(scenario: GraphScenario) {
    this.collector = new ServiceGraphCollector(scenario);
  }

  add(e: MeshEvent): void {
    this.moveTo(e.t);
    this.collector.add(e);
  }

  /** The graph of the window ending at `now` (the picture's time; never before the last event added), drawn as `type`. */
  graph(now: Micros, type: GraphType = 'versionedApp'): ServiceGraph {
    this.moveTo(now);
    const current = this.collector.graph((now - this.bucketStart) / 1000, { idle: true, type });
    const previous = this.previous?.get(type);
    if (!previous) return current;
    const edges = new Map(previous.edges.map((e) => [e.id, e]));
    for (const e of current.edges) edges.set(e.id, merge(edges.get(e.id), e));
    const nodes = new Map([...previous.nodes, ...current.nodes].map((n) => [n.id, n]));
    return { durationMs: previous.durationMs + current.durationMs, nodes: [...nodes.values()].sort(byId), edges: [...edges.values()].sort(byId) };
  }

  /** Starts the bucket `t` falls in when it is a later one; the bucket before is kept only if it is the one just ended. */
  private moveTo(t: Micros): void {
    if (t < this.bucketStart + GRAPH_BUCKET) return;
    const start = Math.floor(t / GRAPH_BUCKET) * GRAPH_BUCKET;
    this.previous = start === this.bucketStart + GRAPH_BUCKET ? new Map(GRAPH_TYPES.map((type) => [type, this.collector.graph(GRAPH_BUCKET / 1000, { idle: true, type })])) : undefined;
    this.collector.restart();
    this.bucketStart = start;
  }
}

function byId(a: { id: string }, b: { id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Counts add up; the latency shown is the larger sample's (percentiles do not add). */
function merge(a: GraphEdge | undefined, b: GraphEdge): GraphEdge {
  if (!a) return b;
  const responses: GraphEdge['responses'] = structuredClone(a.responses);
  for (const [code, flags] of Object.entries(b.responses)) {
    const into = (responses[code] ??= {});
    for (const [f, n] of Object.entries(flags)) into[f] = (into[f] ?? 0) + n;
  }
  return { ...b, requests: a.requests + b.requests, responses, mtls: a.mtls + b.mtls, plaintext: a.plaintext + b.plaintext, latencyMs: b.requests >= a.requests ? b.latencyMs : a.latencyMs };
}
