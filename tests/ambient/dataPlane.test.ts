import { describe, expect, it } from 'vitest';
import { sendOne } from '../../src/api/index.ts';
import { DEFAULT_COSTS } from '../../src/model/index.ts';
import { ambientMesh, step } from './ambientMesh.ts';

const ALLOW_CLIENT_ONLY = `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: client-only, namespace: default }
spec:
  selector: { matchLabels: { app: server } }
  action: ALLOW
  rules: [{ from: [{ source: { principals: ["cluster.local/ns/default/sa/client"] } }] }]`;

const ALLOW_GET = (attach: string): string => `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: get-only, namespace: default }
spec:
  ${attach}
  action: ALLOW
  rules: [{ to: [{ operation: { methods: ["GET"] } }] }]`;

const ABORT_418 = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: server, namespace: default }
spec:
  hosts: [server]
  http:
    - fault: { abort: { httpStatus: 418, percentage: { value: 100 } } }
      route: [{ destination: { host: server } }]`;

describe('ambient data plane: ztunnel per node, waypoints (§11)', () => {
  it('one request without a waypoint: app → its node ztunnel → HBONE → the destination node ztunnel → app, and back; no sidecar anywhere', () => {
    const result = sendOne(ambientMesh(), { from: 'client', to: 'server' });
    expect(result.status).toBe(200);
    const root = result.events.filter((e) => e.requestId === result.requestId);
    // Pods are spread round robin in pod order: client on node-1, other on node-2, server on node-1.
    expect(root.map(step)).toEqual([
      'request.start@app:client',
      'ambient.hop@ztunnel:node-1',
      'route.match@ztunnel:node-1',
      'route.cluster@ztunnel:node-1',
      'lb.pick@ztunnel:node-1',
      'conn.open@ztunnel:node-1',
      'pool.pending@ztunnel:node-1',
      'hop.send@ztunnel:node-1',
      'hop.arrive@ztunnel:node-1',
      'app.receive@app:server',
      'app.respond@app:server',
      'inbound.complete@ztunnel:node-1',
      'hop.send@ztunnel:node-1',
      'attempt.result@ztunnel:node-1',
      'request.end@app:client',
    ]);
    const pick = root.find((e) => e.kind === 'lb.pick');
    expect(pick?.kind === 'lb.pick' && pick.policy).toBe('RANDOM');
    // No trace: ztunnel never parses HTTP.
    expect(result.events.some((e) => e.kind === 'trace.start')).toBe(false);
    const hop = root.find((e) => e.kind === 'hop.send');
    expect(hop?.kind === 'hop.send' && hop.mtls).toBe(true);
  });

  it('one request through a waypoint: app → ztunnel (15001) → HBONE 15008 → waypoint (routes, balancer) → HBONE → destination ztunnel → app, and back the same way', () => {
    const result = sendOne(ambientMesh({ waypoint: true }), { from: 'client', to: 'server' });
    expect(result.status).toBe(200);
    const root = result.events.filter((e) => e.requestId === result.requestId);
    expect(root.map(step)).toEqual([
      'request.start@app:client',
      'ambient.hop@ztunnel:node-1',
      'ambient.hop@waypoint:waypoint/default/waypoint',
      'trace.start@waypoint:waypoint/default/waypoint',
      'route.match@waypoint:waypoint/default/waypoint',
      'route.cluster@waypoint:waypoint/default/waypoint',
      'lb.pick@waypoint:waypoint/default/waypoint',
      'conn.open@waypoint:waypoint/default/waypoint',
      'pool.pending@waypoint:waypoint/default/waypoint',
      'hop.send@waypoint:waypoint/default/waypoint',
      'hop.arrive@ztunnel:node-1',
      'app.receive@app:server',
      'app.respond@app:server',
      'inbound.complete@ztunnel:node-1',
      'hop.send@ztunnel:node-1',
      'attempt.result@waypoint:waypoint/default/waypoint',
      'ambient.hop@ztunnel:node-1',
      'request.end@app:client',
    ]);
    const hops = root.filter((e) => e.kind === 'ambient.hop');
    expect(hops.map((e) => (e.kind === 'ambient.hop' ? [e.from.replace(/^(app [a-z]+)-.*/, '$1'), e.to, e.direction, e.hbone, e.port] : []))).toEqual([
      ['app client', 'ztunnel node-1', 'request', false, 15001],
      ['ztunnel node-1', 'waypoint default/waypoint', 'request', true, 15008],
      ['waypoint default/waypoint', 'ztunnel node-1', 'response', true, 15008],
    ]);
    // The destination's ztunnel sees the waypoint's identity, not the caller's (§11).
    const arrive = root.find((e) => e.kind === 'hop.arrive');
    expect(arrive?.kind === 'hop.arrive' && arrive.identities?.client).toBe('spiffe://cluster.local/ns/default/sa/waypoint');
  });

  it('the times follow the cost table: each ztunnel pass is ztunnelProcessing, the waypoint a sidecar pass, each tunnel one wire latency', () => {
    const c = DEFAULT_COSTS;
    const plain = sendOne(ambientMesh(), { from: 'client', to: 'server' });
    const through = sendOne(ambientMesh({ waypoint: true }), { from: 'client', to: 'server' });
    const setup = c.tcpHandshake + c.tlsHandshake;
    const app = 1_000;
    // app → ztunnel → (new HBONE connection) → wire → ztunnel → app; back: ztunnel → wire → ztunnel → app.
    const pass = c.loopback + c.ztunnelProcessing;
    const l4 = pass + setup + c.wire + pass + app + pass + c.wire + pass;
    expect(plain.durationMs * 1000).toBe(l4);
    // Through the waypoint: one wire each way to it and one Envoy pass each way in it.
    expect(through.durationMs * 1000).toBe(l4 + 2 * c.wire + 2 * c.proxyProcessing);
  });

  it('L4 policy is enforced by the destination ztunnel: a caller the policy does not allow has its connection closed (no 403: ztunnel never speaks HTTP)', () => {
    const mesh = ambientMesh({ extra: [ALLOW_CLIENT_ONLY] });
    expect(sendOne(mesh, { from: 'client', to: 'server' }).status).toBe(200);
    const denied = sendOne(mesh, { from: 'other', to: 'server' });
    expect(denied.status).toBe(503);
    expect(denied.flags).toEqual([]);
    expect(denied.detail).toMatch(/^ztunnel: .*\(UC in Envoy's words\)$/);
    const deny = denied.events.find((e) => e.kind === 'authz.deny');
    expect(deny?.where).toMatchObject({ kind: 'ztunnel', node: 'node-1' });
    expect(denied.events.some((e) => e.kind === 'app.receive')).toBe(false);
  });

  it('an L7 policy that selects the workload, without a waypoint: ztunnel drops its HTTP rules, so the ALLOW allows nothing — even the GET it names (istiod authorization.go)', () => {
    const mesh = ambientMesh({ extra: [ALLOW_GET('selector: { matchLabels: { app: server } }')] });
    expect(sendOne(mesh, { from: 'client', to: 'server' }).status).toBe(503);
    expect(sendOne(mesh, { from: 'client', to: 'server', method: 'POST' }).status).toBe(503);
    expect(mesh.diagnostics.find((d) => d.code === 'MV0700')?.message).toMatch(/found: methods.*allows less than written/);
  });

  it('the same L7 policy attached to the Service with targetRefs and a waypoint: GET allowed, POST a 403 from the waypoint (§7)', () => {
    const mesh = ambientMesh({ waypoint: true, extra: [ALLOW_GET('targetRefs: [{ kind: Service, group: "", name: server }]')] });
    expect(sendOne(mesh, { from: 'client', to: 'server' }).status).toBe(200);
    const post = sendOne(mesh, { from: 'client', to: 'server', method: 'POST' });
    expect(post.status).toBe(403);
    expect(post.detail).toBe('RBAC: access denied');
    expect(post.events.find((e) => e.kind === 'authz.deny')?.where).toEqual({ kind: 'waypoint', name: 'waypoint/default/waypoint' });
  });

  it('the same L7 policy by targetRefs but without a waypoint: nobody enforces it (analyze says MV0751)', () => {
    const mesh = ambientMesh({ extra: [ALLOW_GET('targetRefs: [{ kind: Service, group: "", name: server }]')] });
    expect(sendOne(mesh, { from: 'client', to: 'server', method: 'POST' }).status).toBe(200);
  });

  it('a DENY with HTTP attributes at ztunnel is enforced without them: it denies more than written', () => {
    const deny = `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: no-delete-from-other, namespace: default }
spec:
  selector: { matchLabels: { app: server } }
  action: DENY
  rules: [{ from: [{ source: { principals: ["cluster.local/ns/default/sa/other"] } }], to: [{ operation: { methods: ["DELETE"] } }] }]`;
    const mesh = ambientMesh({ extra: [deny] });
    expect(sendOne(mesh, { from: 'other', to: 'server', method: 'GET' }).status).toBe(503);
    expect(sendOne(mesh, { from: 'client', to: 'server', method: 'DELETE' }).status).toBe(200);
    expect(mesh.diagnostics.find((d) => d.code === 'MV0700')?.message).toMatch(/denies more than written/);
  });

  it('a VirtualService is applied only through a waypoint: without one the fault never fires', () => {
    expect(sendOne(ambientMesh({ extra: [ABORT_418] }), { from: 'client', to: 'server' }).status).toBe(200);
    const through = sendOne(ambientMesh({ waypoint: true, extra: [ABORT_418] }), { from: 'client', to: 'server' });
    expect(through.status).toBe(418);
    expect(through.events.find((e) => e.kind === 'fault.abort')?.where).toEqual({ kind: 'waypoint', name: 'waypoint/default/waypoint' });
  });
});
