import { describe, expect, it } from 'vitest';
import { loadScenario } from './loadScenario.ts';

function app(name: string, ns = 'default', ports = '[{port: 8080}]'): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${ns}}
spec:
  template:
    metadata: {labels: {app: ${name}}}
---
apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: ${ns}}
spec:
  selector: {app: ${name}}
  ports: ${ports}
---
`;
}

const cluster = app('web') + app('api') + app('users', 'shop', '[{port: 8080}, {port: 9090}]') + app('orders', 'shop');
const simulation = (spec: string) =>
  `apiVersion: meshviz.dev/v1alpha1\nkind: Simulation\nmetadata: {name: sim}\nspec:\n${spec.replace(/^/gm, '  ')}\n`;
const findings = (spec: string, extra = '') =>
  loadScenario([{ name: 'cluster.yaml', text: cluster + extra }, { name: 'sim.yaml', text: simulation(spec) }])
    .diagnostics.map((d) => `${d.code} ${d.severity} ${d.path} ${d.source?.file}:${d.source?.line}: ${d.message}`);

describe('checkReferences', () => {
  it('resolves hosts by short name, name.namespace, .svc and FQDN, from the caller namespace', () => {
    expect(findings(`workloads:
  web:
    calls:
      - service: api
      - service: users.shop:9090
      - service: users.shop.svc
      - service: users.shop.svc.cluster.local:8080
  orders:
    calls:
      - service: users
traffic:
  - {from: web, to: "api:8080", rps: 1, duration: 1s}
  - {name: outside, from: external, to: api.default.svc.cluster.local., rps: 1, duration: 1s}`)).toEqual([]);
  });

  it('reports each reference that resolves to nothing, where the Simulation names it', () => {
    expect(findings(`workloads:
  cart: {}
  web:
    calls:
      - service: users
      - service: users.shop:7070
      - service: users.shop.svc.other.domain
traffic:
  - {from: mobile, to: api, rps: 1, duration: 1s}
  - {from: external, to: users, rps: 1, duration: 1s}
timeline:
  - {at: 1s, fail: {workload: payments, mode: reset}}
  - {at: 2s, recover: {pod: api-0}}`)).toEqual([
      'MV0203 error spec.workloads.cart sim.yaml:6: no Deployment named "cart"',
      'MV0201 error spec.workloads.web.calls[0].service sim.yaml:9: "users" resolves to no Service when dialled from namespace default (a host outside the cluster is written in full, e.g. api.example.com)',
      'MV0202 error spec.workloads.web.calls[1].service sim.yaml:10: Service shop/users has no port 7070 (ports: 8080, 9090)',
      'MV0201 error spec.workloads.web.calls[2].service sim.yaml:11: "users.shop.svc.other.domain" resolves to no Service when dialled from namespace default (a host outside the cluster is written in full, e.g. api.example.com)',
      'MV0200 error spec.traffic[0].from sim.yaml:13: no Deployment named "mobile" (use a Deployment name or "external")',
      'MV0201 error spec.traffic[1].to sim.yaml:14: "users" resolves to no Service when dialled from namespace default (a host outside the cluster is written in full, e.g. api.example.com)',
      'MV0203 error spec.timeline[0].fail.workload sim.yaml:16: no Deployment named "payments"',
      'MV0204 error spec.timeline[1].recover.pod sim.yaml:17: no pod named "api-0"',
    ]);
  });

  it('accepts generated pod names as timeline targets', () => {
    const { scenario } = loadScenario([{ name: 'c.yaml', text: cluster }]);
    const pod = scenario.pods.find((p) => p.workload === 'api')?.name ?? '';
    expect(findings(`timeline:\n  - {at: 1s, fail: {pod: ${pod}, mode: hang}}`)).toEqual([]);
  });

  it('warns when a workload name is used in several namespaces', () => {
    expect(findings('workloads: {api: {}}', app('api', 'shop'))).toEqual([
      'MV0205 warning spec.workloads.api sim.yaml:5: "api" names Deployments in several namespaces (default, shop); this applies to all',
    ]);
  });

  it('honours a custom cluster domain', () => {
    expect(findings('mesh: {clusterDomain: corp.internal}\nworkloads: {web: {calls: [{service: api.default.svc.corp.internal}]}}')).toEqual([]);
  });
});
