import { describe, expect, it } from 'vitest';
import { startSimulation } from '../../src/api/index.ts';
import { frontBackMesh, indent, sessionFrom, simulation } from '../helpers/mesh.ts';

/**
 * A Telemetry resource applied by the timeline reaches the sidecars with the
 * config push (the Simulation's push delay, 100 ms by default), as istiod
 * pushes it: from then on the outputs follow it, and what was written before
 * stays as it was.
 */
function run(telemetrySpec: string): { metrics: string; log: string[] } {
  const traffic = simulation(`
seed: 1
workloads:
  front: { calls: [{ service: back:8080, path: /b }] }
traffic: [{ name: load, from: client, to: front:8080, rps: 20, duration: 2s }]
timeline:
- at: 1s
  apply:
    apiVersion: telemetry.istio.io/v1
    kind: Telemetry
    metadata: { name: changed, namespace: default }
    spec:
${indent(telemetrySpec, 6)}`);
  let log = '';
  const run = startSimulation(sessionFrom(...frontBackMesh(), traffic), {
    telemetry: { startMs: 0, liveMetrics: true, accessLog: { write: (t) => (log += t), format: 'json' } },
  });
  while (run.advance());
  return { metrics: run.telemetry?.prometheusText() ?? '', log: log.split('\n').filter(Boolean) };
}

/** When a JSON access-log line's request ended, in ms of simulated time (the run starts at the epoch). */
const endMs = (line: string): number => {
  const entry = JSON.parse(line) as { start_time: string; duration: number };
  return Date.parse(entry.start_time) + entry.duration;
};

const PUSHED_MS = 1100;

describe('a Telemetry resource changed by the timeline takes effect when it is pushed', () => {
  it('access logging turned off at 1 s: lines up to the push at 1.1 s, none after', () => {
    const { log } = run('accessLogging: [{ disabled: true }]');
    const all = run('accessLogging: [{ disabled: false }]').log;
    // 40 requests, 4 lines each, when nothing is turned off.
    expect(all).toHaveLength(160);
    expect(log.length).toBeGreaterThan(40);
    expect(log.every((l) => endMs(l) <= PUSHED_MS)).toBe(true);
    // Exactly the lines of the unchanged run that were written by the push.
    expect(log).toEqual(all.filter((l) => endMs(l) <= PUSHED_MS));
  });

  it('a tag set on REQUEST_COUNT at 1 s: the requests reported after the push count in the new series', () => {
    const { metrics, log } = run(`
metrics:
- overrides:
  - match: { metric: REQUEST_COUNT }
    tagOverrides:
      phase: { value: "'after'" }`);
    const count = (re: RegExp) =>
      metrics
        .split('\n')
        .filter((l) => l.startsWith('istio_requests_total{') && re.test(l))
        .reduce((n, l) => n + Number(l.split(' ').pop()), 0);
    // The caller's sidecar of client → front reports once per request, when it ends: the access log says when.
    const clientToFront = log.map((l) => JSON.parse(l) as { authority: string; upstream_cluster: string | null; start_time: string; duration: number });
    const source = clientToFront.filter((e) => e.authority === 'front:8080' && e.upstream_cluster?.startsWith('outbound|'));
    expect(source).toHaveLength(40);
    const after = source.filter((e) => Date.parse(e.start_time) + e.duration > PUSHED_MS).length;
    expect(after).toBeGreaterThan(0);
    expect(after).toBeLessThan(40);
    expect(count(/reporter="source",source_workload="client",.*phase="after"/)).toBe(after);
    expect(count(/reporter="source",source_workload="client",(?!.*phase=)/)).toBe(40 - after);
    // Other metrics keep Istio's tags.
    expect(metrics).not.toMatch(/istio_request_duration_milliseconds_count\{[^}]*phase=/);
  });
});
