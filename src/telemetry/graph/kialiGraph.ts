import type { GraphEdge, GraphNode, GraphType, ServiceGraph } from './ServiceGraph.ts';
import { CLUSTER } from './ServiceGraphCollector.ts';

/**
 * The graph in the JSON Kiali's API answers with (`/api/namespaces/graph`):
 * cytoscape elements, field for field as kiali/kiali graph/config/common/common.go
 * writes them (`Config`, `NodeData`, `EdgeData`, `ProtocolTraffic`), with the
 * HTTP rates of graph/protocol.go and their precision (`rateToString`: two
 * decimals, more for small rates; percentages with one). Node ids are Kiali's
 * ids before it hashes them.
 */
export interface KialiGraph {
  /** Seconds: the end of the window (a run starts at 0). */
  timestamp: number;
  /** Seconds the rates are averaged over. */
  duration: number;
  graphType: GraphType;
  elements: { nodes: Array<{ data: KialiNodeData }>; edges: Array<{ data: KialiEdgeData }> };
}

export interface KialiNodeData {
  id: string;
  parent?: string;
  nodeType: GraphNode['kind'] | 'box';
  cluster: string;
  namespace: string;
  workload?: string;
  app?: string;
  version?: string;
  service?: string;
  traffic?: KialiTraffic[];
  healthData: null;
  isBox?: 'app' | 'namespace';
  isOutOfMesh?: boolean;
  isRoot?: boolean;
  /** A ServiceEntry's node (Kiali's `SEInfo`). */
  isServiceEntry?: { hosts: string[]; location: string; namespace: string };
}

export interface KialiTraffic {
  protocol: 'http' | 'tcp';
  rates: Record<string, string>;
  responses?: Record<string, { flags?: Record<string, string>; hosts?: Record<string, string> }>;
}

export interface KialiEdgeData {
  id: string;
  source: string;
  target: string;
  /** Percent of the requests that crossed the wire that did so over mutual TLS, no decimals. */
  isMTLS?: string;
  /** The edge's p99 in milliseconds (Kiali's `responseTime=99`), no decimals. */
  responseTime?: string;
  traffic: KialiTraffic | { protocol: 'http' | 'tcp' };
}

export function kialiGraph(graph: ServiceGraph, type: GraphType): KialiGraph {
  const seconds = graph.durationMs / 1000;
  const nodeRates = new Map<string, Record<string, number>>();
  const add = (node: string, key: string, n: number): void => {
    const rates = nodeRates.get(node) ?? {};
    rates[key] = (rates[key] ?? 0) + n;
    nodeRates.set(node, rates);
  };
  const tcpRates = new Map<string, Record<string, number>>();
  const addTcp = (node: string, key: string, n: number): void => {
    const rates = tcpRates.get(node) ?? {};
    rates[key] = (rates[key] ?? 0) + n;
    tcpRates.set(node, rates);
  };
  const edgeCounts = graph.edges.map((edge) => {
    const c = classCounts(edge);
    if (edge.protocol === 'tcp') {
      // Kiali's TCP rates are bytes per second (its default `sent`), in and out of a node (graph/protocol.go, `addToMetadataTCP`).
      const bytes = sentTotal(edge);
      addTcp(edge.source, 'tcpOut', bytes);
      addTcp(edge.target, 'tcpIn', bytes);
      return c;
    }
    add(edge.source, 'httpOut', edge.requests);
    add(edge.target, 'httpIn', edge.requests);
    add(edge.target, 'httpIn3xx', c['3xx']);
    add(edge.target, 'httpIn4xx', c['4xx']);
    add(edge.target, 'httpIn5xx', c['5xx']);
    add(edge.target, 'httpInNoResponse', c.none);
    return c;
  });
  // Kiali's traffic generators (graph/telemetry/istio/appender/traffic_generator.go): a node with edges out and none in is a root.
  const sources = new Set(graph.edges.map((e) => e.source));
  const targets = new Set(graph.edges.map((e) => e.target));
  const nodes: Array<{ data: KialiNodeData }> = graph.nodes.map((n) => {
    const data: KialiNodeData = { id: n.id, nodeType: n.kind, cluster: CLUSTER, namespace: n.namespace, healthData: null };
    if (n.workload !== undefined) data.workload = n.workload;
    if (n.app !== undefined) data.app = n.app;
    if (n.version !== undefined) data.version = n.version;
    if (n.service !== undefined) data.service = n.service;
    const rates = rateStrings(nodeRates.get(n.id) ?? {}, seconds);
    const tcp = rateStrings(tcpRates.get(n.id) ?? {}, seconds);
    const traffic: KialiTraffic[] = [];
    if (Object.keys(rates).length > 0) traffic.push({ protocol: 'http', rates });
    if (Object.keys(tcp).length > 0) traffic.push({ protocol: 'tcp', rates: tcp });
    if (traffic.length > 0) data.traffic = traffic;
    if (n.serviceEntry) data.isServiceEntry = { hosts: [...n.serviceEntry.hosts], location: n.serviceEntry.location, namespace: n.serviceEntry.namespace };
    if (n.outOfMesh) data.isOutOfMesh = true;
    if (sources.has(n.id) && !targets.has(n.id)) data.isRoot = true;
    return { data };
  });
  const edges = graph.edges.map((edge, i) => ({ data: edgeData(edge, edgeCounts[i] as ClassCounts, nodeRates.get(edge.source)?.httpOut ?? 0, seconds) }));
  return { timestamp: Math.round(seconds), duration: Math.round(seconds), graphType: type, elements: { nodes: [...boxes(nodes, type), ...nodes], edges } };
}

type ClassCounts = Record<'3xx' | '4xx' | '5xx' | 'none', number>;

function sentTotal(edge: GraphEdge): number {
  return Object.values(edge.sentBytes).reduce((a, b) => a + b, 0);
}

function classCounts(edge: GraphEdge): ClassCounts {
  const c: ClassCounts = { '3xx': 0, '4xx': 0, '5xx': 0, none: 0 };
  for (const [code, flags] of Object.entries(edge.responses)) {
    const key = code === '0' ? 'none' : (`${code[0]}xx` as keyof ClassCounts);
    if (key in c) c[key] += Object.values(flags).reduce((a, b) => a + b, 0);
  }
  return c;
}

function edgeData(edge: GraphEdge, c: ClassCounts, sourceOut: number, seconds: number): KialiEdgeData {
  const data: KialiEdgeData = { id: edge.id, source: edge.source, target: edge.target, traffic: { protocol: edge.protocol } };
  if (edge.requests === 0) return data;
  if (edge.mtls > 0) data.isMTLS = ((edge.mtls * 100) / (edge.mtls + edge.plaintext)).toFixed(0);
  if (edge.protocol === 'tcp') {
    // A TCP edge: its bytes per second, and the share of them by flag set under the code `-` (Kiali weighs TCP responses by bytes); no response time.
    const total = sentTotal(edge);
    const rates = rateStrings({ tcp: total }, seconds);
    const flags = Object.fromEntries(Object.entries(edge.sentBytes).filter(([, n]) => n > 0).map(([f, n]) => [f, ((n * 100) / total).toFixed(1)]));
    data.traffic = total > 0 ? { protocol: 'tcp', rates, responses: { '-': { flags, hosts: { [edge.host]: '100.0' } } } } : { protocol: 'tcp', rates };
    return data;
  }
  if (edge.latencyMs.p99 > 0) data.responseTime = edge.latencyMs.p99.toFixed(0);
  const rates = rateStrings({ http: edge.requests, httpNoResponse: c.none, http3xx: c['3xx'], http4xx: c['4xx'], http5xx: c['5xx'] }, seconds);
  const errors = c.none + c['4xx'] + c['5xx'];
  if (errors > 0) rates.httpPercentErr = ((errors * 100) / edge.requests).toFixed(1);
  if (sourceOut > 0) rates.httpPercentReq = ((edge.requests * 100) / sourceOut).toFixed(1);
  const responses: KialiTraffic['responses'] = {};
  for (const [code, byFlags] of Object.entries(edge.responses)) {
    const share = (n: number): string => ((n * 100) / edge.requests).toFixed(1);
    const flags = Object.fromEntries(Object.entries(byFlags).map(([f, n]) => [f, share(n)]));
    const total = Object.values(byFlags).reduce((a, b) => a + b, 0);
    // Istio labels a request that never got an answer with response code 0; Kiali shows it as `-`.
    responses[code === '0' ? '-' : code] = { flags, hosts: { [edge.host]: share(total) } };
  }
  data.traffic = { protocol: 'http', rates, responses };
  return data;
}

/** Kiali's `rateToString`: at least `2` decimals, up to 5 so a small rate keeps one significant digit; zero rates left out. */
function rateStrings(counts: Record<string, number>, seconds: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, n] of Object.entries(counts)) {
    const rate = seconds > 0 ? n / seconds : 0;
    if (rate > 0) out[key] = rate.toFixed(Math.max(2, significantDecimals(rate, 5)));
  }
  return out;
}

function significantDecimals(value: number, max: number): number {
  let decimals = 0;
  for (let v = value; decimals < max && v < 1; v *= 10) decimals += 1;
  return decimals;
}

/**
 * Kiali's compound nodes: an app box around the versions of an app with more
 * than one (app graphs), and a namespace box around each namespace's nodes
 * when the graph spans more than one namespace (`boxByApp`, `boxByNamespace`).
 */
function boxes(nodes: Array<{ data: KialiNodeData }>, type: GraphType): Array<{ data: KialiNodeData }> {
  const out: Array<{ data: KialiNodeData }> = [];
  const group = (key: (n: KialiNodeData) => string | undefined, make: (first: KialiNodeData, id: string) => KialiNodeData, candidates: Array<{ data: KialiNodeData }>, minGroups: number): void => {
    const members = new Map<string, KialiNodeData[]>();
    for (const { data } of candidates) {
      const k = key(data);
      if (k !== undefined) members.set(k, [...(members.get(k) ?? []), data]);
    }
    if (members.size < minGroups) return;
    for (const [k, list] of members) {
      if (list.length < 2) continue;
      const box = make(list[0] as KialiNodeData, k);
      for (const m of list) m.parent = box.id;
      out.push({ data: box });
    }
  };
  if (type === 'versionedApp') group((n) => (n.nodeType === 'app' ? `box_${CLUSTER}_${n.namespace}_${n.app}` : undefined), appBox, nodes, 1);
  group((n) => (n.parent === undefined && n.namespace !== 'unknown' ? `box_${CLUSTER}_${n.namespace}` : undefined), namespaceBox, [...out, ...nodes], 2);
  return out.sort((a, b) => rank(a.data) - rank(b.data) || a.data.id.localeCompare(b.data.id));
}

function appBox(first: KialiNodeData, id: string): KialiNodeData {
  return { id, nodeType: 'box', cluster: CLUSTER, namespace: first.namespace, app: first.app, healthData: null, isBox: 'app' };
}

function namespaceBox(first: KialiNodeData, id: string): KialiNodeData {
  return { id, nodeType: 'box', cluster: CLUSTER, namespace: first.namespace, healthData: null, isBox: 'namespace' };
}

/** Parents before their children (Kiali sorts namespace boxes before app boxes). */
function rank(n: KialiNodeData): number {
  return n.isBox === 'namespace' ? 0 : 1;
}
