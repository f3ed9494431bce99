import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/api/index.ts';
import { send, sessionFrom } from '../helpers/mesh.ts';

/**
 * Sidecar resources. Facts from Istio's source (github.com/istio/istio, master of Aug 2026),
 * not on the semantics page:
 * - which Sidecar applies (pilot/pkg/model/push_context.go, `initSidecarScopes`, `doGetSidecarScope`):
 *   in the workload's namespace, sorted by creation time with the ones that have a workloadSelector first,
 *   the first whose selector matches, else the namespace's selector-less one; else the root namespace's
 *   selector-less Sidecar; else none.
 * - egress hosts (pilot/pkg/model/sidecar.go): `namespace/dnsName`, `.` the Sidecar's namespace, `*` any,
 *   a `~` prefix excludes; no `egress` means `*\/*`; only imported services get clusters and routes, so
 *   any other host is unknown to the proxy and falls to outboundTrafficPolicy — the Sidecar's own, else
 *   the mesh's (`convertToSidecarScope`).
 */
const ns = (name: string) => `apiVersion: v1\nkind: Namespace\nmetadata: { name: ${name}, labels: { istio-injection: enabled } }`;
const app = (name: string, namespace: string, labels = `{ app: ${name} }`) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  replicas: 1
  template:
    metadata: { labels: ${labels} }
    spec: { containers: [{ name: main, ports: [{ containerPort: 8080 }] }] }
---
apiVersion: v1
kind: Service
metadata: { name: ${name}, namespace: ${namespace} }
spec: { selector: { app: ${name} }, ports: [{ name: http, port: 8080 }] }`;
const sidecar = (name: string, namespace: string, spec: string, created = '2026-01-01T00:00:00Z') =>
  `apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata: { name: ${name}, namespace: ${namespace}, creationTimestamp: "${created}" }\nspec:\n${spec}`;
const onlyOwnNamespace = '  egress: [{ hosts: ["./*", "istio-system/*"] }]';

const mesh = (...docs: string[]) => sessionFrom(ns('web'), ns('shop'), app('front', 'web'), app('admin', 'web', '{ app: admin, role: ops }'), app('helper', 'web'), app('users', 'shop'), ...docs);
const call = (session: ReturnType<typeof mesh>, from: string, to = 'users.shop:8080/') => send(session, { from, to });
const path = (r: ReturnType<typeof send>) => [r.status, ...r.events.flatMap((e) => (e.kind === 'route.match' ? [e.route] : e.kind === 'route.cluster' ? [e.cluster] : []))];

describe('Sidecar egress hosts', () => {
  it('leave a host outside them unknown: under ALLOW_ANY it goes through PassthroughCluster, plaintext, to a pod kube-proxy picks', () => {
    const session = mesh(sidecar('default', 'web', onlyOwnNamespace));
    expect(path(call(session, 'front'))).toEqual([200, 'allow_any', 'PassthroughCluster']);
    expect(call(session, 'front').events.flatMap((e) => (e.kind === 'hop.send' && e.direction === 'request' ? [e.mtls] : []))).toEqual([false]);
    expect(path(call(session, 'front', 'helper:8080/'))).toEqual([200, 'default', 'outbound|8080||helper.web.svc.cluster.local']);
  });

  it('with the Sidecar’s own outboundTrafficPolicy REGISTRY_ONLY, the hidden host is a 502 from block_all', () => {
    const session = mesh(sidecar('default', 'web', `${onlyOwnNamespace}\n  outboundTrafficPolicy: { mode: REGISTRY_ONLY }`));
    expect(path(call(session, 'front'))).toEqual([502, 'block_all']);
  });

  it('are imported by namespace, host and port; `~` excludes', () => {
    const listed = mesh(sidecar('default', 'web', '  egress: [{ hosts: ["shop/users.shop.svc.cluster.local"] }]'));
    expect(path(call(listed, 'front'))[1]).toBe('default');
    const excluded = mesh(sidecar('default', 'web', '  egress: [{ hosts: ["*/*", "~shop/users.shop.svc.cluster.local"] }]'));
    expect(path(call(excluded, 'front'))[1]).toBe('allow_any');
    const otherPort = mesh(sidecar('default', 'web', '  egress: [{ port: { number: 9090, protocol: HTTP, name: http }, hosts: ["shop/*"] }, { hosts: ["./*"] }]'));
    expect(path(call(otherPort, 'front'))[1]).toBe('allow_any');
  });
});

describe('which Sidecar applies', () => {
  const wide = sidecar('default', 'web', '  egress: [{ hosts: ["*/*"] }]', '2026-01-02T00:00:00Z');
  const narrowOps = sidecar('ops', 'web', `  workloadSelector: { labels: { role: ops } }\n${onlyOwnNamespace}`, '2026-01-03T00:00:00Z');

  it('one whose workloadSelector matches beats the namespace’s default, for that workload only', () => {
    const session = mesh(wide, narrowOps);
    expect(path(call(session, 'admin'))[1]).toBe('allow_any');
    expect(path(call(session, 'front'))[1]).toBe('default');
  });

  it('of two that match, the older one', () => {
    const older = sidecar('ops-old', 'web', '  workloadSelector: { labels: { app: admin } }\n  egress: [{ hosts: ["*/*"] }]', '2026-01-01T00:00:00Z');
    expect(path(call(mesh(narrowOps, older), 'admin'))[1]).toBe('default');
  });

  it('without one in the namespace, the root namespace’s selector-less Sidecar, with `.` meaning the workload’s namespace', () => {
    const session = mesh(sidecar('mesh-default', 'istio-system', onlyOwnNamespace));
    expect(path(call(session, 'front'))[1]).toBe('allow_any');
    expect(path(call(session, 'front', 'helper:8080/'))[1]).toBe('default');
  });
});

describe('analyze', () => {
  it('points at the Sidecar whose egress hides a host its workload calls (MV0421)', () => {
    const simulation = `apiVersion: meshviz.dev/v1alpha1\nkind: Simulation\nmetadata: { name: s }\nspec:\n  workloads:\n    front: { calls: [{ service: users.shop:8080, path: / }] }`;
    const text = [ns('web'), ns('shop'), app('front', 'web'), app('users', 'shop'), sidecar('default', 'web', onlyOwnNamespace), simulation].join('\n---\n');
    expect(analyze([{ name: 'mesh.yaml', text }]).diagnostics.map((d) => `${d.source?.line}:${d.source?.col} ${d.code} ${d.resource} ${d.path} ${d.message}`)).toEqual([
      '41:3 MV0421 Sidecar/web/default spec.egress Sidecar/web/default leaves users.shop.svc.cluster.local:8080 out of front\'s egress hosts, and front calls it: to its sidecar the host is unknown, so requests go through PassthroughCluster: no retries, no timeout, no DestinationRule, no mTLS',
    ]);
  });
});
