import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openSession, startGraph, startSimulation } from '../../src/api/index.ts';
import type { Session } from '../../src/api/index.ts';
import type { SourceFile } from '../../src/istio/index.ts';

/**
 * Which service Istio's metrics name (`destination_service`, `…_name`, `…_namespace`). Facts, with their sources:
 * - The stats filter takes them from the `istio` metadata of the cluster the request went to, `services[0]`'s
 *   `host`, `name` and `namespace` (istio/proxy src source/extensions/filters/http/istio_stats/istio_stats.cc,
 *   `populatePeerInfo`, before the filter moved to Envoy's tree). istiod writes there the service an outbound
 *   cluster was built for, and for an inbound cluster the pod's Services on that port (Istio src
 *   pilot/pkg/networking/core/cluster_builder.go, `addTelemetryMetadata`); a ServiceEntry's service is named
 *   after its host and lives in the entry's namespace (`buildServiceMetadata`).
 * - Without such metadata: the route names `block_all` / `allow_any` give `BlackHoleCluster` /
 *   `PassthroughCluster` as the name; the service falls back to the Host header, except at a gateway and on
 *   the inbound side, where istiod turns that fallback off (pilot/pkg/model/telemetry.go,
 *   `disableHostHeaderFallback`); the destination side then names its own canonical service.
 * - Envoy resolves the route's cluster when it matches the route, before the fault filter runs, so a
 *   request a fault aborts still counts toward the route's service, and its access-log line
 *   (`%UPSTREAM_CLUSTER_RAW%`) and client span (`upstream_cluster`) name the cluster: envoy src
 *   source/common/http/conn_manager_impl.cc, `setRoute` → `setUpstreamClusterInfo`; the formatter reads
 *   `upstreamClusterInfo()` (source/common/formatter/stream_info_formatter.cc). A cluster the route names but
 *   the proxy does not have (503 NC) gives no cluster info: `-`.
 */
function open(files: SourceFile[]): Session {
  const opened = openSession(files);
  if (!opened.ok) throw new Error(opened.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  return opened.session;
}
const read = (...paths: string[]): SourceFile[] => paths.map((name) => ({ name, text: readFileSync(name, 'utf8') }));

/** Each `istio_requests_total` series of a run as its reporter, source and destination workload, and the three service labels. */
function requestSeries(session: Session): Array<{ reporter: string; source: string; workload: string; service: string; name: string; namespace: string; flags: string }> {
  const run = startSimulation(session, { telemetry: { startMs: 0, liveMetrics: true } });
  while (run.advance());
  const text = run.telemetry?.prometheusText() ?? '';
  const label = (line: string, name: string): string => new RegExp(`[{,]${name}="([^"]*)"`).exec(line)?.[1] ?? '(none)';
  return text
    .split('\n')
    .filter((l) => l.startsWith('istio_requests_total{'))
    .map((l) => ({
      reporter: label(l, 'reporter'),
      source: label(l, 'source_workload'),
      workload: label(l, 'destination_workload'),
      service: label(l, 'destination_service'),
      name: label(l, 'destination_service_name'),
      namespace: label(l, 'destination_service_namespace'),
      flags: label(l, 'response_flags'),
    }));
}

describe('destination_service: the service of the cluster, not the name the client dialled', () => {
  it('ingress: both sides of the gateway → web call name web.shop, as the service graph draws it', () => {
    const files = read('examples/ingress/mesh.yaml', 'examples/ingress/simulation.yaml');
    const fromGateway = requestSeries(open(files)).filter((s) => s.source === 'istio-ingressgateway');
    expect(fromGateway.map((s) => s.reporter).sort()).toEqual(['destination', 'source']);
    for (const s of fromGateway) expect([s.workload, s.service, s.name, s.namespace]).toEqual(['web', 'web.shop.svc.cluster.local', 'web', 'shop']);

    const graph = startGraph(open(files));
    while (graph.run.advance());
    expect(graph.graph('versionedApp').edges.map((e) => `${e.source} > ${e.target}`)).toContain('vapp_Kubernetes_istio-system_istio-ingressgateway > svc_Kubernetes_shop_web');
  });

  it('egress: a ServiceEntry host is the service name, in the entry’s namespace; a host the registry blocks is BlackHoleCluster', () => {
    const bySource = requestSeries(open(read('examples/egress/mesh.yaml', 'examples/egress/simulation.yaml'))).filter((s) => s.reporter === 'source');
    const named = (service: string) => bySource.filter((s) => s.service === service).map((s) => [s.name, s.namespace]);
    expect(named('payments.example.com')[0]).toEqual(['payments.example.com', 'default']);
    expect(named('ledger.corp.internal')[0]).toEqual(['ledger.corp.internal', 'default']);
    // A wildcard entry's cluster is built for the wildcard host itself.
    expect(named('*.cdn.example.net')[0]).toEqual(['*.cdn.example.net', 'default']);
    // REGISTRY_ONLY: the route `block_all`; the Host header is what the sidecar has for the service.
    expect(named('rates.example.org')[0]).toEqual(['BlackHoleCluster', 'unknown']);
    expect(bySource.some((s) => s.name === 'payments' || s.namespace === 'example' || s.namespace === 'corp')).toBe(false);
  });

  it('ALLOW_ANY: a host no entry declares goes to PassthroughCluster, named so', () => {
    const mesh = readFileSync('examples/egress/mesh.yaml', 'utf8').replace('mode: REGISTRY_ONLY', 'mode: ALLOW_ANY');
    const series = requestSeries(open([{ name: 'mesh.yaml', text: mesh }, ...read('examples/egress/simulation.yaml')]));
    const passthrough = series.filter((s) => s.reporter === 'source' && s.service === 'rates.example.org');
    expect(passthrough.length).toBeGreaterThan(0);
    for (const s of passthrough) expect(s.name).toBe('PassthroughCluster');
  });

  it('a fault that aborts before the router still counts toward the route’s service', () => {
    const series = requestSeries(open(read('scenarios/default.yaml', 'examples/fault-abort.yaml')));
    const aborted = series.filter((s) => s.flags === 'FI');
    expect(aborted.length).toBeGreaterThan(0);
    for (const s of aborted) expect([s.reporter, s.workload, s.service, s.name, s.namespace]).toEqual(['source', 'unknown', 'users.default.svc.cluster.local', 'users', 'default']);
  });

  it('the destination side names the pod’s own Service on the port the request reached, whatever name was dialled', () => {
    const series = requestSeries(open(read('examples/egress/mesh.yaml', 'examples/egress/simulation.yaml'))).filter((s) => s.reporter === 'destination');
    // A MESH_INTERNAL entry's endpoints run sidecars: their inbound cluster carries the entry's service.
    expect(series.filter((s) => s.workload === 'ledger.corp.internal').map((s) => [s.service, s.name, s.namespace])[0]).toEqual(['ledger.corp.internal', 'ledger.corp.internal', 'default']);
    // The traffic from outside the mesh calls checkout by its Service.
    expect(series.filter((s) => s.workload === 'checkout').map((s) => [s.service, s.name, s.namespace])[0]).toEqual(['checkout.default.svc.cluster.local', 'checkout', 'default']);
  });

  it('an external host’s stand-in tells the caller nothing of a peer: unknown workload, principal and names; the cluster id only from an entry’s endpoint metadata', () => {
    // Facts: istio_stats.cc `populatePeerInfo` falls back to `extractEndpointMetadata` (no peer header from a plaintext
    // external host); istiod's endpoint for a DNS entry's host has no workload or labels and, from 1.26 to 1.29, the
    // cluster id (pilot/pkg/serviceregistry/serviceentry/conversion.go, `convertEndpoint`); an ORIGINAL_DST cluster
    // (resolution NONE, PassthroughCluster) has no endpoint metadata. The revision falls back to `latest`.
    const run = startSimulation(open(read('examples/egress/mesh.yaml', 'examples/egress/simulation.yaml')), { telemetry: { startMs: 0, liveMetrics: true } });
    while (run.advance());
    const lines = (run.telemetry?.prometheusText() ?? '').split('\n').filter((l) => l.startsWith('istio_requests_total{reporter="source"'));
    const labels = (service: string) => {
      const line = lines.find((l) => l.includes(`destination_service="${service}"`)) ?? '';
      const get = (name: string) => new RegExp(`[{,]${name}="([^"]*)"`).exec(line)?.[1];
      return ['workload', 'workload_namespace', 'principal', 'app', 'version', 'canonical_service', 'canonical_revision', 'cluster'].map((n) => get(`destination_${n}`));
    };
    expect(labels('payments.example.com')).toEqual(['unknown', 'unknown', 'unknown', 'unknown', 'unknown', 'unknown', 'latest', 'Kubernetes']);
    expect(labels('*.cdn.example.net')).toEqual(['unknown', 'unknown', 'unknown', 'unknown', 'unknown', 'unknown', 'latest', 'unknown']);
    // A MESH_INTERNAL entry's endpoints run sidecars: the peer's own metadata names them.
    expect(labels('ledger.corp.internal').slice(0, 3)).toEqual(['ledger.corp.internal', 'default', 'spiffe://cluster.local/ns/default/sa/ledger']);
  });

  it('a fault-aborted request’s log line and client span name the route’s cluster; a missing subset’s (NC) name none', () => {
    const missing = readFileSync('examples/fault-abort.yaml', 'utf8').replace('subset: v1 } }]', 'subset: v9 } }]');
    for (const [doc, flag, cluster] of [
      [readFileSync('examples/fault-abort.yaml', 'utf8'), 'FI', 'outbound|8080|v1|users.default.svc.cluster.local'],
      [missing, 'NC', null],
    ] as const) {
      let log = '';
      let spans = '';
      const session = open([...read('scenarios/default.yaml'), { name: 'vs.yaml', text: doc }]);
      const run = startSimulation(session, { telemetry: { startMs: 0, accessLog: { write: (t) => (log += t), format: 'json' }, traces: { write: (t) => (spans += t), samplingPercent: 100 } } });
      while (run.advance());
      const lines = log.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
      const flagged = lines.filter((l) => l['response_flags'] === flag);
      expect(flagged.length, flag).toBeGreaterThan(0);
      for (const l of flagged) expect([l['upstream_cluster'], l['upstream_host']], flag).toEqual([cluster, null]);
      const clientSpans = spans
        .split('\n')
        .filter(Boolean)
        .flatMap((l) => (JSON.parse(l) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<{ attributes: Array<{ key: string; value: { stringValue?: string } }> }> }> }> }).resourceSpans)
        .flatMap((r) => r.scopeSpans.flatMap((s) => s.spans))
        .map((span) => Object.fromEntries(span.attributes.map((a) => [a.key, a.value.stringValue])))
        .filter((a) => a['response_flags'] === flag);
      expect(clientSpans.length, flag).toBeGreaterThan(0);
      for (const a of clientSpans) expect(a['upstream_cluster'], flag).toBe(cluster ?? '-');
    }
  });
});
