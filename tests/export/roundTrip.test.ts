import { readFileSync } from 'node:fs';
import { Gateway } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { Scenario } from '../../src/model/index.ts';
import { exportedApiVersion, exportScenario, loadScenario } from '../../src/istio/index.ts';
import { scenarioYaml } from './scenarioArbitrary.ts';

/**
 * The model a scenario file gives, minus what depends on where things were
 * written (source positions, document order numbers) and with Istio
 * apiVersions as export writes them (v1). Namespaces compare as a set:
 * export writes Namespace documents only for namespaces with labels.
 */
function comparable(scenario: Scenario): unknown {
  const plain = JSON.parse(
    JSON.stringify(scenario, (key, value: unknown) => (key === 'source' || key === 'positions' || key === 'order' ? undefined : value)),
  ) as Scenario;
  for (const list of [plain.virtualServices, plain.destinationRules, plain.peerAuthentications, plain.authorizationPolicies, plain.otherResources]) {
    for (const resource of list) resource.apiVersion = exportedApiVersion(resource);
  }
  plain.namespaces.sort((a, b) => (a.name < b.name ? -1 : 1));
  return plain;
}

function roundTrip(name: string, text: string): { before: unknown; after: unknown; exported: string } {
  const loaded = loadScenario([{ name, text }]);
  const exported = exportScenario(loaded.scenario, { sources: [{ name, text }] });
  const reloaded = loadScenario([{ name: 'exported.yaml', text: exported }]);
  // Nothing new to say about the export: warnings the input had (an ambiguous name) may remain.
  const before = new Set(loaded.diagnostics.map((d) => d.code));
  expect(reloaded.diagnostics.filter((d) => d.severity === 'error' || !before.has(d.code))).toEqual([]);
  return { before: comparable(loaded.scenario), after: comparable(reloaded.scenario), exported };
}

describe('load → export → load', () => {
  it.each(['default', 'bookinfo', 'linkerd', 'ambient'])('gives the same model for the built-in %s scenario', (builtIn) => {
    const text = readFileSync(new URL(`../../scenarios/${builtIn}.yaml`, import.meta.url), 'utf8');
    const { before, after } = roundTrip(`${builtIn}.yaml`, text);
    expect(after).toEqual(before);
  });

  it('keeps the mesh config’s localityLbSetting (written into the Simulation’s mesh) and ServiceEntry endpoints', () => {
    const text = ['examples/locality/mesh.yaml', 'examples/locality/simulation.yaml', 'examples/egress/mesh.yaml']
      .map((path) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8'))
      .concat('apiVersion: v1\nkind: ConfigMap\nmetadata: { name: istio, namespace: istio-system }\ndata:\n  mesh: |\n    localityLbSetting: { failover: [{ from: us-east, to: us-west }] }')
      .join('\n---\n');
    const { before, after, exported } = roundTrip('mixed.yaml', text);
    expect(after).toEqual(before);
    expect((after as Scenario).mesh.localityLbSetting).toEqual({ failover: [{ from: 'us-east', to: 'us-west' }] });
    expect(exported).toContain('localityLbSetting:');
  });

  it.each(['examples/canary/podinfo.yaml', 'examples/canary/rollouts-demo.yaml'])('keeps the Flagger Canary and the Argo Rollout of %s: the same rollouts, documents and all', (path) => {
    const text = readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
    const { before, after, exported } = roundTrip(path, text);
    expect(after).toEqual(before);
    const kind = path.includes('podinfo') ? 'Canary' : 'Rollout';
    expect(exported).toContain(`apiVersion: ${kind === 'Canary' ? 'flagger.app/v1beta1' : 'argoproj.io/v1alpha1'}\nkind: ${kind}\n`);
    const rollouts = (after as Scenario)[kind === 'Canary' ? 'rollouts' : 'argoRollouts'];
    expect(rollouts).toHaveLength(1);
    expect(rollouts[0]?.document?.kind).toBe(kind);
  });

  it('gives the same model for generated scenarios, and exporting again changes nothing', () => {
    fc.assert(
      fc.property(scenarioYaml, (text) => {
        const loaded = loadScenario([{ name: 'g.yaml', text }]);
        fc.pre(!loaded.diagnostics.some((d) => d.severity === 'error'));
        const { before, after, exported } = roundTrip('g.yaml', text);
        expect(after).toEqual(before);
        const again = exportScenario(loadScenario([{ name: 'exported.yaml', text: exported }]).scenario);
        expect(again).toBe(exportScenario(loadScenario([{ name: 'exported.yaml', text: exported }]).scenario, { sources: [] }));
      }),
      { numRuns: 100 },
    );
  }, 60_000);
});

/**
 * An ambient scenario with what a round trip through export can lose: a
 * namespace in the mesh with one workload opting out by its label, one that
 * keeps a sidecar, waypoints of two traffic types (one on another HBONE
 * port), a Service bound to a waypoint with a cluster IP and a traffic
 * distribution, and the Simulation's node count.
 */
const deployment = (name: string, labels: string, annotations?: string, replicas = 1): string => `---
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: shop }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: ${labels}${annotations ? `, annotations: ${annotations}` : ''} }
    spec: { containers: [{ name: ${name}, image: x }] }`;

const AMBIENT = `
apiVersion: v1
kind: Namespace
metadata: { name: shop, labels: { istio.io/dataplane-mode: ambient } }
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: waypoint, namespace: shop }
spec:
  gatewayClassName: istio-waypoint
  listeners: [{ name: mesh, port: 15008, protocol: HBONE }]
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: pods-waypoint, namespace: shop, labels: { istio.io/waypoint-for: workload } }
spec:
  gatewayClassName: istio-waypoint
  listeners: [{ name: mesh, port: 15009, protocol: HBONE }]
${deployment('web', '{ app: web }')}
${deployment('legacy', '{ app: legacy, istio.io/dataplane-mode: none }')}
${deployment('proxied', '{ app: proxied }', '{ sidecar.istio.io/inject: "true" }')}
${deployment('api', '{ app: api }', undefined, 2)}
---
apiVersion: v1
kind: Service
metadata: { name: api, namespace: shop, labels: { istio.io/use-waypoint: waypoint } }
spec:
  clusterIP: 10.96.0.42
  trafficDistribution: PreferClose
  selector: { app: api }
  ports: [{ name: http, port: 8080 }]
---
apiVersion: meshviz.dev/v1alpha1
kind: Simulation
metadata: { name: ambient-export }
spec:
  flavor: istio-ambient
  nodes: 3
  traffic: [{ name: t, from: web, to: api:8080, rps: 5, duration: 2s }]
`;

describe('an ambient scenario through export', () => {
  const loaded = loadScenario([{ name: 'ambient.yaml', text: AMBIENT }]);
  const exported = exportScenario(loaded.scenario);

  it('loads back as the same model: captured pods, waypoints, the Service binding and the node count', () => {
    const { before, after } = roundTrip('ambient.yaml', AMBIENT);
    expect(after).toEqual(before);
    // What the comparison covers, said outright so a model that lost these on both sides would not pass.
    const ambientWorkloads = new Set(loaded.scenario.pods.filter((p) => p.ambient).map((p) => p.workload));
    expect([...ambientWorkloads].sort()).toEqual(['api', 'web']);
    expect(loaded.scenario.waypoints.map((w) => [w.name, w.trafficType, w.hbonePort])).toEqual([
      ['waypoint', 'service', 15008],
      ['pods-waypoint', 'workload', 15009],
    ]);
    expect(new Set(loaded.scenario.pods.map((p) => p.node))).toEqual(new Set(['node-1', 'node-2', 'node-3']));
  });

  it('writes a captured workload without an injection annotation, and a sidecar in an ambient namespace with one', () => {
    const docs = parseAllDocuments(exported).map((d) => d.toJS() as { kind: string; metadata: { name: string }; spec: { template?: { metadata: { annotations?: Record<string, string> } } } });
    const annotations = (name: string) => docs.find((d) => d.kind === 'Deployment' && d.metadata.name === name)?.spec.template?.metadata.annotations;
    expect(annotations('web')).toBeUndefined();
    expect(annotations('api')).toBeUndefined();
    expect(annotations('proxied')).toEqual({ 'sidecar.istio.io/inject': 'true' });
  });

  it('writes the waypoints as Gateway API Gateways the Gateway CRD schema accepts, and the Service with its binding', () => {
    const docs = parseAllDocuments(exported).map((d) => d.toJS() as Record<string, unknown> & { kind: string; metadata: { name: string; labels?: Record<string, string> } });
    const gateways = docs.filter((d) => d.kind === 'Gateway');
    expect(gateways.map((g) => g.metadata)).toEqual([
      { name: 'waypoint', namespace: 'shop', labels: { 'istio.io/waypoint-for': 'service' } },
      { name: 'pods-waypoint', namespace: 'shop', labels: { 'istio.io/waypoint-for': 'workload' } },
    ]);
    for (const g of gateways) new Gateway(g as never).validate();
    const api = docs.find((d) => d.kind === 'Service' && d.metadata.name === 'api') as { metadata: unknown; spec: Record<string, unknown> } | undefined;
    expect(api?.metadata).toEqual({ name: 'api', namespace: 'shop', labels: { 'istio.io/use-waypoint': 'waypoint' } });
    expect(api?.spec['clusterIP']).toBe('10.96.0.42');
    expect(api?.spec['trafficDistribution']).toBe('PreferClose');
    expect(exported).toMatch(/^ {2}nodes: 3$/m);
  });
});
