import { describe, expect, it } from 'vitest';
import { loadScenario } from '../load/loadScenario.ts';
import { exportScenario } from './exportScenario.ts';

const exported = (text: string) => {
  const files = [{ name: 'in.yaml', text }];
  return exportScenario(loadScenario(files).scenario, { sources: files });
};

describe('exportScenario', () => {
  it('writes Istio resources in v1, spec fields in proto order, keeping the comments of an unchanged spec', () => {
    const out = exported(`# the canary for reviews
apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata: {name: reviews, namespace: shop}
spec:
  http:
  - route:   # v1 still takes most
    - weight: 90
      destination: {subset: v1, host: reviews}
    - destination: {host: reviews, subset: v2}
      weight: 10
    timeout: 2s
    # jason always gets v2
    name: canary
  hosts: [reviews]
`);
    expect(out).toBe(`# the canary for reviews

apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
  namespace: shop
spec:
  hosts: [ reviews ]
  http:
    - # jason always gets v2
      name: canary
      route:
        # v1 still takes most
        - destination: { host: reviews, subset: v1 }
          weight: 90
        - destination: { host: reviews, subset: v2 }
          weight: 10
      timeout: 2s
`);
  });

  it('writes Kubernetes objects from the model, with an injection annotation only where the namespace alone would differ', () => {
    const out = exported(`apiVersion: v1
kind: Namespace
metadata: {name: legacy, labels: {istio-injection: disabled}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: batch, namespace: legacy}
spec:
  replicas: 2
  template:
    metadata: {labels: {app: batch}}
    spec: {serviceAccountName: batch, containers: [{name: main, image: batch:1}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    metadata: {labels: {app: web}, annotations: {sidecar.istio.io/inject: "false"}}
`);
    expect(out).toContain('kind: Namespace\nmetadata:\n  name: legacy\n  labels:\n    istio-injection: disabled\n');
    expect(out).toContain('      annotations:\n        sidecar.istio.io/inject: "false"\n');
    expect(out.match(/sidecar\.istio\.io\/inject/g)).toHaveLength(1);
    expect(out).toContain('    spec:\n      serviceAccountName: batch\n');
  });

  it('writes the Simulation with Istio durations and only what differs from the defaults', () => {
    const out = exported(`apiVersion: meshviz.dev/v1alpha1
kind: Simulation
metadata: {name: shop}
spec:
  seed: 7
  costs: {wire: 250us}
  workloads:
    api: {latency: {p50: 1.5s, p99: 3s}, calls: [{service: users:8080, timeout: 0.25s, retries: 1}]}
  timeline:
    - {at: 1m30s, fail: {workload: users-v1, mode: 503}}
`);
    expect(out).toBe(`apiVersion: meshviz.dev/v1alpha1
kind: Simulation
metadata:
  name: shop
spec:
  flavor: istio
  seed: 7
  costs:
    wire: 250us
  workloads:
    api:
      latency:
        p50: 1500ms
        p99: 3s
      calls:
        - service: users:8080
          timeout: 250ms
          retries: 1
  timeline:
    - at: 90s
      fail:
        workload: users-v1
        mode: "503"
`);
  });
});
