import { describe, expect, it } from 'vitest';
import { openSession, startSimulation } from '../../src/api/index.ts';
import { frontBackMesh, sessionFrom, simulation } from '../helpers/mesh.ts';

const traffic = simulation(`
seed: 1
workloads:
  front: { calls: [{ service: back:8080, path: /b }] }
traffic: [{ name: load, from: client, to: front:8080, rps: 20, duration: 2s }]`);

function telemetry(name: string, namespace: string, spec: string): string {
  return `apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata: { name: ${name}, namespace: ${namespace} }
spec:
${spec.trim().split('\n').map((l) => `  ${l}`).join('\n')}`;
}

/** Runs the mesh with every output on: the live metrics text, the access-log lines, the spans' lines. */
function outputs(...docs: string[]): { metrics: string; log: string[]; spans: string[] } {
  let log = '';
  let spans = '';
  const run = startSimulation(sessionFrom(...frontBackMesh(), traffic, ...docs), {
    telemetry: { startMs: 0, liveMetrics: true, accessLog: { write: (t) => (log += t), format: 'text' }, traces: { write: (t) => (spans += t), samplingPercent: 100 } },
  });
  while (run.advance());
  return { metrics: run.telemetry?.prometheusText() ?? '', log: log.split('\n').filter(Boolean), spans: spans.split('\n').filter(Boolean) };
}

const series = (metrics: string, name: string) => metrics.split('\n').filter((l) => l.startsWith(`${name}{`));

describe('Istio’s Telemetry resource (telemetry.istio.io/v1) shapes the outputs', () => {
  it('without one: both sidecars report every metric, log every request and report spans', () => {
    const { metrics, log, spans } = outputs();
    expect(series(metrics, 'istio_requests_total').map((l) => /reporter="(\w+)"/.exec(l)?.[1]).sort()).toEqual(['destination', 'destination', 'source', 'source']);
    // client → front (client's outbound, front's inbound) and front → back: 40 requests, 4 lines each.
    expect(log).toHaveLength(160);
    expect(spans.length).toBeGreaterThan(0);
  });

  it('a mesh-wide override disables the client side’s metrics: only reporter="destination" is left', () => {
    const { metrics } = outputs(telemetry('mesh-default', 'istio-system', `
metrics:
- providers: [{ name: prometheus }]
  overrides:
  - match: { metric: ALL_METRICS, mode: CLIENT }
    disabled: true`));
    expect(metrics).not.toMatch(/reporter="source"/);
    expect(series(metrics, 'istio_requests_total')).toHaveLength(2);
    expect(series(metrics, 'istio_request_bytes_count').every((l) => l.includes('reporter="destination"'))).toBe(true);
  });

  it('tags removed and set on one metric, per workload: request_protocol gone, request_method added', () => {
    const { metrics } = outputs(telemetry('back', 'default', `
selector: { matchLabels: { app: back } }
metrics:
- overrides:
  - match: { metric: REQUEST_COUNT }
    tagOverrides:
      request_protocol: { operation: REMOVE }
      request_method: { value: request.method }
      team: { value: "'payments'" }`));
    const back = series(metrics, 'istio_requests_total').filter((l) => l.includes('destination_workload="back"') && l.includes('reporter="destination"'));
    expect(back).toHaveLength(1);
    expect(back[0]).not.toMatch(/request_protocol=/);
    expect(back[0]).toMatch(/request_method="GET",team="payments"\} 40$/);
    // Other metrics and other sidecars keep Istio's tags.
    expect(series(metrics, 'istio_request_duration_milliseconds_count').every((l) => l.includes('request_protocol="http"'))).toBe(true);
  });

  it('access logging off for a namespace, back on for one workload in it (the most specific wins)', () => {
    const { log } = outputs(
      telemetry('quiet', 'default', 'accessLogging: [{ disabled: true }]'),
      telemetry('front-logs', 'default', `
selector: { matchLabels: { app: front } }
accessLogging: [{ providers: [{ name: envoy }], match: { mode: SERVER } }]`),
    );
    // Only front's inbound lines: one per request from client.
    expect(log).toHaveLength(40);
    expect(log.every((l) => l.includes('inbound|8080||') && l.includes('"front:8080"'))).toBe(true);
  });

  it('randomSamplingPercentage: 0 in the namespace samples no new trace whatever the mesh default', () => {
    expect(outputs(telemetry('no-traces', 'default', 'tracing: [{ randomSamplingPercentage: 0 }]')).spans).toEqual([]);
  });

  it('what meshviz does not simulate is said where it is written; Telemetry is no longer "kept but not simulated"', () => {
    const opened = openSession([
      {
        name: 'telemetry.yaml',
        text: [
          ...frontBackMesh(),
          telemetry('a', 'default', `
metrics:
- providers: [{ name: stackdriver }]
- overrides:
  - tagOverrides:
      source_x: { value: "upstream_peer.labels['x']" }
accessLogging: [{ filter: { expression: "response.code >= 400" } }]`),
          telemetry('b', 'default', 'tracing: [{ randomSamplingPercentage: 10 }]'),
        ].join('\n---\n'),
      },
    ]);
    if (!opened.ok) throw new Error(opened.diagnostics.map((d) => d.message).join('\n'));
    const found = opened.session.diagnostics.filter((d) => d.resource?.startsWith('Telemetry/')).map((d) => [d.code, d.path, d.source?.line]);
    expect(opened.session.diagnostics.some((d) => d.code === 'MV0023' && d.resource?.startsWith('Telemetry/'))).toBe(false);
    expect(found).toEqual([
      ['MV0340', 'spec.metrics[0].providers[0].name', 62],
      ['MV0342', 'spec.metrics[1].overrides[0].tagOverrides.source_x.value', 65],
      ['MV0341', 'spec.accessLogging[0].filter', 66],
      ['MV0343', undefined, 68],
    ]);
  });

  it('a Telemetry that breaks Istio’s CRD schema is refused with the schema’s diagnostic', () => {
    const opened = openSession([{ name: 't.yaml', text: [...frontBackMesh(), telemetry('bad', 'default', 'tracing: [{ randomSamplingPercentage: ten }]')].join('\n---\n') }]);
    const diagnostics = opened.ok ? opened.session.diagnostics : opened.diagnostics;
    expect(diagnostics.filter((d) => d.resource === 'Telemetry/default/bad').map((d) => [d.severity, d.path])).toEqual([['error', 'spec.tracing[0].randomSamplingPercentage']]);
  });
});
