import { describe, expect, it } from 'vitest';
import { kialiGraph } from './kialiGraph.ts';
import type { GraphEdge, ServiceGraph } from './ServiceGraph.ts';

// Field names, rate keys and precision as Kiali writes them: kiali/kiali at
// d733a096e02eea357a274edcbbde8314e80786f4, graph/config/common/common.go
// (Config, NodeData, EdgeData, ProtocolTraffic, addEdgeTelemetry, rateToString,
// boxByApp, boxByNamespace) and graph/protocol.go (the HTTP rates).

const edge = (over: Partial<GraphEdge> & Pick<GraphEdge, 'source' | 'target' | 'requests' | 'responses'>): GraphEdge => ({
  id: `${over.source}>${over.target}`,
  reporter: 'source',
  protocol: 'http',
  host: 'users.default.svc.cluster.local',
  sentBytes: {},
  mtls: 0,
  plaintext: 0,
  latencyMs: { p50: 5, p90: 10, p99: 42.4 },
  ...over,
});

const graph: ServiceGraph = {
  durationMs: 60_000,
  nodes: [
    { id: 'vapp_Kubernetes_default_api', kind: 'app', namespace: 'default', workload: 'api', app: 'api', version: 'latest', outOfMesh: false },
    { id: 'svc_Kubernetes_default_users', kind: 'service', namespace: 'default', service: 'users', host: 'users.default.svc.cluster.local', outOfMesh: false },
    { id: 'vapp_Kubernetes_default_users-v1', kind: 'app', namespace: 'default', workload: 'users-v1', app: 'users', version: 'v1', outOfMesh: false },
    { id: 'vapp_Kubernetes_default_users-v2', kind: 'app', namespace: 'default', workload: 'users-v2', app: 'users', version: 'v2', outOfMesh: false },
    { id: 'vapp_Kubernetes_other_legacy', kind: 'app', namespace: 'other', workload: 'legacy', app: 'legacy', version: 'latest', outOfMesh: true },
  ],
  edges: [
    // 1200 requests in 60 s: 20 rps; 600 answered 503 UH by the caller's sidecar, 300 503 URX, 12 reset (no response).
    edge({ source: 'vapp_Kubernetes_default_api', target: 'svc_Kubernetes_default_users', requests: 1200, responses: { '0': { UF: 12 }, '200': { '-': 288 }, '503': { UH: 600, URX: 300 } }, mtls: 600, plaintext: 0 }),
    edge({ source: 'svc_Kubernetes_default_users', target: 'vapp_Kubernetes_default_users-v1', reporter: 'destination', requests: 3, responses: { '200': { '-': 3 } }, mtls: 3 }),
  ],
};

describe("the graph in Kiali's JSON", () => {
  const kiali = kialiGraph(graph, 'versionedApp');

  it('has the top-level fields of Config and cytoscape elements of data', () => {
    expect(Object.keys(kiali)).toEqual(['timestamp', 'duration', 'graphType', 'elements']);
    expect(kiali).toMatchObject({ timestamp: 60, duration: 60, graphType: 'versionedApp' });
    expect(Object.keys(kiali.elements)).toEqual(['nodes', 'edges']);
    for (const n of kiali.elements.nodes) expect(Object.keys(n)).toEqual(['data']);
  });

  it('gives an edge its HTTP rates as strings: two decimals, percentages with one', () => {
    const e = kiali.elements.edges[0]!.data;
    expect(e.traffic).toEqual({
      protocol: 'http',
      rates: { http: '20.00', httpNoResponse: '0.20', http5xx: '15.00', httpPercentErr: '76.0', httpPercentReq: '100.0' },
      responses: {
        '-': { flags: { UF: '1.0' }, hosts: { 'users.default.svc.cluster.local': '1.0' } },
        '200': { flags: { '-': '24.0' }, hosts: { 'users.default.svc.cluster.local': '24.0' } },
        '503': { flags: { UH: '50.0', URX: '25.0' }, hosts: { 'users.default.svc.cluster.local': '75.0' } },
      },
    });
    // Of the 600 that crossed the wire, all did over mTLS; p99 42.4 ms → "42".
    expect(e).toMatchObject({ isMTLS: '100', responseTime: '42' });
  });

  it('keeps one significant digit of a small rate (3 requests in 60 s: 0.05 rps; in an hour: 0.0008)', () => {
    expect(kiali.elements.edges[1]!.data.traffic).toMatchObject({ rates: { http: '0.05', httpPercentReq: '100.0' } });
    const slow = kialiGraph({ ...graph, durationMs: 3_600_000 }, 'versionedApp');
    expect(slow.elements.edges[1]!.data.traffic).toMatchObject({ rates: { http: '0.0008' } });
  });

  it('gives nodes their in and out rates, with the error classes of what came in', () => {
    const users = kiali.elements.nodes.find((n) => n.data.id === 'svc_Kubernetes_default_users')!.data;
    expect(users.traffic).toEqual([{ protocol: 'http', rates: { httpIn: '20.00', httpIn5xx: '15.00', httpInNoResponse: '0.20', httpOut: '0.05' } }]);
    expect(users).toMatchObject({ nodeType: 'service', cluster: 'Kubernetes', namespace: 'default', service: 'users', healthData: null });
  });

  it("boxes an app's versions, and each namespace when there is more than one", () => {
    const boxes = kiali.elements.nodes.filter((n) => n.data.nodeType === 'box').map((n) => n.data);
    expect(boxes).toEqual([
      { id: 'box_Kubernetes_default', nodeType: 'box', cluster: 'Kubernetes', namespace: 'default', healthData: null, isBox: 'namespace' },
      { id: 'box_Kubernetes_default_users', nodeType: 'box', cluster: 'Kubernetes', namespace: 'default', app: 'users', healthData: null, isBox: 'app', parent: 'box_Kubernetes_default' },
    ]);
    const parent = (id: string) => kiali.elements.nodes.find((n) => n.data.id === id)!.data.parent;
    expect(parent('vapp_Kubernetes_default_users-v1')).toBe('box_Kubernetes_default_users');
    expect(parent('vapp_Kubernetes_default_api')).toBe('box_Kubernetes_default');
    // A namespace with one node gets no box (Kiali boxes groups of two or more).
    expect(parent('vapp_Kubernetes_other_legacy')).toBeUndefined();
    expect(kiali.elements.nodes.find((n) => n.data.id === 'vapp_Kubernetes_other_legacy')!.data.isOutOfMesh).toBe(true);
  });

  it('marks as a root what Kiali’s traffic-generator appender does: a node with edges out and none in (api), not one called (users) nor an idle one (legacy)', () => {
    const root = (id: string) => kiali.elements.nodes.find((n) => n.data.id === id)?.data.isRoot;
    expect(root('vapp_Kubernetes_default_api')).toBe(true);
    expect(root('svc_Kubernetes_default_users')).toBeUndefined();
    expect(root('vapp_Kubernetes_default_users-v1')).toBeUndefined();
    expect(root('vapp_Kubernetes_other_legacy')).toBeUndefined();
  });
});

