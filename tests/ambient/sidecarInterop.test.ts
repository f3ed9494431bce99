import { describe, expect, it } from 'vitest';
import { sendOne, startSimulation } from '../../src/api/index.ts';
import { analyzeScenario } from '../../src/istio/index.ts';
import { deployment, service } from '../helpers/mesh.ts';
import { ambientMesh, step } from './ambientMesh.ts';

/**
 * Sidecars and ambient pods in one mesh. Facts, with sources:
 * - A sidecar does not send to a Service's waypoint: istiod builds a sidecar's endpoints for the Service's pods
 *   ("Service waypoints: … with sidecars this is problematic. We don't know which service is the intended
 *   destination until *after* we apply policies. If we then sent to a service waypoint, we apply service policies
 *   twice … Instead, we consider this to workload traffic"; only ingress gateways with
 *   `istio.io/ingress-use-waypoint` and east-west gateways call waypoints: `findServiceWaypoint`, "Currently only
 *   ingress and e/w gateway will call waypoints") — Istio src pilot/pkg/xds/endpoints/endpoint_builder.go. The
 *   sidecar applies the Service's routes itself and tunnels (HBONE) to the pod, whose ztunnel sees the sidecar's
 *   identity; the waypoint's AuthorizationPolicies are not on that path.
 * - An ambient pod calling a pod with a sidecar: the injected pod is labelled `networking.istio.io/tunnel: http`
 *   (injection-template.yaml), so istiod gives ztunnel an HBONE workload (`setTunnelProtocol`, Istio src
 *   pilot/pkg/serviceregistry/ambient/workloads.go): the caller's ztunnel tunnels to the sidecar, which enforces its
 *   own (L7) AuthorizationPolicies on the caller's identity and answers a denial with a 403.
 */
const withSa = (name: string, labels: Record<string, string>): string => deployment(name, labels).replace('    spec:\n', `    spec:\n      serviceAccountName: ${name}\n`);
/** A workload in the ambient namespace that keeps a sidecar (ztunnel skips pods with a sidecar). */
const LEGACY = [withSa('legacy', { app: 'legacy', 'sidecar.istio.io/inject': 'true' }), service('legacy'), 'apiVersion: v1\nkind: ServiceAccount\nmetadata: { name: legacy, namespace: default }'];

const GET_ONLY = (attach: string) => `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: get-only, namespace: default }
spec:
  ${attach}
  action: ALLOW
  rules: [{ to: [{ operation: { methods: ["GET"] } }] }]`;

describe('sidecar ↔ ambient interop (§11)', () => {
  it('the mixed mesh: legacy keeps its sidecar, the others are ztunnel-served', () => {
    const mesh = ambientMesh({ waypoint: true, extra: LEGACY });
    const legacy = mesh.scenario.pods.find((p) => p.workload === 'legacy');
    expect([legacy?.sidecar, legacy?.ambient]).toEqual([true, undefined]);
    expect(mesh.xds.proxies[legacy!.name]?.dataPlane).toBeUndefined();
  });

  it('a sidecar calling a Service behind a waypoint routes it itself and goes straight to the pod: no waypoint hop; the destination ztunnel sees the sidecar’s identity', () => {
    const r = sendOne(ambientMesh({ waypoint: true, extra: LEGACY }), { from: 'legacy', to: 'server' });
    expect(r.status).toBe(200);
    const root = r.events.filter((e) => e.requestId === r.requestId);
    expect(root.filter((e) => e.kind === 'route.match' || e.kind === 'ambient.hop' || e.kind === 'inbound.complete').map(step)).toEqual([
      'route.match@sidecar:legacy',
      'inbound.complete@ztunnel:node-1',
    ]);
    const arrive = root.find((e) => e.kind === 'hop.arrive');
    expect(arrive?.kind === 'hop.arrive' && arrive.identities?.client).toBe('spiffe://cluster.local/ns/default/sa/legacy');
  });

  it('so the waypoint’s L7 policy does not hold for sidecar callers: POST is a 403 from an ambient caller (at the waypoint) and a 200 from the sidecar', () => {
    const mesh = ambientMesh({ waypoint: true, extra: [...LEGACY, GET_ONLY('targetRefs: [{ kind: Service, group: "", name: server }]')] });
    expect(sendOne(mesh, { from: 'client', to: 'server', method: 'POST' }).status).toBe(403);
    expect(sendOne(mesh, { from: 'legacy', to: 'server', method: 'POST' }).status).toBe(200);
  });

  it('analyze: the bypass is MV0753 at the policy, naming the sidecar callers; nothing without sidecar callers', () => {
    const policy = GET_ONLY('targetRefs: [{ kind: Service, group: "", name: server }]');
    const calls = `apiVersion: meshviz.dev/v1alpha1
kind: Simulation
metadata: { name: ambient }
spec:
  flavor: istio-ambient
  seed: 1
  workloads:
    server: { latency: { fixed: 1ms } }
  traffic: [{ name: a, from: legacy, to: server:8080, rps: 1, duration: 1s }, { name: b, from: client, to: server:8080, rps: 1, duration: 1s }]`;
    const mesh = ambientMesh({ waypoint: true, extra: [...LEGACY, policy], simulation: calls });
    const found = analyzeScenario(mesh.scenario, mesh.xds).filter((d) => d.code === 'MV0753');
    expect(found.map((d) => [d.resource, d.path, d.severity])).toEqual([['AuthorizationPolicy/default/get-only', 'spec.targetRefs[0]', 'warning']]);
    expect(found[0]?.message).toContain('legacy');
    const onlyAmbient = ambientMesh({ waypoint: true, extra: [...LEGACY, policy], simulation: calls.replace('{ name: a, from: legacy, to: server:8080, rps: 1, duration: 1s }, ', '') });
    expect(analyzeScenario(onlyAmbient.scenario, onlyAmbient.xds).filter((d) => d.code === 'MV0753')).toEqual([]);
  });

  it('an ambient pod calling a sidecar pod: its ztunnel tunnels to the sidecar, which enforces its L7 policy on the caller’s identity (a 403, not a reset)', () => {
    const mesh = ambientMesh({ extra: [...LEGACY, GET_ONLY('selector: { matchLabels: { app: legacy } }')] });
    const get = sendOne(mesh, { from: 'client', to: 'legacy' });
    expect(get.status).toBe(200);
    const root = get.events.filter((e) => e.requestId === get.requestId);
    expect(root.filter((e) => e.kind === 'route.match' || e.kind === 'authz.allow' || e.kind === 'inbound.complete').map(step)).toEqual([
      'route.match@ztunnel:node-1',
      'authz.allow@sidecar:legacy',
      'inbound.complete@sidecar:legacy',
    ]);
    const arrive = root.find((e) => e.kind === 'hop.arrive');
    expect(arrive?.kind === 'hop.arrive' && [arrive.mtls, arrive.identities?.client]).toEqual([true, 'spiffe://cluster.local/ns/default/sa/client']);
    const post = sendOne(mesh, { from: 'client', to: 'legacy', method: 'POST' });
    expect([post.status, post.detail]).toEqual([403, 'RBAC: access denied']);
    expect(post.events.find((e) => e.kind === 'authz.deny')?.where).toEqual({ kind: 'sidecar', pod: mesh.scenario.pods.find((p) => p.workload === 'legacy')!.name });
  });

  it('telemetry across the boundary: each side reports as its proxy does — the sidecar HTTP (source or destination), the ztunnel TCP', () => {
    const traffic = `apiVersion: meshviz.dev/v1alpha1
kind: Simulation
metadata: { name: ambient }
spec:
  flavor: istio-ambient
  seed: 1
  traffic: [{ name: a, from: legacy, to: server:8080, rps: 5, duration: 1s }, { name: b, from: client, to: legacy:8080, rps: 5, duration: 1s }]`;
    const run = startSimulation(ambientMesh({ extra: LEGACY, simulation: traffic }), { telemetry: { startMs: 0, liveMetrics: true } });
    while (run.advance());
    const text = run.telemetry?.prometheusText() ?? '';
    const of = (name: string) =>
      text
        .split('\n')
        .filter((l) => l.startsWith(`${name}{`))
        .map((l) => ['reporter', 'source_workload', 'destination_workload'].map((k) => new RegExp(`${k}="([^"]*)"`).exec(l)?.[1]).join(' '))
        .sort();
    expect(of('istio_requests_total')).toEqual(['destination client legacy', 'source legacy server']);
    expect(of('istio_tcp_connections_opened_total')).toEqual(['destination legacy server', 'source client legacy']);
  });

  it('a sidecar’s 403 to an ambient caller is an answer over a working tunnel: the caller’s ztunnel counts its bytes, no CONNECT failure', () => {
    const traffic = `apiVersion: meshviz.dev/v1alpha1
kind: Simulation
metadata: { name: ambient }
spec:
  flavor: istio-ambient
  seed: 1
  traffic: [{ name: b, from: client, to: legacy:8080, method: POST, rps: 5, duration: 1s }]`;
    const run = startSimulation(ambientMesh({ extra: [...LEGACY, GET_ONLY('selector: { matchLabels: { app: legacy } }')], simulation: traffic }), { telemetry: { startMs: 0, liveMetrics: true } });
    while (run.advance());
    const lines = (run.telemetry?.prometheusText() ?? '').split('\n');
    expect(lines.filter((l) => l.startsWith('istio_requests_total{')).map((l) => /response_code="(\d+)"/.exec(l)?.[1])).toEqual(['403']);
    const tcp = (name: string) => lines.filter((l) => l.startsWith(`${name}{`)).map((l) => [/response_flags="([^"]*)"/.exec(l)?.[1], Number(l.slice(l.lastIndexOf(' ') + 1))]);
    expect(tcp('istio_tcp_connections_opened_total')).toEqual([['-', 5]]);
    expect(tcp('istio_tcp_sent_bytes_total')[0]![1]).toBeGreaterThan(0);
  });
});
