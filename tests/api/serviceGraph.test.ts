import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openSession, runSimulation, sendOne, startGraph } from '../../src/api/index.ts';
import type { Session } from '../../src/api/index.ts';
import { edgeRates, kialiGraph, ServiceGraphCollector } from '../../src/telemetry/index.ts';
import type { ServiceGraph } from '../../src/telemetry/index.ts';

function open(...files: string[]): Session {
  const opened = openSession(files.map((file) => ({ name: file, text: readFileSync(file, 'utf8') })));
  if (!opened.ok) throw new Error(`${files.join(', ')} do not load`);
  return opened.session;
}

function graphOf(session: Session, type?: 'workload'): ServiceGraph {
  const g = startGraph(session);
  while (g.run.advance());
  return g.graph(type);
}

const codesOf = (responses: Record<string, Record<string, number>>): Record<string, number> =>
  Object.fromEntries(Object.entries(responses).map(([code, flags]) => [code, Object.values(flags).reduce((a, b) => a + b, 0)]));

describe('the service graph of a run', () => {
  // The default mesh: web → api → cache, users (v1 fails 503 from 15 s to 45 s) → db.
  const session = open('scenarios/default.yaml');
  const graph = graphOf(session);
  const report = runSimulation(session);
  const edge = (id: string) => {
    const found = graph.edges.find((e) => e.id === id);
    if (!found) throw new Error(`no edge ${id} in ${graph.edges.map((e) => e.id).join(', ')}`);
    return found;
  };

  it('counts a caller → service edge as the caller saw it: the report\'s calls, code for code', () => {
    for (const call of report.calls.filter((c) => c.source !== 'external')) {
      const service = call.destinationService.split('.')[0];
      const e = edge(`vapp_Kubernetes_default_${call.source}>svc_Kubernetes_default_${service}`);
      expect(e.reporter).toBe('source');
      expect([e.requests, codesOf(e.responses)]).toEqual([call.requests, call.byCode]);
    }
  });

  it("counts a service → workload edge as the destination's sidecar saw it: the report's edges, all callers together", () => {
    const expected = new Map<string, Record<string, number>>();
    for (const reported of report.edges) {
      const id = `svc_Kubernetes_default_${reported.destinationService.split('.')[0]}>vapp_Kubernetes_default_${reported.destination}`;
      const codes = expected.get(id) ?? {};
      for (const [code, n] of Object.entries(reported.byCode)) codes[code] = (codes[code] ?? 0) + n;
      expected.set(id, codes);
    }
    expect(expected.size).toBe(5);
    for (const [id, codes] of expected) {
      expect(edge(id).reporter).toBe('destination');
      expect(codesOf(edge(id).responses)).toEqual(codes);
    }
  });

  it('shows the failing pod: 503s that reached users-v1, fail-fast UH answers only on the edge to the service', () => {
    const toService = edge('vapp_Kubernetes_default_api>svc_Kubernetes_default_users');
    expect(Object.keys(toService.responses['503'] ?? {})).toContain('UH');
    const toPod = edge('svc_Kubernetes_default_users>vapp_Kubernetes_default_users-v1');
    expect(toPod.responses['503']).toEqual({ '-': expect.any(Number) });
    // Every request that crossed the wire did so over mTLS (the mesh default, PERMISSIVE with auto-mTLS).
    expect(edgeRates(toService, graph.durationMs).mtlsPercent).toBe(100);
    // A UH answer never crossed the wire, unless an earlier attempt of it did (503, then the pod ejected).
    expect(toService.plaintext).toBe(0);
    expect(toService.mtls).toBeGreaterThanOrEqual(toService.requests - (toService.responses['503']?.UH ?? 0));
    expect(toService.mtls).toBeLessThan(toService.requests);
  });

  it('names nodes by app and version, and a caller outside the mesh `unknown`', () => {
    const users = graph.nodes.find((n) => n.workload === 'users-v1');
    expect(users).toMatchObject({ kind: 'app', app: 'users', version: 'v1', namespace: 'default' });
    expect(graphOf(open('scenarios/bookinfo.yaml')).edges.map((e) => e.id)).toContain('Kubernetes_unknown_source>svc_Kubernetes_default_productpage');
  });

  it('draws workloads as workload nodes in a workload graph', () => {
    const kiali = kialiGraph(graphOf(session, 'workload'), 'workload');
    expect(kiali.graphType).toBe('workload');
    expect(kiali.elements.nodes.map((n) => n.data.id)).toContain('wl_Kubernetes_default_users-v1');
    expect(kiali.elements.nodes.filter((n) => n.data.nodeType === 'box')).toEqual([]);
  });

  it('draws a caller without a sidecar as `unknown`, from what the destination reported: plaintext, one count per request', () => {
    const legacy = open('scenarios/default.yaml', 'examples/legacy-client.yaml');
    const collector = new ServiceGraphCollector(legacy.scenario);
    sendOne(legacy, { from: 'legacy', to: 'api:8080/', repeat: 5, sink: collector.add });
    const fromOutside = collector.graph(1_000).edges.find((e) => e.id === 'Kubernetes_unknown_source>svc_Kubernetes_default_api');
    expect(fromOutside).toMatchObject({ reporter: 'destination', requests: 5, mtls: 0, plaintext: 5 });
    expect(collector.graph(1_000).edges.some((e) => e.source === 'vapp_Kubernetes_default_legacy')).toBe(false);
  });
});
