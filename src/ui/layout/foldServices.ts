import type { GraphEdge, GraphNode } from '../../telemetry/index.ts';

/** A workload node drawn together with the one Service in front of it. */
export interface FoldedNode extends GraphNode {
  /** The Service drawn into this node, and the edge between them (the destination sidecar's view), now inside it. */
  folded?: { service: GraphNode; edge: string };
}

/**
 * The picture's topology: a Service whose requests all went to one workload
 * is drawn as one node with it (the Service's triangle, the app and its
 * version), the edges into the Service ending at that node; a Service in
 * front of several versions keeps its own node and an edge to each (and in
 * the service graph, where Services call Services, every Service does). This
 * halves the layers of a chain of single-version services (Bookinfo's
 * details and ratings) and keeps every edge with the caller's view, fail-fast
 * answers included.
 */
export function foldServices(nodes: ReadonlyMap<string, GraphNode>, edges: ReadonlyMap<string, GraphEdge>): { nodes: FoldedNode[]; edges: GraphEdge[] } {
  const targets = new Map<string, GraphEdge[]>();
  for (const e of edges.values()) if (nodes.get(e.source)?.kind === 'service') targets.set(e.source, [...(targets.get(e.source) ?? []), e]);
  const into = new Map<string, { service: GraphNode; edge: GraphEdge }>();
  for (const [id, out] of targets) {
    const only = out.length === 1 ? out[0] : undefined;
    const service = nodes.get(id);
    // Only into a workload (or app) behind it: in the service graph a Service's edges go to other Services, and each keeps its node.
    const behind = only ? nodes.get(only.target)?.kind : undefined;
    if (only && service && (behind === 'app' || behind === 'workload') && !into.has(only.target)) into.set(only.target, { service, edge: only });
  }
  const foldedServices = new Map([...into.values()].map((f) => [f.service.id, f.edge.target]));
  const out: FoldedNode[] = [];
  for (const n of nodes.values()) {
    if (foldedServices.has(n.id)) continue;
    const f = into.get(n.id);
    out.push(f ? { ...n, folded: { service: f.service, edge: f.edge.id } } : n);
  }
  const foldedEdges = new Set([...into.values()].map((f) => f.edge.id));
  const kept = [...edges.values()]
    .filter((e) => !foldedEdges.has(e.id))
    .map((e) => (foldedServices.has(e.target) ? { ...e, target: foldedServices.get(e.target) as string } : e));
  return { nodes: out, edges: kept };
}
