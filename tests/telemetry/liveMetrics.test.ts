import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SimulationReport } from '../../src/telemetry/index.ts';
import { promtool, startPrometheus } from '../helpers/prometheus.ts';
import type { RunningPrometheus } from '../helpers/prometheus.ts';

/** What `promtool check metrics` says of Istio's and Envoy's own names (their exposition has them too): nothing else may show. */
const ISTIO_AND_ENVOY_NAMES = [
  /^envoy_cluster_[a-z_]+ counter metrics should have "_total" suffix$/,
  /^istio_request_duration_milliseconds use base unit "seconds" instead of "milliseconds"$/,
];

describe('a paced run serves /metrics to a real Prometheus (--serve-metrics, --pace 1)', () => {
  let dir: string | undefined;
  let prometheus: RunningPrometheus | undefined;
  let child: ReturnType<typeof spawn> | undefined;

  afterEach(async () => {
    child?.kill('SIGKILL');
    await prometheus?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('promtool check metrics parses it; a prometheus process scrapes it while the run goes', async () => {
    dir = mkdtempSync(join(tmpdir(), 'meshviz-live-'));
    const started = Date.now();
    child = spawn(process.execPath, ['bin/meshviz.js', 'simulate', '--scenario', 'bookinfo', '--duration', '10s', '--serve-metrics', '127.0.0.1:0', '--pace', '1', '-o', 'json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
    const exited = new Promise<number | null>((resolve) => child?.once('exit', resolve));
    const url = await new Promise<string>((resolve, reject) => {
      child?.stderr?.on('data', (c: Buffer) => {
        stderr += c.toString();
        const m = /serving metrics at (\S+)/.exec(stderr);
        if (m) resolve(m[1] as string);
      });
      void exited.then(() => reject(new Error(`the run ended before serving: ${stderr}`)));
    });
    const target = new URL(url);
    prometheus = await startPrometheus(dir, `  - job_name: meshviz\n    static_configs: [{ targets: ['${target.host}'] }]`);

    expect((await fetch(new URL('/other', url))).status).toBe(404);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const text = await (await fetch(url)).text();
    expect(text).toMatch(/^istio_requests_total\{reporter="destination",/m);
    const check = await promtool(['check', 'metrics'], text);
    // 3 is promtool's exit status for lint findings (a parse error is 1).
    expect(check.code).toBe(3);
    const findings = check.out.split('\n').filter((l) => l.trim() !== '');
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) expect(ISTIO_AND_ENVOY_NAMES.some((re) => re.test(f.trim())), f).toBe(true);

    expect(await exited).toBe(0);
    // At --pace 1, 10 s of traffic took about 10 s of wall time.
    expect(Date.now() - started).toBeGreaterThan(9_000);
    const report = JSON.parse(stdout) as SimulationReport;
    const up = await prometheus.query('max_over_time(up{job="meshviz"}[1m])');
    expect(up.map((u) => u.value)).toEqual([1]);
    const scraped = await prometheus.query('max_over_time(istio_requests_total{reporter="destination",destination_workload="productpage-v1",response_code="200"}[1m])');
    const served = report.edges.find((e) => e.destination === 'productpage-v1')?.requests as number;
    expect(scraped).toHaveLength(1);
    expect(scraped[0]?.value).toBeGreaterThan(0);
    expect(scraped[0]?.value).toBeLessThanOrEqual(served);
  }, 60_000);
});
