import type { GraphEdge, GraphNode, ServiceGraph } from '../telemetry/index.ts';
import { edgeRates } from '../telemetry/index.ts';
import { formatTable } from './table.ts';
import type { Layout } from './table.ts';

/** The service graph as two tables: its edges (rates, errors, p99, mTLS, answers with their flags) and its nodes (`-o wide`: more columns). */
export function formatGraph(graph: ServiceGraph, seed: number, layout: Layout): string {
  const c = layout.colors;
  const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
  const name = (id: string): string => nodeName(nodes.get(id));
  const depth = callDepths(graph);
  const rows = graph.edges
    .map((edge) => ({ edge, rates: edgeRates(edge, graph.durationMs) }))
    .sort((a, b) => (depth.get(a.edge.source) ?? 0) - (depth.get(b.edge.source) ?? 0) || name(a.edge.source).localeCompare(name(b.edge.source)) || name(a.edge.target).localeCompare(name(b.edge.target)));
  const lines = [`service graph of ${(graph.durationMs / 1000).toFixed(1)} s simulated (seed ${seed}): ${graph.nodes.length} nodes, ${graph.edges.length} edges`, ''];
  lines.push(
    ...formatTable(
      rows,
      [
        { header: 'FROM', cell: (r) => name(r.edge.source), flex: true },
        { header: 'TO', cell: (r) => name(r.edge.target), flex: true },
        { header: 'REPORTER', cell: (r) => r.edge.reporter, wide: true },
        { header: 'REQUESTS', cell: (r) => String(r.edge.requests), align: 'right', wide: true },
        { header: 'RPS', cell: (r) => r.rates.rps.toFixed(2), align: 'right' },
        { header: 'ERR', cell: (r) => `${r.rates.errorPercent.toFixed(1)}%`, align: 'right', style: (t, r) => (r.rates.errorPercent > 0 ? c.yellow(t) : t) },
        { header: 'P50', cell: (r) => (r.edge.protocol === 'tcp' ? '-' : ms(r.edge.latencyMs.p50)), align: 'right', wide: true },
        { header: 'P99', cell: (r) => (r.edge.protocol === 'tcp' ? '-' : ms(r.edge.latencyMs.p99)), align: 'right' },
        { header: 'MTLS', cell: (r) => (r.edge.mtls + r.edge.plaintext === 0 ? '-' : `${r.rates.mtlsPercent.toFixed(0)}%`), align: 'right' },
        { header: 'ANSWERS', cell: (r) => (r.edge.protocol === 'tcp' ? connections(r.edge, r.rates.bytesPerSecond) : answers(r.edge)), flex: true },
      ],
      layout,
    ),
  );
  lines.push('');
  lines.push(
    ...formatTable(
      [...graph.nodes].sort((a, b) => (depth.get(a.id) ?? 0) - (depth.get(b.id) ?? 0) || nodeName(a).localeCompare(nodeName(b))),
      [
        { header: 'NODE', cell: (n) => nodeName(n), flex: true },
        { header: 'TYPE', cell: (n) => n.kind },
        { header: 'NAMESPACE', cell: (n) => n.namespace },
        { header: 'WORKLOAD', cell: (n) => n.workload ?? '', wide: true },
        { header: 'SIDECAR', cell: (n) => (n.kind === 'service' || n.kind === 'unknown' ? '' : n.outOfMesh ? 'no' : 'yes'), wide: true },
      ],
      layout,
    ),
  );
  return lines.join('\n');
}

/** How many edges from a node nothing calls each node is (first reached wins), so tables read in call order. */
function callDepths(graph: ServiceGraph): Map<string, number> {
  const called = new Set(graph.edges.map((e) => e.target));
  const depth = new Map<string, number>();
  let frontier = graph.nodes.filter((n) => !called.has(n.id)).map((n) => n.id);
  for (let d = 0; frontier.length > 0; d++) {
    for (const id of frontier) depth.set(id, d);
    frontier = [...new Set(graph.edges.filter((e) => frontier.includes(e.source) && !depth.has(e.target)).map((e) => e.target))];
  }
  return depth;
}

/** How a node is named in the tables: an app with its version (unless `latest`), a workload, a service, or `unknown`. */
export function nodeName(n: GraphNode | undefined): string {
  if (!n) return '?';
  switch (n.kind) {
    case 'app':
      return n.version && n.version !== 'latest' ? `${n.app} ${n.version}` : (n.app ?? '?');
    case 'workload':
      return n.workload ?? '?';
    case 'service':
      return n.serviceEntry ? `${n.service} (service entry)` : `${n.service} (service)`;
    case 'unknown':
      return 'unknown';
    default:
      return n.kind satisfies never;
  }
}

/** `200 96.0%, 503 UH 3.1%, 503 0.9%`: each code and flag set with its share of the edge, largest first. */
function answers(edge: GraphEdge): string {
  const parts = Object.entries(edge.responses).flatMap(([code, flags]) => Object.entries(flags).map(([f, n]) => ({ text: f === '-' ? code : `${code} ${f}`, n })));
  return parts
    .sort((a, b) => b.n - a.n)
    .map((p) => `${p.text} ${((p.n * 100) / edge.requests).toFixed(1)}%`)
    .join(', ');
}

/** A TCP edge (its RPS are connections per second): `TCP 1320.0 B/s`, then each flag set with its share of the connections (`UF 5.0%`). */
function connections(edge: GraphEdge, bytesPerSecond: number): string {
  const flagged = Object.values(edge.responses).flatMap((flags) => Object.entries(flags).filter(([f]) => f !== '-'));
  return [`TCP ${bytesPerSecond.toFixed(1)} B/s`, ...flagged.sort((a, b) => b[1] - a[1]).map(([f, n]) => `${f} ${((n * 100) / edge.requests).toFixed(1)}%`)].join(', ');
}

function ms(v: number): string {
  return `${v.toFixed(1)}ms`;
}
