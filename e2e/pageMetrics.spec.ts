import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { promtool, startPrometheus } from '../tests/helpers/prometheus.ts';
import { test } from './fixtures.ts';
import { mv } from './harness.ts';

/** What `promtool check metrics` says of Istio's and Envoy's own names (their exposition has them too): nothing else may show. */
const ISTIO_AND_ENVOY_NAMES = [/^envoy_cluster_[a-z_]+ counter metrics should have "_total" suffix$/, /^istio_request_duration_milliseconds use base unit "seconds" instead of "milliseconds"$/];

/** `sum(name{…})` over the lines of a Prometheus text whose labels match every `label="value"` given. */
function sumOf(text: string, name: string, labels: Record<string, string>): number {
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)))
    .reduce((n, l) => n + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

/**
 * `meshviz serve` is a Prometheus target for the mesh on the page: the page
 * runs the mesh and hands its sidecars' metrics to the server, which serves
 * them at /metrics; a real `prometheus` process scrapes them.
 */
describe('the mesh on the page, scraped by a real Prometheus from meshviz serve', () => {
  test('requests sent from the page are counted in /metrics as both sidecars report them, and Prometheus reads the same', async ({ app, page }) => {
    const dir = mkdtempSync(join(tmpdir(), 'meshviz-page-metrics-'));
    const base = new URL(app.server.url);
    const prometheus = await startPrometheus(dir, `  - job_name: meshviz-page\n    static_configs: [{ targets: ['${base.host}'] }]`);
    try {
      await mv(page, (m) => {
        m.pause();
        m.select('api', 'users', '/users/1');
        m.send(25);
        m.finishPlayback();
      });
      const calls = { reporter: 'source', source_workload: 'api', destination_service_name: 'users' };
      // The page hands its metrics over every 5 s while they change.
      let text = '';
      for (let tries = 0; tries < 40 && sumOf(text, 'istio_requests_total', calls) < 25; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        text = await (await fetch(new URL('/metrics', base))).text();
      }
      expect(sumOf(text, 'istio_requests_total', { ...calls, response_code: '200' })).toBe(25);
      // The destination's sidecars report the same calls (users-v1 and users-v2 by the canary's weights), over mTLS.
      expect(sumOf(text, 'istio_requests_total', { reporter: 'destination', source_workload: 'api', destination_service_name: 'users', connection_security_policy: 'mutual_tls' })).toBe(25);
      expect(text).toMatch(/^envoy_cluster_upstream_rq_retry\{cluster_name="outbound\|8080\|v1\|users\.default\.svc\.cluster\.local"\} 0$/m);

      const check = await promtool(['check', 'metrics'], text);
      expect(check.code).toBe(3);
      for (const f of check.out.split('\n').filter((l) => l.trim() !== '')) expect(ISTIO_AND_ENVOY_NAMES.some((re) => re.test(f.trim())), f).toBe(true);

      let scraped: Array<{ value: number }> = [];
      for (let tries = 0; tries < 40 && scraped[0]?.value !== 25; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        scraped = await prometheus.query('sum(istio_requests_total{job="meshviz-page",reporter="source",source_workload="api",destination_service_name="users"})');
      }
      expect(scraped.map((s) => s.value)).toEqual([25]);
    } finally {
      await prometheus.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  test('only the page of this server may hand metrics over', async ({ app }) => {
    const put = (headers: Record<string, string>) => fetch(new URL('/api/page-metrics', app.server.url), { method: 'PUT', headers: { 'content-type': 'text/plain', ...headers }, body: 'istio_requests_total{a="b"} 1\n' });
    expect((await put({})).status).toBe(400);
    expect((await put({ 'x-meshviz-metrics': '1', origin: 'http://elsewhere.example' })).status).toBe(403);
    expect((await fetch(new URL('/api/page-metrics', app.server.url), { method: 'POST', headers: { 'x-meshviz-metrics': '1' }, body: 'x' })).status).toBe(405);
    expect((await fetch(new URL('/metrics', app.server.url))).headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(await (await fetch(new URL('/metrics', app.server.url))).text()).not.toContain('a="b"');
  });
});
