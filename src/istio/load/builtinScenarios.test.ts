import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadScenario } from './loadScenario.ts';

const read = (name: string) => {
  const path = new URL(`../../../scenarios/${name}`, import.meta.url);
  return loadScenario([{ name: `scenarios/${name}`, text: readFileSync(path, 'utf8') }]);
};
const problems = (result: ReturnType<typeof read>) => result.diagnostics.filter((d) => d.severity !== 'info');

describe('built-in scenarios', () => {
  it('default.yaml loads without findings and tells its story', () => {
    const result = read('default.yaml');
    expect(problems(result)).toEqual([]);
    const { scenario } = result;
    expect(scenario.workloads.map((w) => `${w.name} ${w.serviceAccount} ${w.sidecar}`)).toEqual([
      'web web true', 'api api true', 'users-v1 users true', 'users-v2 users true', 'cache cache true', 'db db true',
    ]);
    expect(scenario.services.map((s) => `${s.name}:${s.ports.map((p) => `${p.port}->${p.targetPort}`).join(',')}`)).toEqual([
      'web:8080->8080', 'api:8080->8080', 'users:8080->8080', 'cache:8080->8080', 'db:8080->8080',
    ]);
    expect(scenario.virtualServices[0]?.spec.http?.[0]?.retries).toEqual({
      attempts: 3, perTryTimeout: '1s', retryOn: '5xx,connect-failure',
    });
    expect(scenario.destinationRules[0]?.spec.trafficPolicy?.outlierDetection?.maxEjectionPercent).toBe(100);
    const { simulation } = scenario;
    expect(simulation.seed).toBe(42);
    expect(simulation.workloads['api']?.calls.map((c) => c.host)).toEqual(['cache', 'users']);
    expect(simulation.traffic).toMatchObject([{ name: 'browse', from: 'web', host: 'api', port: 8080, load: { kind: 'open', rps: 20 } }]);
    expect(simulation.timeline.map((t) => `${t.at} ${t.action.kind}`)).toEqual(['15000000 fail', '45000000 recover']);
  });

  it('bookinfo.yaml loads without findings, with every version a subset and all routes to v1', () => {
    const result = read('bookinfo.yaml');
    expect(problems(result)).toEqual([]);
    const { scenario } = result;
    expect(scenario.pods.map((p) => p.workload)).toEqual([
      'details-v1', 'ratings-v1', 'reviews-v1', 'reviews-v2', 'reviews-v3', 'productpage-v1',
    ]);
    expect(scenario.serviceAccounts.map((sa) => sa.name)).toContain('bookinfo-productpage');
    expect(scenario.destinationRules.find((dr) => dr.metadata.name === 'reviews')?.spec.subsets?.map((s) => s.name)).toEqual(['v1', 'v2', 'v3']);
    expect(scenario.virtualServices.map((vs) => vs.spec.http?.[0]?.route?.[0]?.destination.subset)).toEqual(['v1', 'v1', 'v1', 'v1']);
    const { workloads, traffic } = scenario.simulation;
    expect(workloads['productpage-v1']?.calls.map((c) => `${c.host} ${c.timeout} ${c.retries}`)).toEqual([
      'details 3000000 0', 'reviews 3000000 1',
    ]);
    expect(workloads['reviews-v1']?.calls).toEqual([]);
    expect(workloads['reviews-v2']?.calls[0]).toMatchObject({ host: 'ratings', timeout: 10_000_000 });
    expect(traffic).toMatchObject([{ from: 'external', host: 'productpage', port: 9080, path: '/productpage', load: { rps: 10 } }]);
  });
});
