import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze, openSession, runSimulation, sendOne } from '../../src/api/index.ts';
import type { Session, SourceFile } from '../../src/api/index.ts';
import { describeEvent } from '../../src/api/index.ts';

/**
 * Bookinfo's cluster export with its edge (tests/fixtures/cluster-export/README.md): the ingress gateway
 * with `bookinfo-gateway` and the `bookinfo` VirtualService of samples/bookinfo/networking/bookinfo-gateway.yaml
 * (server 8080, behind the LoadBalancer's 80), a ServiceEntry for www.googleapis.com (the external book
 * service details calls in Istio's egress tasks) with the `status.addresses` istiod writes, and the
 * namespace's Sidecar limiting egress to `./*` and `istio-system/*` (Istio's "Sidecar" reference example).
 */
const read = (path: string): SourceFile => ({ name: path, text: readFileSync(path, 'utf8') });
const EXPORT = read('tests/fixtures/cluster-export/bookinfo-export.yaml');
const EDGE = read('tests/fixtures/cluster-export/bookinfo-edge-export.yaml');
const BOOKINFO = readFileSync('scenarios/bookinfo.yaml', 'utf8');
/** What a cluster cannot say: Bookinfo's Simulation, with details calling the book API and readers coming in through the gateway. */
const SIMULATION: SourceFile = {
  name: 'simulation.yaml',
  text: BOOKINFO.slice(BOOKINFO.indexOf('apiVersion: meshviz.dev/v1alpha1'))
    .replace('    details-v1:\n      latency: { p50: 2ms, p99: 8ms }', '    details-v1:\n      latency: { p50: 2ms, p99: 8ms }\n      calls: [{ service: www.googleapis.com, path: /books/v1/volumes, timeout: 2s, onFailure: continue }]')
    .replace('      to: productpage:9080\n', '      to: bookinfo.example.com:80\n'),
};

function open(...files: SourceFile[]): Session {
  const opened = openSession(files);
  if (!opened.ok) throw new Error(opened.diagnostics.map((d) => d.message).join('\n'));
  return opened.session;
}

describe('a cluster export with its edge: ingress gateway, external API, Sidecar', () => {
  const session = open(EXPORT, EDGE, SIMULATION);
  const gateway = session.scenario.pods.find((p) => p.gateway)!.name;

  it('analyzes with nothing from the edge: only the findings the export has without it', () => {
    const withEdge = analyze([EXPORT, EDGE, SIMULATION]).diagnostics.map((d) => `${d.code} ${d.resource} ${d.path}`);
    const without = analyze([EXPORT]).diagnostics.map((d) => `${d.code} ${d.resource} ${d.path}`);
    expect(withEdge).toEqual(without);
    expect(withEdge.filter((f) => /Gateway|ServiceEntry|Sidecar|bookinfo /.test(f))).toEqual([]);
  });

  it('loads the edge objects as the control plane sees them', () => {
    expect(session.scenario.gateways.map((g) => `${g.metadata.namespace}/${g.metadata.name}`)).toEqual(['default/bookinfo-gateway']);
    expect(session.scenario.sidecars.map((s) => `${s.metadata.namespace}/${s.metadata.name}`)).toEqual(['default/default']);
    expect(session.scenario.externalServices.map((e) => e.host)).toEqual(['www.googleapis.com']);
    // The Helm gateway's Service: 80 → 8080, where the server listens.
    expect(session.xds.proxies[gateway]!.gateway?.servers.map((s) => [s.port, s.clientPorts, s.listenPorts])).toEqual([[8080, [8080, 80], [8080]]]);
  });

  it('simulates: readers enter through the gateway, details reaches the book API, every page answered', () => {
    const report = runSimulation(session, {});
    expect([report.requests.total, report.requests.byCode]).toEqual([600, { 200: 600 }]);
    const calls = report.calls.map((c) => `${c.source} → ${c.destinationService} ${c.requests}`);
    // As the callers saw them (the host each dialled), and as productpage's sidecar saw its caller: the gateway.
    expect(calls).toEqual(expect.arrayContaining(['istio-ingressgateway → bookinfo.example.com 600', 'details-v1 → www.googleapis.com 600']));
    expect(report.edges.find((e) => e.destination === 'productpage-v1')).toMatchObject({ source: 'istio-ingressgateway', requests: 600 });
  });

  it('sends from outside with the names Envoy uses: listener, route, cluster', () => {
    const r = sendOne(session, { from: 'external', to: 'bookinfo.example.com/productpage' });
    expect(r.status).toBe(200);
    const lines = r.events.filter((e) => e.requestId === r.requestId).map((e) => describeEvent(e));
    expect(lines[0]).toBe(`GET bookinfo.example.com:8080/productpage — from outside the mesh to the gateway proxy ${gateway}: listener 0.0.0.0_8080, Gateway/default/bookinfo-gateway spec.servers[0] (HTTP); plaintext from the client`);
    expect(lines).toContain('route: matched rule VirtualService/default/bookinfo http[0] match[0]');
    expect(lines).toContain('destination cluster outbound|9080||productpage.default.svc.cluster.local');
  });

  it("a path the gateway's VirtualService does not match is 404 NR at the gateway", () => {
    const r = sendOne(session, { from: 'external', to: 'bookinfo.example.com/admin' });
    expect([r.status, r.flags, r.attempts]).toEqual([404, ['NR'], 0]);
  });
});
