import type { EdgeHealth, EdgeRates, GraphEdge, ServiceGraph } from '../../telemetry/index.ts';
import { canonicalNames, edgeHealth, edgeRates } from '../../telemetry/index.ts';
import type { Ejection } from './MeshStats.ts';

export interface EdgeFacts {
  /** `12.3 rps`, `4.1% err` (empty without errors), `p99 38ms`. */
  lines: [string, string, string];
  health: EdgeHealth | 'idle';
  /** The lock: every request that crossed the wire did so over mTLS, some did, none did; `none` without any crossing. */
  mtls: 'all' | 'some' | 'plaintext' | 'none';
  /** How fast the traffic marks move: 0 still, 1 slow … 3 fast. */
  flow: 0 | 1 | 2 | 3;
  /** The same in a sentence, for a screen reader and the tooltip. */
  words: string;
}

export interface NodeFacts {
  /** Pods of the node's workload that some caller's sidecar holds ejected now. */
  ejected: number;
  pods: number;
}

/** What the Graph view writes on each edge, from the window's counts. */
export function edgeFacts(edge: GraphEdge | undefined, durationMs: number, from: string, to: string): EdgeFacts {
  if (!edge || edge.requests === 0) return { lines: ['idle', '', ''], health: 'idle', mtls: 'none', flow: 0, words: `${from} → ${to}: no requests in the last seconds` };
  const rates = edgeRates(edge, durationMs);
  if (edge.protocol === 'tcp') return tcpFacts(edge, rates, from, to);
  const err = rates.errorPercent > 0 ? `${percent(rates.errorPercent)} err` : '';
  const p99 = `p99 ${milliseconds(edge.latencyMs.p99)}`;
  const mtls = mtlsOf(edge);
  const health = edgeHealth(rates);
  const words = `${from} → ${to}: ${rps(rates.rps)} requests/s, ${percent(rates.errorPercent)} errors, ${p99}, ${LOCK_WORDS[mtls](rates)}${health === 'healthy' ? '' : `, ${health}`}`;
  return { lines: [`${rps(rates.rps)} rps`, err, p99], health, mtls, flow: flowOf(rates.rps), words };
}

function mtlsOf(edge: GraphEdge): EdgeFacts['mtls'] {
  return edge.mtls + edge.plaintext === 0 ? 'none' : edge.plaintext === 0 ? 'all' : edge.mtls === 0 ? 'plaintext' : 'some';
}

function flowOf(perSecond: number): EdgeFacts['flow'] {
  return perSecond >= 10 ? 3 : perSecond >= 1 ? 2 : 1;
}

const LOCK_WORDS: Record<EdgeFacts['mtls'], (rates: EdgeRates) => string> = {
  all: () => 'all over mTLS',
  some: (rates) => `${percent(rates.mtlsPercent)} over mTLS`,
  plaintext: () => 'plaintext',
  none: () => 'answered before the wire',
};

/** A TCP edge: connections per second, the share a proxy failed, the bytes written back per second; no response time. */
function tcpFacts(edge: GraphEdge, rates: EdgeRates, from: string, to: string): EdgeFacts {
  const failed = rates.errorPercent > 0 ? `${percent(rates.errorPercent)} failed` : '';
  const mtls = mtlsOf(edge);
  const health = edgeHealth(rates);
  const bytes = `${rps(rates.bytesPerSecond)} B/s`;
  const words = `${from} → ${to}: TCP, ${rps(rates.rps)} connections/s, ${bytes}, ${percent(rates.errorPercent)} failed, ${LOCK_WORDS[mtls](rates)}${health === 'healthy' ? '' : `, ${health}`}`;
  return { lines: [`${rps(rates.rps)} conn/s`, failed, bytes], health, mtls, flow: flowOf(rates.rps), words };
}

/** Ejected pods per workload node (or per app node, over the app's workloads), from the live ejections (`client|cluster|endpoint` → pod). */
export function nodeFacts(graph: ServiceGraph, ejected: ReadonlyMap<string, Ejection>, pods: ReadonlyArray<{ name: string; workload: string; namespace: string; labels: Record<string, string> }>): Map<string, NodeFacts> {
  const out = new Set<string>();
  for (const key of ejected.keys()) out.add(key.slice(key.lastIndexOf('|') + 1));
  const facts = new Map<string, NodeFacts>();
  for (const n of graph.nodes) {
    // A node of Kiali's app graph stands for every workload of its app in its namespace.
    const mine = n.workload ? pods.filter((p) => p.workload === n.workload) : n.kind === 'app' ? pods.filter((p) => p.namespace === n.namespace && canonicalNames(p.workload, p.labels).app === n.app) : undefined;
    if (!mine) continue;
    facts.set(n.id, { pods: mine.length, ejected: mine.filter((p) => out.has(p.name)).length });
  }
  return facts;
}

function rps(n: number): string {
  return n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n >= 0.1 ? n.toFixed(2) : n.toPrecision(1);
}

function percent(n: number): string {
  return `${n >= 10 || n === 0 ? n.toFixed(0) : n.toFixed(1)}%`;
}

function milliseconds(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)}s` : ms >= 10 ? `${ms.toFixed(0)}ms` : `${ms.toFixed(1)}ms`;
}
