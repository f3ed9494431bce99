import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openSession, startGraph } from '../../src/api/index.ts';
import { kialiGraph } from '../../src/telemetry/index.ts';
import type { GraphEdge, GraphType, ServiceGraph } from '../../src/telemetry/index.ts';
import { frontBackMesh, service, sessionFrom, simulation } from '../helpers/mesh.ts';
import { meshviz } from '../helpers/meshvizCli.ts';

/** The default mesh for 20 s: web calls api; api calls cache and users (users-v1 failing 15–45 s, 90 % to v1); both users versions call db. */
function graphs(...types: GraphType[]): ServiceGraph[] {
  const opened = openSession([{ name: 'scenarios/default.yaml', text: readFileSync('scenarios/default.yaml', 'utf8') }]);
  if (!opened.ok) throw new Error('the default scenario does not load');
  const g = startGraph(opened.session, { duration: 20_000_000 });
  while (g.run.advance());
  return types.map((t) => g.graph(t));
}

const svc = (name: string) => `svc_Kubernetes_default_${name}`;
const sum = (edges: GraphEdge[], count: (e: GraphEdge) => number) => edges.reduce((n, e) => n + count(e), 0);

/**
 * Kiali's service graph (kiali/kiali graph/telemetry/common.go,
 * `ReduceToServiceGraph`): the workload graph with each service's edges to
 * its workloads replaced by those workloads' edges to services, and only the
 * workloads nothing calls kept.
 */
describe('meshviz graph --graph-type service', () => {
  it('draws services calling services: a service’s edge is the sum of its workloads’ calls (requests, answers, mTLS), and only web, which nothing calls, stays a workload', () => {
    const [workloads, services] = graphs('workload', 'service');
    if (!workloads || !services) throw new Error('no graphs');
    expect(services.edges.map((e) => e.id)).toEqual([`${svc('api')}>${svc('cache')}`, `${svc('api')}>${svc('users')}`, `${svc('users')}>${svc('db')}`, `wl_Kubernetes_default_web>${svc('api')}`].sort());
    expect(services.nodes.map((n) => n.id)).toEqual([svc('api'), svc('cache'), svc('db'), svc('users'), 'wl_Kubernetes_default_web'].sort());
    // users' two versions call db: one edge from the users service, their counts together.
    const fromUsersVersions = workloads.edges.filter((e) => e.target === svc('db'));
    expect(fromUsersVersions.map((e) => e.source)).toEqual(['wl_Kubernetes_default_users-v1', 'wl_Kubernetes_default_users-v2']);
    const toDb = services.edges.find((e) => e.source === svc('users') && e.target === svc('db'));
    expect(toDb?.requests).toBe(sum(fromUsersVersions, (e) => e.requests));
    expect(toDb?.mtls).toBe(sum(fromUsersVersions, (e) => e.mtls));
    expect(toDb?.responses['200']?.['-']).toBe(sum(fromUsersVersions, (e) => e.responses['200']?.['-'] ?? 0));
    expect(toDb?.reporter).toBe('source');
    const p99s = fromUsersVersions.map((e) => e.latencyMs.p99);
    expect(toDb?.latencyMs.p99).toBeGreaterThanOrEqual(Math.min(...p99s));
    expect(toDb?.latencyMs.p99).toBeLessThanOrEqual(Math.max(...p99s));
    // api's calls to users, failures and fail-fast UH included, are the api workload's own edge, from the api service.
    const fromApi = workloads.edges.find((e) => e.source === 'wl_Kubernetes_default_api' && e.target === svc('users'));
    const toUsers = services.edges.find((e) => e.source === svc('api') && e.target === svc('users'));
    expect(toUsers?.responses).toEqual(fromApi?.responses);
    expect(toUsers?.requests).toBe(fromApi?.requests);
    expect(Object.keys(toUsers?.responses ?? {})).toContain('503');
    // The root keeps its own edge as it was.
    const fromWeb = (g: ServiceGraph) => g.edges.find((e) => e.source === 'wl_Kubernetes_default_web');
    expect(fromWeb(services)).toEqual(fromWeb(workloads));
  });

  it('in Kiali’s JSON: graphType service, service nodes and the root workload, no app boxes', () => {
    const [services] = graphs('service');
    if (!services) throw new Error('no graph');
    const kiali = kialiGraph(services, 'service');
    expect(kiali.graphType).toBe('service');
    const types = kiali.elements.nodes.map((n) => n.data.nodeType).sort();
    expect(types).toEqual(['service', 'service', 'service', 'service', 'workload']);
    const web = kiali.elements.nodes.find((n) => n.data.nodeType === 'workload')?.data;
    expect(web?.workload).toBe('web');
    // The traffic source is Kiali's root (the node its service graph keeps); no service is.
    expect(web?.isRoot).toBe(true);
    expect(kiali.elements.nodes.filter((n) => n.data.isRoot).length).toBe(1);
    expect(kiali.elements.edges).toHaveLength(4);
  });

  it('is a choice of the CLI: the table has services on both sides', async () => {
    const r = await meshviz('graph', '--duration', '10s', '--graph-type', 'service');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^api \(service\)\s+users \(service\)\s+\d/m);
    expect(r.stdout).toMatch(/^users \(service\)\s+db \(service\)\s+\d/m);
    expect(r.stdout).not.toMatch(/users-v1/);
  }, 30_000);

  it('counts a workload’s calls once under a service that reaches it by HTTP and by TCP (Kiali, visiting the workload once per protocol, counts them twice)', () => {
    // front's Service has an HTTP port and a port Istio proxies as TCP, both to its pods; each request front serves calls back.
    const mesh = frontBackMesh().map((doc) => (doc === service('front') ? doc.replace('ports: [{ name: http, port: 8080, targetPort: 8080 }]', 'ports: [{ name: http, port: 8080, targetPort: 8080 }, { name: tcp-raw, port: 9000, targetPort: 8080 }]') : doc));
    const session = sessionFrom(
      ...mesh,
      simulation(`
seed: 3
workloads: { front: { calls: [{ service: back:8080, path: /b }] } }
traffic:
  - { name: web, from: client, to: front:8080, rps: 10, duration: 2s }
  - { name: raw, from: client, to: front:9000, rps: 5, duration: 2s }`),
    );
    const g = startGraph(session, { duration: 3_000_000 });
    while (g.run.advance());
    const workloads = g.graph('workload');
    const services = g.graph('service');
    const intoFront = workloads.edges.filter((e) => e.source === svc('front') && e.target === 'wl_Kubernetes_default_front');
    expect(intoFront.map((e) => e.protocol).sort()).toEqual(['http', 'tcp']);
    const fromFront = workloads.edges.find((e) => e.source === 'wl_Kubernetes_default_front' && e.target === svc('back'));
    expect(fromFront?.requests).toBeGreaterThan(0);
    const toBack = services.edges.filter((e) => e.target === svc('back'));
    expect(toBack.map((e) => e.source)).toEqual([svc('front')]);
    expect(toBack[0]?.requests).toBe(fromFront?.requests);
  });
});
