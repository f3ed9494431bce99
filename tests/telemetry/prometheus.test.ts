import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulationReport } from '../../src/telemetry/index.ts';
import { ENVOY_BUCKETS } from '../../src/telemetry/index.ts';
import { bookinfoWithFailure } from '../helpers/bookinfoFailure.ts';
import { meshviz } from '../helpers/meshvizCli.ts';
import { runTool, startPrometheus } from '../helpers/prometheus.ts';
import type { RunningPrometheus } from '../helpers/prometheus.ts';

/** 2026-01-05T09:00:00Z: the run's simulated instant 0. */
const START = 1_767_603_600;

/**
 * A one-hour Bookinfo run with details failing from 20 to 30 minutes,
 * written with `--metrics`, backfilled with Debian's `promtool tsdb
 * create-blocks-from openmetrics`, and queried over the HTTP API of a real
 * `prometheus` on that TSDB: PromQL gives the report's numbers.
 */
describe('--metrics backfilled into a real Prometheus (mesh-semantics §8.2)', () => {
  let dir: string;
  let report: SimulationReport;
  let prometheus: RunningPrometheus;
  /** The last scrape: the run's end, rounded up to the scrape interval. */
  let end: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'meshviz-prometheus-'));
    writeFileSync(join(dir, 'bookinfo.yaml'), bookinfoWithFailure('1h', '20m', '30m'));
    const run = await meshviz('simulate', join(dir, 'bookinfo.yaml'), '--metrics', join(dir, 'run.om'), '--scrape-interval', '60s', '--start', '2026-01-05T09:00:00Z', '-o', 'json');
    expect(run.code, run.stderr).toBe(0);
    report = JSON.parse(run.stdout) as SimulationReport;
    end = START + Math.ceil(report.durationMs / 60_000) * 60;
    const blocks = await runTool('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', join(dir, 'run.om'), join(dir, 'data')]);
    expect(blocks.stdout).toMatch(/BLOCK ULID/);
    prometheus = await startPrometheus(dir);
  }, 120_000);

  afterAll(async () => {
    await prometheus?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const one = async (promql: string): Promise<number> => {
    const result = await prometheus.query(promql, end);
    expect(result, promql).toHaveLength(1);
    return (result[0] as { value: number }).value;
  };
  const callsWith = (flag: string): number => report.calls.reduce((n, c) => n + (c.byFlags[flag] ?? 0), 0);

  it('ends in # EOF, one timestamped scrape a minute', () => {
    const text = readFileSync(join(dir, 'run.om'), 'utf8');
    expect(text.endsWith('# EOF\n')).toBe(true);
    const stamps = new Set(text.match(/ \d{10}\.\d{3}$/gm));
    expect(stamps.size).toBe((end - START) / 60 + 1);
  });

  it('the fail-fast UH answers the callers saw: sum(increase(istio_requests_total{reporter="source",response_flags="UH"}[1h])) = the report’s UH count', async () => {
    const uh = callsWith('UH');
    expect(uh).toBeGreaterThan(1000);
    expect(await one(`sum(increase(istio_requests_total{reporter="source",response_flags="UH"}[${end - START}s]))`)).toBe(uh);
  });

  it('every call as the callers saw it, and every request details’ sidecar saw, by the two reporters', async () => {
    const calls = report.calls.filter((c) => c.source !== 'external').reduce((n, c) => n + c.requests, 0);
    expect(await one(`sum(increase(istio_requests_total{reporter="source"}[${end - START}s]))`)).toBe(calls);
    const details = report.edges.find((e) => e.destination === 'details-v1');
    expect(await one(`sum(increase(istio_requests_total{reporter="destination",destination_workload="details-v1"}[${end - START}s]))`)).toBe(details?.requests);
    expect(await one(`sum(increase(istio_requests_total{reporter="destination",destination_workload="details-v1",response_code="503"}[${end - START}s]))`)).toBe(details?.byCode['503']);
  });

  it('Envoy’s ejection counter and gauge: as many ejections as the report, none active at the end', async () => {
    expect(report.ejections.length).toBeGreaterThan(0);
    expect(await one('sum(envoy_cluster_outlier_detection_ejections_enforced_total{cluster_name="outbound|9080|v1|details.default.svc.cluster.local"})')).toBe(report.ejections.length);
    expect(await one('sum(envoy_cluster_outlier_detection_ejections_active)')).toBe(0);
    expect(await one('sum(envoy_cluster_upstream_rq_retry)')).toBe(report.retries);
  });

  it('histogram_quantile p99 of details’ inbound duration lands in the Envoy bucket of the report’s p99', async () => {
    const p99 = report.edges.find((e) => e.destination === 'details-v1')?.latencyMs.p99 as number;
    const upper = ENVOY_BUCKETS.findIndex((b) => p99 <= b);
    const [lo, hi] = [ENVOY_BUCKETS[upper - 1] ?? 0, ENVOY_BUCKETS[upper] as number];
    const promql = await one(`histogram_quantile(0.99, sum by (le) (increase(istio_request_duration_milliseconds_bucket{reporter="destination",destination_workload="details-v1"}[${end - START}s])))`);
    expect(promql).toBeGreaterThan(lo);
    expect(promql).toBeLessThanOrEqual(hi);
    expect(Math.abs(promql - p99)).toBeLessThan(hi - lo);
  });

  it('the failure shows in time: UH answers only while details was out, between 20 and 31 minutes', async () => {
    const at = async (minute: number, promql: string): Promise<number | undefined> => (await prometheus.query(promql, START + minute * 60))[0]?.value;
    expect(await at(20, 'sum(istio_requests_total{reporter="source",response_flags="UH"}) or vector(0)')).toBe(0);
    expect(await at(31, 'sum(increase(istio_requests_total{reporter="source",response_flags="UH"}[11m]))')).toBe(callsWith('UH'));
    expect(await at(60, 'sum(increase(istio_requests_total{reporter="source",response_flags="UH"}[29m]))')).toBe(0);
  });
});
