import { describe, expect, it } from 'vitest';
import type { GraphEdge, ServiceGraph } from '../../telemetry/index.ts';
import { edgeFacts, nodeFacts } from './graphFacts.ts';

const edge = (responses: GraphEdge['responses'], mtls: number, plaintext: number): GraphEdge => {
  const requests = Object.values(responses).reduce((n, f) => n + Object.values(f).reduce((a, b) => a + b, 0), 0);
  return { id: 'a>b', source: 'a', target: 'b', reporter: 'source', protocol: 'http', host: 'b.default.svc.cluster.local', sentBytes: {}, requests, responses, mtls, plaintext, latencyMs: { p50: 4, p90: 9, p99: 38.4 } };
};

describe('what the Graph view writes on an edge', () => {
  it('requests/s, the error share, p99, and a lock when every request crossed over mTLS', () => {
    // 100 requests in 10 s, 12 of them 503: failing, as Kiali colours 10 % 5xx.
    const facts = edgeFacts(edge({ '200': { '-': 88 }, '503': { UH: 12 } }, 88, 0), 10_000, 'api', 'users');
    expect(facts).toEqual({
      lines: ['10.0 rps', '12% err', 'p99 38ms'],
      health: 'failure',
      mtls: 'all',
      flow: 3,
      words: 'api → users: 10.0 requests/s, 12% errors, p99 38ms, all over mTLS, failure',
    });
  });
  it('no error line on a healthy edge; an open lock for a mix; slow marks for a trickle', () => {
    const facts = edgeFacts(edge({ '200': { '-': 3 } }, 2, 1), 10_000, 'a', 'b');
    expect(facts).toMatchObject({ lines: ['0.30 rps', '', 'p99 38ms'], health: 'healthy', mtls: 'some', flow: 1 });
  });
  it('a TCP edge: connections/s, the share its proxy failed (a flag) and the bytes sent back per second; no response time', () => {
    // 20 connections in 10 s through a gateway's TCP proxy, 2 of them failed by the proxy (UF): 10 %, failing as a missing answer does.
    const tcp: GraphEdge = { ...edge({ '0': { '-': 18, UF: 2 } }, 18, 0), protocol: 'tcp', sentBytes: { '-': 18 * 132 } };
    expect(edgeFacts(tcp, 10_000, 'gateway', 'vault')).toEqual({
      lines: ['2.00 conn/s', '10% failed', '238 B/s'],
      health: 'failure',
      mtls: 'all',
      flow: 2,
      words: 'gateway → vault: TCP, 2.00 connections/s, 238 B/s, 10% failed, all over mTLS, failure',
    });
  });
  it('an edge without requests in the window is idle and still', () => {
    expect(edgeFacts(undefined, 10_000, 'a', 'b')).toMatchObject({ lines: ['idle', '', ''], health: 'idle', flow: 0 });
  });
});

describe('ejected pods on a node', () => {
  it('counts the pods of its workload that some caller holds ejected', () => {
    const graph: ServiceGraph = { durationMs: 1, edges: [], nodes: [{ id: 'vapp_Kubernetes_default_ratings-v1', kind: 'app', namespace: 'default', workload: 'ratings-v1', outOfMesh: false }] };
    const pods = [
      { name: 'ratings-v1-a', workload: 'ratings-v1', namespace: 'default', labels: { app: 'ratings', version: 'v1' } },
      { name: 'ratings-v1-b', workload: 'ratings-v1', namespace: 'default', labels: { app: 'ratings', version: 'v1' } },
      { name: 'reviews-v2-a', workload: 'reviews-v2', namespace: 'default', labels: { app: 'reviews', version: 'v2' } },
    ];
    const ejected = new Map([
      ['reviews-v2-a|outbound|9080|v1|ratings.default.svc.cluster.local|ratings-v1-a', { at: 0, duration: 30_000_000 }],
      ['reviews-v3-a|outbound|9080|v1|ratings.default.svc.cluster.local|ratings-v1-a', { at: 0, duration: 30_000_000 }],
    ]);
    expect(nodeFacts(graph, ejected, pods).get('vapp_Kubernetes_default_ratings-v1')).toEqual({ ejected: 1, pods: 2 });
  });

  it('on an app node (Kiali’s app graph), counts the pods of every workload of the app in its namespace', () => {
    const graph: ServiceGraph = { durationMs: 1, edges: [], nodes: [{ id: 'app_Kubernetes_default_users', kind: 'app', namespace: 'default', app: 'users', outOfMesh: false }] };
    const pods = [
      { name: 'users-v1-a', workload: 'users-v1', namespace: 'default', labels: { app: 'users', version: 'v1' } },
      { name: 'users-v2-a', workload: 'users-v2', namespace: 'default', labels: { app: 'users', version: 'v2' } },
      { name: 'users-v1-x', workload: 'users-v1', namespace: 'other', labels: { app: 'users', version: 'v1' } },
      { name: 'db-a', workload: 'db', namespace: 'default', labels: { app: 'db', version: 'v1' } },
    ];
    const ejected = new Map([['api-a|outbound|8080|v1|users.default.svc.cluster.local|users-v1-a', { at: 0, duration: 30_000_000 }]]);
    expect(nodeFacts(graph, ejected, pods).get('app_Kubernetes_default_users')).toEqual({ ejected: 1, pods: 2 });
  });
});
