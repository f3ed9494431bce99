import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze, openSession, runSimulation, sendOne, startSimulation } from '../../src/api/index.ts';
import type { SendResult, Session } from '../../src/api/index.ts';
import type { SourceFile } from '../../src/istio/index.ts';
import { DEFAULT_COSTS, type MeshEvent } from '../../src/model/index.ts';

/**
 * The egress gateway (examples/egress-gateway). Facts not on the semantics page, with their sources:
 * - Istio's "Egress Gateways" task (istio.io/latest/docs/tasks/traffic-management/egress/egress-gateway/):
 *   a ServiceEntry for the external host, a Gateway on istio-egressgateway for it, a DestinationRule
 *   with a subset of the gateway's Service, and one VirtualService bound to `mesh` and the Gateway whose
 *   `mesh` rule routes to the gateway subset and whose gateway rule routes on to the external host.
 * - VirtualService API, `gateways`: without `mesh` the rules apply only at the gateways, so the
 *   sidecars route the host by the default route (straight out, as the ServiceEntry allows).
 * - The gateway routes what reaches it by its own listeners and routes (istiod `buildGatewayHTTPRouteConfig`):
 *   a host it has no virtual host for is 404 NR (§8.1 NR).
 * - A selector Gateway's server port is bound to the targetPort of the gateway Service's port of that
 *   number (istiod `resolveGatewayPorts`): the server on 80 listens on 8080.
 */
const read = (path: string): SourceFile => ({ name: path, text: readFileSync(path, 'utf8') });
const MESH = readFileSync('examples/egress-gateway/mesh.yaml', 'utf8');
const SIM = read('examples/egress-gateway/simulation.yaml');

function open(mesh = MESH): Session {
  const opened = openSession([{ name: 'mesh.yaml', text: mesh }, SIM]);
  if (!opened.ok) throw new Error(opened.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  return opened.session;
}
const findings = (mesh: string) => analyze([{ name: 'mesh.yaml', text: mesh }, SIM]).diagnostics.map((d) => `${d.code} ${d.path ?? ''}`);
const send = (session: Session): SendResult => sendOne(session, { from: 'checkout', to: 'api.payments.example/charge', method: 'POST' });
const ofKind = <K extends MeshEvent['kind']>(r: SendResult, kind: K) => r.events.filter((e): e is Extract<MeshEvent, { kind: K }> => e.kind === kind);

describe('the egress gateway (examples/egress-gateway)', () => {
  const session = open();
  const gateway = session.scenario.pods.find((p) => p.workload === 'istio-egressgateway')!.name;

  it('analyzes clean', () => {
    expect(findings(MESH)).toEqual([]);
  });

  it('listens on the Service targetPort of its server port', () => {
    expect(session.xds.proxies[gateway]!.gateway?.servers.map((s) => [s.port, s.listenPorts])).toEqual([[80, [80, 8080]]]);
  });

  it('takes the call app → sidecar → egress gateway → external service, each proxy routing by its own rule', () => {
    const r = send(session);
    expect([r.status, r.attempts]).toEqual([200, 1]);
    const routes = ofKind(r, 'route.match').map((e) => [JSON.stringify(e.where), e.route]);
    expect(routes).toEqual([
      [expect.stringContaining('"sidecar"') && expect.stringMatching(/checkout-/), 'VirtualService/default/payments-through-egress http[0] match[0]'],
      [JSON.stringify({ kind: 'sidecar', pod: gateway }), 'VirtualService/default/payments-through-egress http[1] match[0]'],
    ]);
    expect(ofKind(r, 'route.cluster').map((e) => e.cluster)).toEqual([
      'outbound|80|payments|istio-egressgateway.istio-system.svc.cluster.local',
      'outbound|80||api.payments.example',
    ]);
    const wires = ofKind(r, 'hop.send').filter((e) => e.direction === 'request').map((e) => e.where);
    expect(wires).toEqual([
      { kind: 'wire', from: expect.stringMatching(/^checkout-/), to: gateway },
      { kind: 'wire', from: gateway, to: 'api.payments.example' },
    ]);
  });

  it("adds one Envoy pass at the gateway: its route is matched proxyProcessing after the request arrives", () => {
    const r = send(session);
    const arrive = ofKind(r, 'hop.arrive').find((e) => e.pod === gateway)!;
    const routed = ofKind(r, 'route.match').find((e) => JSON.stringify(e.where).includes(gateway))!;
    expect(routed.t - arrive.t).toBe(DEFAULT_COSTS.proxyProcessing);
  });

  it("runs the Simulation's calls through the gateway: its pod receives every one, and the calls per caller show both legs", () => {
    const report = runSimulation(session, {});
    expect([report.requests.total, report.requests.byCode]).toEqual([300, { 200: 300 }]);
    expect(report.pods.find((p) => p.name === gateway)?.received).toBe(300);
  });

  it('writes an access-log line at the sidecar (to the gateway subset) and one at the gateway (to the external host) per call', () => {
    let log = '';
    const run = startSimulation(session, { telemetry: { startMs: 0, accessLog: { write: (t) => (log += t), format: 'text' } } });
    while (run.advance());
    const lines = log.split('\n').filter((l) => l.includes('/charge'));
    const toGateway = lines.filter((l) => l.includes('outbound|80|payments|istio-egressgateway.istio-system.svc.cluster.local'));
    const toApi = lines.filter((l) => l.includes(' outbound|80||api.payments.example '));
    expect([toGateway.length, toApi.length]).toEqual([300, 300]);
    const gatewayIp = session.scenario.pods.find((p) => p.name === gateway)!.ip;
    // The gateway's own line: its upstream local address is the gateway pod's.
    expect(toApi.every((l) => l.includes(` ${gatewayIp}:`))).toBe(true);
  });
});

describe('egress gateway mistakes', () => {
  it("VirtualService bound to the egress Gateway without mesh: the sidecars go straight out (MV0426 says so)", () => {
    const mesh = MESH.replace('gateways: [istio-system/egress, mesh]', 'gateways: [istio-system/egress]');
    const r = send(open(mesh));
    expect(ofKind(r, 'route.cluster').map((e) => e.cluster)).toEqual(['outbound|80||api.payments.example']);
    const found = analyze([{ name: 'mesh.yaml', text: mesh }, SIM]).diagnostics.filter((d) => d.code === 'MV0426');
    expect(found.map((d) => d.message)).toEqual([expect.stringContaining('straight out of the mesh, past the egress gateway')]);
  });

  it('no DestinationRule subset for the gateway: 503 NC at the sidecar, and MV0401', () => {
    const start = MESH.indexOf('apiVersion: networking.istio.io/v1\nkind: DestinationRule');
    const mesh = MESH.slice(0, start) + MESH.slice(MESH.indexOf('---', start) + 4);
    expect(findings(mesh)).toContain('MV0401 spec.http[0].route[0].destination.subset');
    const r = send(open(mesh));
    expect([r.status, r.flags]).toEqual([503, ['NC']]);
  });

  it('the mesh rule without the gateway rule: the gateway has no route for the host, 404 NR there (MV0428)', () => {
    const mesh = MESH.replace('gateways: [istio-system/egress, mesh]', 'gateways: [mesh]');
    expect(findings(mesh)).toEqual(['MV0428 spec.http[0].route[0].destination']);
    const r = send(open(mesh));
    expect(r.status).toBe(404);
    expect(ofKind(r, 'route.none').map((e) => [e.where, e.virtualHost])).toEqual([[{ kind: 'sidecar', pod: expect.stringMatching(/^istio-egressgateway-/) }, 'api.payments.example:80']]);
  });

  it('the mesh rule to a gateway port no server listens on: refused at the gateway (MV0428)', () => {
    const mesh = MESH.replace('subset: payments, port: { number: 80 } }', 'subset: payments, port: { number: 443 } }');
    expect(findings(mesh)).toEqual(['MV0428 spec.http[0].route[0].destination']);
    // Nothing listens on 8443: the connect is refused (UF), which the sidecar's default retry policy retries twice (§2.1).
    const r = send(open(mesh));
    expect([r.status, r.flags, r.attempts]).toEqual([503, ['UF', 'URX'], 3]);
    expect(ofKind(r, 'conn.refused').map((e) => e.endpoint)).toEqual([expect.stringMatching(/^istio-egressgateway-/), expect.stringMatching(/^istio-egressgateway-/), expect.stringMatching(/^istio-egressgateway-/)]);
  });
});
