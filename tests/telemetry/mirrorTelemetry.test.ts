import { describe, expect, it } from 'vitest';
import { startSimulation } from '../../src/api/index.ts';
import { sessionFrom, simulation, twoVersionMesh, virtualService } from '../helpers/mesh.ts';

/**
 * What each sidecar reports of a mirrored request (mesh-semantics §2.5). Envoy sends the shadow from the
 * router through an async client stream whose only filter is a router (envoy src
 * source/common/router/router.cc `maybeDoShadowing`, source/common/http/async_client_impl.cc
 * `AsyncStreamImpl`): the caller's connection manager never sees it, so Istio's stats filter does not count
 * it and its access log has no line for it; Envoy's own test counts it under `http.async-client`, not the
 * connection manager (test/integration/shadow_policy_integration_test.cc). At the mirror target it is an
 * ordinary inbound request. Istio marks the mirror span not sampled (`trace_sampled: false`, Istio src
 * pilot/pkg/networking/core/route/route.go `TranslateRequestMirrorPolicy`).
 */
const traffic = simulation(`
seed: 3
traffic: [{ name: load, from: client, to: server:8080, rps: 20, duration: 2s }]`);
const mirrorToV2 = virtualService(`
- route: [{ destination: { host: server, subset: v1 } }]
  mirror: { host: server, subset: v2 }`);

function outputs(): { metrics: string[]; log: Array<Record<string, unknown>>; spans: string } {
  let log = '';
  let spans = '';
  const run = startSimulation(sessionFrom(...twoVersionMesh({ vs: mirrorToV2, simulation: traffic })), {
    telemetry: { startMs: 0, liveMetrics: true, accessLog: { write: (t) => (log += t), format: 'json' }, traces: { write: (t) => (spans += t), samplingPercent: 100 } },
  });
  while (run.advance());
  const metrics = (run.telemetry?.prometheusText() ?? '').split('\n').filter((l) => l.startsWith('istio_requests_total{'));
  return { metrics, log: log.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>), spans };
}

describe('a mirrored request in the sidecars’ telemetry', () => {
  const { metrics, log, spans } = outputs();
  const count = (line: string | undefined): number => Number(line?.split(' ')[1]);
  const series = (reporter: string, workload: string) => metrics.filter((l) => l.includes(`reporter="${reporter}"`) && l.includes(`destination_workload="${workload}"`));

  it('the caller’s sidecar counts and logs only the primary request: no source series, no outbound line toward v2', () => {
    expect(count(series('source', 'server-v1')[0])).toBe(40);
    expect(series('source', 'server-v2')).toEqual([]);
    const outbound = log.filter((l) => typeof l['upstream_cluster'] === 'string' && (l['upstream_cluster'] as string).startsWith('outbound|'));
    expect(outbound.map((l) => l['upstream_cluster'])).toEqual(new Array(40).fill('outbound|8080|v1|server.default.svc.cluster.local'));
  });

  it('the mirror target’s sidecar logs and counts every copy like any inbound request, with the SNI of the mirror’s cluster', () => {
    expect(count(series('destination', 'server-v2')[0])).toBe(40);
    const inbound = log.filter((l) => l['upstream_cluster'] === 'inbound|8080||');
    expect(inbound).toHaveLength(80);
    const sni = inbound.map((l) => l['requested_server_name']);
    expect(sni.filter((s) => s === 'outbound_.8080_.v2_.server.default.svc.cluster.local')).toHaveLength(40);
    expect(sni.filter((s) => s === 'outbound_.8080_.v1_.server.default.svc.cluster.local')).toHaveLength(40);
  });

  it('no span for a copy: every span is of the primary requests', () => {
    expect(spans).not.toContain('server-v2');
    expect(spans).toContain('server-v1');
  });
});
