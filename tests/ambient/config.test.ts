import { describe, expect, it } from 'vitest';
import { analyzeScenario } from '../../src/istio/index.ts';
import { openSession } from '../../src/api/index.ts';
import { ambientMesh, AMBIENT_NAMESPACE, SIMULATION, WAYPOINT } from './ambientMesh.ts';
import { deployment, service } from '../helpers/mesh.ts';

const VS_RETRIES = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: server, namespace: default }
spec:
  hosts: [server]
  http: [{ route: [{ destination: { host: server } }], retries: { attempts: 3, retryOn: 5xx } }]`;

const DR_OUTLIER = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: server, namespace: default }
spec:
  host: server
  trafficPolicy: { outlierDetection: { consecutive5xxErrors: 5 } }`;

function codes(session: ReturnType<typeof ambientMesh>): string[] {
  return [...session.diagnostics, ...analyzeScenario(session.scenario, session.xds)].map((d) => d.code).sort();
}

describe('ambient configuration: who is captured, where pods run, waypoints and what analyze says (§11)', () => {
  it('pods of a namespace labelled istio.io/dataplane-mode=ambient have no sidecar: each is carried by the ztunnel of its node, spread round robin over spec.nodes', () => {
    const mesh = ambientMesh();
    const pods = mesh.scenario.pods.map((p) => [p.workload, p.ambient, p.node]);
    expect(pods).toEqual([
      ['client', true, 'node-1'],
      ['other', true, 'node-2'],
      ['server', true, 'node-1'],
    ]);
    for (const p of mesh.scenario.pods) expect(mesh.xds.proxies[p.name]?.dataPlane).toBe('ztunnel');
  });

  it('a pod labelled istio.io/dataplane-mode=none stays out; a Gateway of a class no Istio controller owns is ignored (reported), one of class istio-waypoint is a waypoint', () => {
    const opened = openSession([{
      name: 'm.yaml',
      text: [
        AMBIENT_NAMESPACE,
        deployment('legacy', { app: 'legacy', 'istio.io/dataplane-mode': 'none' }),
        service('legacy'),
        deployment('server', { app: 'server' }),
        WAYPOINT,
        'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: { name: ingress, namespace: default }\nspec: { gatewayClassName: example-lb, listeners: [{ name: http, port: 80, protocol: HTTP }] }',
        SIMULATION,
      ].join('\n---\n'),
    }]);
    if (!opened.ok) throw new Error(opened.diagnostics.map((d) => d.message).join('; '));
    expect(opened.session.scenario.pods[0]?.ambient).toBeUndefined();
    expect(opened.session.scenario.pods[0]?.sidecar).toBe(false);
    expect(opened.session.scenario.waypoints.map((w) => `${w.namespace}/${w.name}:${w.hbonePort}`)).toEqual(['default/waypoint:15008']);
    expect(opened.session.diagnostics.find((d) => d.resource === 'Gateway/default/ingress')?.code).toBe('MV0024');
  });

  it('analyze: a VirtualService and a DestinationRule for a service no waypoint serves are reported (MV0750); with the waypoint they are not', () => {
    const without = ambientMesh({ extra: [VS_RETRIES, DR_OUTLIER] });
    const found = analyzeScenario(without.scenario, without.xds).filter((d) => d.code === 'MV0750');
    expect(found.map((d) => [d.resource, d.path])).toEqual([
      ['VirtualService/default/server', 'spec.hosts'],
      ['DestinationRule/default/server', 'spec.host'],
    ]);
    expect(found[0]?.message).toMatch(/server\.default\.svc\.cluster\.local is not bound to a waypoint.*routes, retries have no effect/);
    expect(found[1]?.message).toMatch(/outlier detection have no effect/);
    const withWaypoint = ambientMesh({ waypoint: true, extra: [VS_RETRIES, DR_OUTLIER] });
    expect(codes(withWaypoint)).not.toContain('MV0750');
  });

  it('analyze: a targetRefs policy with no waypoint to enforce it (MV0751), a ztunnel policy on callers behind a waypoint (MV0752), a waypoint label naming no waypoint (MV0702), L7 attributes at ztunnel (MV0700), CUSTOM at ztunnel (MV0701)', () => {
    const targetRefs = `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: by-ref, namespace: default }
spec:
  targetRefs: [{ kind: Service, group: "", name: server }]
  rules: [{ to: [{ operation: { methods: [GET] } }] }]`;
    expect(codes(ambientMesh({ extra: [targetRefs] }))).toContain('MV0751');
    expect(codes(ambientMesh({ waypoint: true, extra: [targetRefs] }))).not.toContain('MV0751');

    const onCallers = `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: callers, namespace: default }
spec:
  selector: { matchLabels: { app: server } }
  rules: [{ from: [{ source: { principals: ["cluster.local/ns/default/sa/client"] } }] }]`;
    expect(codes(ambientMesh({ waypoint: true, extra: [onCallers] }))).toContain('MV0752');
    expect(codes(ambientMesh({ extra: [onCallers] }))).not.toContain('MV0752');

    const badLabel = ambientMesh({ waypoint: true }).files[0]?.text.replace('istio.io/use-waypoint: waypoint', 'istio.io/use-waypoint: nowhere') ?? '';
    const opened = openSession([{ name: 'x.yaml', text: badLabel }]);
    expect(opened.ok).toBe(false);
    expect(opened.ok ? [] : opened.diagnostics.map((d) => d.code)).toContain('MV0702');

    const l7 = `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: l7, namespace: default }
spec:
  selector: { matchLabels: { app: server } }
  rules: [{ to: [{ operation: { paths: ["/admin"] } }] }]`;
    const custom = `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: ext, namespace: default }
spec:
  selector: { matchLabels: { app: server } }
  action: CUSTOM
  provider: { name: opa }
  rules: [{}]`;
    const both = codes(ambientMesh({ extra: [l7, custom] }));
    expect(both).toContain('MV0700');
    expect(both).toContain('MV0701');
  });

  it('the Istio sidecar flavor is unchanged by all this: the same files under flavor istio read no waypoint, capture no pod into ambient and give no ambient finding', () => {
    const text = ambientMesh({ waypoint: true, extra: [VS_RETRIES] }).files[0]?.text.replace('flavor: istio-ambient', 'flavor: istio') ?? '';
    const opened = openSession([{ name: 'x.yaml', text }]);
    if (!opened.ok) throw new Error(opened.diagnostics.map((d) => d.message).join('; '));
    // Labelled ambient, not injected: under the sidecar flavor these pods are simply not meshed.
    expect(opened.session.scenario.pods.every((p) => !p.ambient)).toBe(true);
    expect(opened.session.scenario.waypoints).toEqual([]);
    expect([...opened.session.diagnostics, ...analyzeScenario(opened.session.scenario, opened.session.xds)].map((d) => d.code).filter((c) => c.startsWith('MV07'))).toEqual([]);
  });
});
