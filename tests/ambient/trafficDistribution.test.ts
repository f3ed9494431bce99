import { describe, expect, it } from 'vitest';
import { runSimulation } from '../../src/api/index.ts';
import { deployment, service, sessionFrom } from '../helpers/mesh.ts';

/**
 * Traffic distribution on ztunnels (§11). Facts, with sources:
 * - istiod turns `spec.trafficDistribution` (first), else the Service's `networking.istio.io/traffic-distribution`
 *   annotation, else the namespace's, into the Service's load-balancing preference for ztunnel; `PreferClose` is
 *   `PreferSameZone` (Istio src pilot/pkg/model/service.go `GetTrafficDistribution`; an annotation value it does not
 *   know: "defaulting to any", with a warning): NETWORK, REGION, ZONE in FAILOVER mode; `PreferSameNode` adds
 *   SUBZONE and NODE (pilot/pkg/serviceregistry/ambient/services.go, `preferSameZoneLoadBalancer`,
 *   `preferSameNodeLoadBalancer`).
 * - ztunnel ranks each endpoint by how many of those scopes, in order, it shares with the caller (the caller's
 *   locality and node), and picks at random among the best-ranked only (ztunnel src src/state.rs, `load_balance`);
 *   without a preference, at random among all.
 * - A pod's locality is its node's `topology.kubernetes.io/region` / `zone` labels.
 * Here the client runs on node-1 (zone a); server's four pods run on node-2 (b), node-3 (a), node-4 (b), node-1 (a).
 */
const NODES = [1, 2, 3, 4].map(
  (n) => `apiVersion: v1
kind: Node
metadata:
  name: node-${n}
  labels: { topology.kubernetes.io/region: r1, topology.kubernetes.io/zone: ${n % 2 === 1 ? 'a' : 'b'} }`,
);

const namespace = (annotations = '') => `apiVersion: v1
kind: Namespace
metadata:
  name: default
  labels: { istio.io/dataplane-mode: ambient }${annotations ? `\n  annotations: { ${annotations} }` : ''}`;

const SIMULATION = `apiVersion: meshviz.dev/v1alpha1
kind: Simulation
metadata: { name: distribution }
spec:
  flavor: istio-ambient
  seed: 7
  nodes: 4
  traffic: [{ name: load, from: client, to: server:8080, rps: 200, duration: 4s }]`;

/** The share of the 800 requests each server pod received, by the pod's node. */
function sharesByNode(opts: { spec?: string; annotation?: string; namespaceAnnotation?: string } = {}) {
  let server = service('server');
  if (opts.annotation) server = server.replace('metadata: { name: server, namespace: default }', `metadata: { name: server, namespace: default, annotations: { networking.istio.io/traffic-distribution: ${opts.annotation} } }`);
  if (opts.spec) server = server.replace('spec:\n', `spec:\n  trafficDistribution: ${opts.spec}\n`);
  const session = sessionFrom(namespace(opts.namespaceAnnotation), ...NODES, deployment('client', { app: 'client' }), deployment('server', { app: 'server' }, 4), server, SIMULATION);
  const report = runSimulation(session);
  expect(report.requests.total).toBe(800);
  expect(report.requests.byCode).toEqual({ '200': 800 });
  const nodeOf = new Map(session.scenario.pods.map((p) => [p.name, p.node]));
  expect(nodeOf.get(session.scenario.pods.find((p) => p.workload === 'client')?.name as string)).toBe('node-1');
  const out: Record<string, number> = {};
  for (const p of report.pods) if (p.workload === 'server') out[nodeOf.get(p.name) as string] = p.received / 800;
  return { shares: out, diagnostics: session.diagnostics };
}

describe('trafficDistribution on ztunnels (§11)', () => {
  it('default: every server pod alike (each 25 %, ±5 points over 800 seeded requests)', () => {
    const { shares } = sharesByNode();
    for (const node of ['node-1', 'node-2', 'node-3', 'node-4']) expect(Math.abs((shares[node] ?? 0) - 0.25)).toBeLessThan(0.05);
  });

  it('spec.trafficDistribution: PreferClose: only the pods in the client’s zone (node-1, node-3), about half each (±6 points)', () => {
    const { shares } = sharesByNode({ spec: 'PreferClose' });
    expect([shares['node-2'], shares['node-4']]).toEqual([0, 0]);
    expect((shares['node-1'] ?? 0) + (shares['node-3'] ?? 0)).toBe(1);
    expect(Math.abs((shares['node-1'] ?? 0) - 0.5)).toBeLessThan(0.06);
  });

  it('the annotation PreferSameNode: only the pod on the client’s own node', () => {
    expect(sharesByNode({ annotation: 'PreferSameNode' }).shares).toEqual({ 'node-1': 1, 'node-2': 0, 'node-3': 0, 'node-4': 0 });
  });

  it('the spec wins over the annotation; the namespace’s annotation is inherited (read without case)', () => {
    const specFirst = sharesByNode({ spec: 'PreferClose', annotation: 'PreferSameNode' }).shares;
    expect([specFirst['node-2'], specFirst['node-4'], specFirst['node-1'] === 1]).toEqual([0, 0, false]);
    expect(sharesByNode({ namespaceAnnotation: 'networking.istio.io/traffic-distribution: prefersamenode' }).shares['node-1']).toBe(1);
  });

  it('an annotation value istiod does not know: a warning (MV0708) and no preference', () => {
    const { shares, diagnostics } = sharesByNode({ annotation: 'Nearby' });
    expect(diagnostics.filter((d) => d.code === 'MV0708').map((d) => [d.severity, d.resource, d.path])).toEqual([['warning', 'Service/default/server', 'metadata.annotations["networking.istio.io/traffic-distribution"]']]);
    expect(shares['node-2']).toBeGreaterThan(0.15);
  });

  it('where an Envoy picks the endpoint it is reported, not dropped: through a waypoint (MV0709), under sidecars (MV0033)', () => {
    const server = service('server').replace('spec:\n', 'spec:\n  trafficDistribution: PreferClose\n');
    const bound = server.replace('metadata: { name: server, namespace: default }', 'metadata: { name: server, namespace: default, labels: { istio.io/use-waypoint: waypoint } }');
    const waypoint = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: waypoint, namespace: default }
spec:
  gatewayClassName: istio-waypoint
  listeners: [{ name: mesh, port: 15008, protocol: HBONE }]`;
    const ambient = sessionFrom(namespace(), ...NODES, deployment('client', { app: 'client' }), deployment('server', { app: 'server' }, 4), bound, waypoint, SIMULATION);
    expect(ambient.diagnostics.filter((d) => d.code === 'MV0709').map((d) => [d.severity, d.resource])).toEqual([['info', 'Service/default/server']]);
    const sidecars = sessionFrom(...NODES, deployment('client', { app: 'client' }), deployment('server', { app: 'server' }, 4), server, SIMULATION.replace('flavor: istio-ambient', 'flavor: istio').replace('  nodes: 4\n', ''));
    expect(sidecars.diagnostics.filter((d) => d.code === 'MV0033').map((d) => [d.severity, d.path])).toEqual([['info', 'spec.trafficDistribution']]);
  });

  it('a spec value the API server refuses is a positioned error', () => {
    const server = service('server').replace('spec:\n', 'spec:\n  trafficDistribution: Nearby\n');
    expect(() => sessionFrom(namespace(), ...NODES, deployment('client', { app: 'client' }), deployment('server', { app: 'server' }, 4), server, SIMULATION)).toThrow(/trafficDistribution must be one of PreferClose, PreferSameZone, PreferSameNode, not "Nearby"/);
  });
});
