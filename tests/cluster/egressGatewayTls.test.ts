import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze, openSession, sendOne, startSimulation } from '../../src/api/index.ts';
import type { MeshEvent } from '../../src/model/index.ts';
import { simulation } from '../helpers/mesh.ts';

/**
 * Istio's egress gateway for HTTPS traffic (examples/egress-gateway-tls; istio.io "Egress Gateways", the
 * edition.cnn.com case): a ServiceEntry with port 443 `TLS`, a Gateway with a PASSTHROUGH server for the
 * host, and one VirtualService whose `tls` rules send the sidecars' connections (gateways: mesh, by SNI)
 * to the gateway's subset and the gateway's on to the host. Both proxies run Envoy's `tcp_proxy` there
 * (Istio src pilot/pkg/networking/core/tls.go `buildSidecarOutboundTLSFilterChainOpts`; gateway.go for
 * the gateway's chain), so neither retries, parses HTTP nor starts a trace, and the istio stats filter
 * reports connections (`istio_tcp_*`), not requests.
 */
const FILE = 'examples/egress-gateway-tls/mesh.yaml';
const files = [{ name: FILE, text: readFileSync(FILE, 'utf8') }];

describe('the egress gateway for TLS the app originates', () => {
  const opened = openSession(files);
  if (!opened.ok) throw new Error(opened.diagnostics.map((d) => d.message).join('\n'));
  const session = opened.session;

  it('analyzes clean', () => {
    expect(analyze(files).diagnostics).toEqual([]);
  });

  it('goes sidecar → egress gateway → edition.cnn.com through the two tls rules, once each', () => {
    const r = sendOne(session, { from: 'checkout', to: 'edition.cnn.com:443/', seed: 1 });
    expect([r.status, r.attempts]).toEqual([200, 1]);
    const routes = r.events.filter((e): e is Extract<MeshEvent, { kind: 'route.match' }> => e.kind === 'route.match').map((e) => e.origin);
    expect(routes).toEqual([
      { kind: 'l4Route', resource: 'VirtualService/default/direct-cnn-through-egress-gateway', section: 'tls', ruleIndex: 0, matchIndex: 0 },
      { kind: 'l4Route', resource: 'VirtualService/default/direct-cnn-through-egress-gateway', section: 'tls', ruleIndex: 1, matchIndex: 0 },
    ]);
    expect(r.events.filter((e) => e.kind === 'route.cluster').map((e) => (e as { cluster: string }).cluster)).toEqual([
      'outbound|443|cnn|istio-egressgateway.istio-system.svc.cluster.local',
      'outbound|443||edition.cnn.com',
    ]);
    expect(r.events.filter((e) => e.kind === 'trace.start')).toEqual([]);
  });

  it('a refused connection at the host is not retried by either proxy', () => {
    const r = sendOne(session, { from: 'checkout', to: 'edition.cnn.com:443/', seed: 1, failures: [{ target: 'edition.cnn.com', mode: 'refuse' }] });
    expect(r.status).toBe(0);
    // One try at the sidecar (to the gateway) and one at the gateway (to the host); over HTTP both would retry a refusal.
    expect(r.events.filter((e) => e.kind === 'attempt.result')).toHaveLength(2);
  });

  it('both hops are counted as TCP connections (the sidecar’s and the gateway’s), each logged as one', () => {
    const traffic = simulation('traffic: [{ name: cnn, from: checkout, to: edition.cnn.com:443, rps: 5, duration: 1s }]');
    const withTraffic = openSession([...files, { name: 'sim.yaml', text: traffic }]);
    if (!withTraffic.ok) throw new Error(withTraffic.diagnostics.map((d) => d.message).join('\n'));
    let log = '';
    const run = startSimulation(withTraffic.session, { telemetry: { startMs: 0, liveMetrics: true, accessLog: { write: (t) => (log += t), format: 'text' } } });
    while (run.advance());
    const metrics = (run.telemetry?.prometheusText() ?? '').split('\n');
    expect(metrics.filter((l) => l.startsWith('istio_requests_total'))).toEqual([]);
    const opened = metrics.filter((l) => l.startsWith('istio_tcp_connections_opened_total'));
    expect(opened.map((l) => [/source_workload="([^"]+)"/.exec(l)?.[1], Number(l.slice(l.lastIndexOf(' ') + 1))]).sort()).toEqual([
      ['checkout', 5],
      ['istio-egressgateway', 5],
    ]);
    const lines = log.split('\n').filter(Boolean);
    expect(lines).toHaveLength(10);
    for (const line of lines) expect(line).toContain('"- - -" 0 ');
  });
});
