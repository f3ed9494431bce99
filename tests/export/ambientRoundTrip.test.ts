import { Gateway } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { Scenario } from '../../src/model/index.ts';
import { exportScenario, loadScenario } from '../../src/istio/index.ts';

/**
 * An ambient scenario with what a round trip through export can lose: a
 * namespace in the mesh with one workload opting out by its label, one that
 * keeps a sidecar, waypoints of two traffic types (one on another HBONE
 * port), a Service bound to a waypoint with a cluster IP and a traffic
 * distribution, and the Simulation's node count.
 */
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
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  selector: { matchLabels: { app: web } }
  template: { metadata: { labels: { app: web } }, spec: { containers: [{ name: web, image: x }] } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: legacy, namespace: shop }
spec:
  selector: { matchLabels: { app: legacy } }
  template: { metadata: { labels: { app: legacy, istio.io/dataplane-mode: none } }, spec: { containers: [{ name: legacy, image: x }] } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: proxied, namespace: shop }
spec:
  selector: { matchLabels: { app: proxied } }
  template:
    metadata: { labels: { app: proxied }, annotations: { sidecar.istio.io/inject: "true" } }
    spec: { containers: [{ name: proxied, image: x }] }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: api, namespace: shop }
spec:
  replicas: 2
  selector: { matchLabels: { app: api } }
  template: { metadata: { labels: { app: api } }, spec: { containers: [{ name: api, image: x }] } }
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

function comparable(scenario: Scenario): unknown {
  return JSON.parse(JSON.stringify(scenario, (key, value: unknown) => (key === 'source' || key === 'positions' || key === 'order' ? undefined : value)));
}

describe('an ambient scenario through export', () => {
  const loaded = loadScenario([{ name: 'ambient.yaml', text: AMBIENT }]);
  const exported = exportScenario(loaded.scenario);
  const reloaded = loadScenario([{ name: 'exported.yaml', text: exported }]);

  it('loads back as the same model: captured pods, waypoints, the Service binding and the node count', () => {
    expect(reloaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(comparable(reloaded.scenario)).toEqual(comparable(loaded.scenario));
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
