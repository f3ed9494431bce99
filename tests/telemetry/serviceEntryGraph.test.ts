import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openSession, startGraph, startSimulation } from '../../src/api/index.ts';
import { kialiGraph } from '../../src/telemetry/index.ts';
import type { Session } from '../../src/api/index.ts';

/**
 * How the service graph draws calls to hosts outside the Kubernetes Services, as Kiali draws them from
 * Istio's metrics (kiali/kiali graph/telemetry/istio/istio.go and appender/service_entry.go):
 * - A node is named by `destination_service_namespace` and `destination_service_name`; Istio names a
 *   ServiceEntry's host by itself, in the entry's namespace, and istiod's catch-all routes `BlackHoleCluster`
 *   or `PassthroughCluster` (namespace `unknown`).
 * - The caller's report names a destination workload only when the callee has a sidecar; then Kiali puts a
 *   service node between caller and workload. Otherwise the host's service node is terminal, and the
 *   service-entry appender replaces the terminal nodes of an entry's hosts by one node named after the
 *   entry, in the callers' namespace, with `isServiceEntry` { hosts, location, namespace }.
 */
function open(...paths: string[]): Session {
  const opened = openSession(paths.map((name) => ({ name, text: readFileSync(name, 'utf8') })));
  if (!opened.ok) throw new Error(opened.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  return opened.session;
}

function graphOf(session: Session) {
  const g = startGraph(session);
  while (g.run.advance());
  return g.graph('versionedApp');
}

/** Each source-reported `istio_requests_total` series' labels. */
function sourceSeries(session: Session): Array<Record<string, string>> {
  const run = startSimulation(session, { telemetry: { startMs: 0, liveMetrics: true } });
  while (run.advance());
  return (run.telemetry?.prometheusText() ?? '')
    .split('\n')
    .filter((l) => l.startsWith('istio_requests_total{') && l.includes('reporter="source"'))
    .map((l) => Object.fromEntries([...l.matchAll(/([a-z_]+)="([^"]*)"/g)].map((m) => [m[1], m[2]])));
}

describe('the service graph of calls to ServiceEntry hosts and istiod catch-alls', () => {
  const session = open('examples/egress/mesh.yaml', 'examples/egress/simulation.yaml');
  const graph = graphOf(session);
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));

  it('an external entry is one node named after it, in the caller’s namespace, listing its hosts', () => {
    expect(byId.get('svc_Kubernetes_default_payments')).toEqual({
      id: 'svc_Kubernetes_default_payments',
      kind: 'service',
      namespace: 'default',
      service: 'payments',
      host: 'payments.example.com',
      serviceEntry: { hosts: ['payments.example.com'], location: 'MESH_EXTERNAL', namespace: 'default' },
      outOfMesh: false,
    });
    expect(byId.get('svc_Kubernetes_default_cdn')?.serviceEntry).toEqual({ hosts: ['*.cdn.example.net'], location: 'MESH_EXTERNAL', namespace: 'default' });
    expect(graph.nodes.some((n) => n.namespace === 'unknown' && n.kind === 'service' && n.service !== 'BlackHoleCluster')).toBe(false);
    const kiali = kialiGraph(graph, 'versionedApp');
    const data = kiali.elements.nodes.find((n) => n.data.id === 'svc_Kubernetes_default_payments')?.data;
    expect(data?.isServiceEntry).toEqual({ hosts: ['payments.example.com'], location: 'MESH_EXTERNAL', namespace: 'default' });
  });

  it('an entry whose endpoints have sidecars keeps a service node per host in its namespace, in front of their workload', () => {
    const ledger = graph.edges.filter((e) => e.host === 'ledger.corp.internal').map((e) => `${e.source} > ${e.target} (${e.reporter})`);
    expect(ledger).toEqual(['svc_Kubernetes_default_ledger.corp.internal > vapp_Kubernetes_default_ledger.corp.internal (destination)', 'vapp_Kubernetes_default_checkout > svc_Kubernetes_default_ledger.corp.internal (source)']);
    expect(byId.get('svc_Kubernetes_default_ledger.corp.internal')?.serviceEntry).toBeUndefined();
    expect(byId.get('vapp_Kubernetes_default_ledger.corp.internal')).toMatchObject({ kind: 'app', app: 'ledger.corp.internal', version: 'latest' });
  });

  it('REGISTRY_ONLY’s refusal is a call to BlackHoleCluster', () => {
    const edge = graph.edges.find((e) => e.target === 'svc_Kubernetes_unknown_BlackHoleCluster');
    expect(edge?.source).toBe('vapp_Kubernetes_default_checkout');
    expect(Object.keys(edge?.responses ?? {})).toEqual(['502']);
    expect(graph.nodes.some((n) => n.service === 'rates.example.org')).toBe(false);
  });

  it('every caller-reported edge ends where Kiali would draw it from the run’s own metrics', () => {
    const entries = new Map([['payments.example.com', 'payments'], ['*.cdn.example.net', 'cdn'], ['ledger.corp.internal', 'ledger']]);
    const kialiTargets = new Set(
      sourceSeries(session).map((s) => {
        const service = `svc_Kubernetes_${s['destination_service_namespace']}_${s['destination_service_name']}`;
        if (s['destination_workload'] !== 'unknown') return service; // a service node injected before the known workload
        const entry = entries.get(s['destination_service_name'] as string);
        return entry ? `svc_Kubernetes_${s['source_workload_namespace']}_${entry}` : service;
      }),
    );
    const drawn = new Set(graph.edges.filter((e) => e.reporter === 'source').map((e) => e.target));
    expect(drawn).toEqual(kialiTargets);
    expect(drawn.size).toBe(4);
  });

  it('a caller in another namespace than the entry gets the entry’s node in its own namespace (through the egress gateway)', () => {
    const g = graphOf(open('examples/egress-gateway/mesh.yaml', 'examples/egress-gateway/simulation.yaml'));
    const edge = g.edges.find((e) => e.source === 'vapp_Kubernetes_istio-system_istio-egressgateway');
    expect(edge?.target).toBe('svc_Kubernetes_istio-system_payments');
    expect(g.nodes.find((n) => n.id === edge?.target)?.serviceEntry).toEqual({ hosts: ['api.payments.example'], location: 'MESH_EXTERNAL', namespace: 'istio-system' });
  });
});
