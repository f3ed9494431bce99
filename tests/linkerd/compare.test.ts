import { describe, expect, it } from 'vitest';
import { compareFlavors, openSession, translateToLinkerd } from '../../src/api/index.ts';
import { MESH_COSTS } from '../../src/model/index.ts';
import { readFileSync } from 'node:fs';

const DEFAULT = { name: 'scenarios/default.yaml', text: readFileSync(new URL('../../scenarios/default.yaml', import.meta.url), 'utf8') };

function session() {
  const opened = openSession([DEFAULT]);
  if (!opened.ok) throw new Error('default scenario does not open');
  return opened.session;
}

describe('compare: one mesh under each flavor, with its cited costs', () => {
  it('the cost table orders per-proxy latency and memory as the cited figures do: Linkerd below Istio’s sidecar, ztunnel below both in memory (§12, §10.5)', () => {
    const { istio, linkerd, 'istio-ambient': ambient } = MESH_COSTS;
    // Istio's own page: +2.65 ms p90 / +2.88 ms p99 for two sidecars, halved per proxy; 60 MB (1.24).
    expect([istio.hopP50, istio.hopTail, istio.memoryMB]).toEqual([1_325, 1_440, 60]);
    // Linkerd: 8/20 of Istio's overhead (2021-11-29 benchmark), 26.3 MB.
    expect([linkerd.hopP50, linkerd.hopTail, linkerd.memoryMB]).toEqual([530, 576, 26.3]);
    expect(linkerd.hopP50).toBeLessThan(istio.hopP50);
    expect(linkerd.hopTail).toBeLessThan(istio.hopTail);
    expect(linkerd.memoryMB).toBeLessThan(istio.memoryMB);
    expect(ambient.memoryMB).toBeLessThan(linkerd.memoryMB);
    expect(linkerd.cpuPer1000Rps).toBeLessThan(istio.cpuPer1000Rps);
    expect(ambient.cpuPer1000Rps).toBeLessThan(linkerd.cpuPer1000Rps);
    for (const mesh of Object.values(MESH_COSTS)) for (const source of Object.values(mesh.sources)) expect(source).toMatch(/§1[02]/);
  });

  it('the failing-pod story under Istio and Linkerd: the simulated latency and proxy memory follow the same order, and each reports its own breaker', () => {
    const [istio, linkerd, ambient] = compareFlavors(session(), { flavors: ['istio', 'linkerd', 'istio-ambient'], duration: 14_000_000 });
    // Before the failure (the first 14 s) every request succeeds under both: only the proxies' own cost differs.
    expect(istio?.run?.successRate).toBe(1);
    expect(linkerd?.run?.successRate).toBe(1);
    expect(linkerd?.run?.p50Ms).toBeLessThan(istio?.run?.p50Ms ?? 0);
    expect(linkerd?.proxyMemoryMB).toBeLessThan(istio?.proxyMemoryMB ?? 0);
    expect(istio?.proxies).toBe(6);
    expect(linkerd?.proxyMemoryMB).toBeCloseTo(6 * 26.3, 5);
    expect(ambient?.simulated).toBe(true);
    expect(ambient?.run?.successRate).toBe(1);
    const [withFailureIstio, withFailureLinkerd] = compareFlavors(session(), { flavors: ['istio', 'linkerd'] });
    expect(withFailureIstio?.onFailure[0]).toMatch(/^users-v1 fails \(503\) at 15 s: outlier detection ejected it 1×/);
    expect(withFailureLinkerd?.onFailure[0]).toMatch(/^users-v1 fails \(503\) at 15 s: failure accrual made it unavailable \d+× from 15\.\d s \(1 s, 2 s, /);
    expect(withFailureLinkerd?.run?.failFast).toBeGreaterThan(0);
  });

  it('a Simulation overrides figures of the table (spec.meshCosts); the source then says so, and export keeps them', async () => {
    const text = `${DEFAULT.text}\n`.replace('  flavor: istio\n', '  flavor: istio\n  meshCosts:\n    linkerd: { memoryMB: 40, hopP50: 700us }\n');
    const opened = openSession([{ name: 'default.yaml', text }]);
    if (!opened.ok) throw new Error(opened.diagnostics.map((d) => d.message).join('; '));
    const [, linkerd] = compareFlavors(opened.session, { flavors: ['istio', 'linkerd'], duration: 2_000_000 });
    expect([linkerd?.costs.memoryMB, linkerd?.costs.hopP50, linkerd?.costs.hopTail]).toEqual([40, 700, 576]);
    expect(linkerd?.costs.sources.memoryMB).toBe('set in the Simulation (spec.meshCosts)');
    expect(linkerd?.proxyMemoryMB).toBe(240);
    const { exportScenario } = await import('../../src/istio/index.ts');
    expect(exportScenario(opened.session.scenario)).toMatch(/meshCosts:\n    linkerd:\n      hopP50: 700us\n      memoryMB: 40/);
  });

  it('translating to Linkerd: subsets become Services behind an HTTPRoute, retries and outlier detection become annotations, and what has no equivalent is listed', () => {
    const t = translateToLinkerd(session().scenario);
    expect(t.scenario.simulation.flavor).toBe('linkerd');
    expect(t.scenario.services.map((s) => s.name)).toEqual(expect.arrayContaining(['users-v1', 'users-v2']));
    const route = t.scenario.linkerd.httpRoutes[0];
    expect(route?.spec.rules?.[0]?.backendRefs).toEqual([
      { name: 'users-v1', namespace: 'default', port: 8080, weight: 90 },
      { name: 'users-v2', namespace: 'default', port: 8080, weight: 10 },
    ]);
    expect(route?.metadata.annotations).toEqual({ 'retry.linkerd.io/limit': '3', 'retry.linkerd.io/http': '5xx', 'retry.linkerd.io/timeout': '1s' });
    expect(t.scenario.services.find((s) => s.name === 'users-v1')?.annotations).toMatchObject({ 'balancer.linkerd.io/failure-accrual': 'consecutive', 'balancer.linkerd.io/failure-accrual-consecutive-max-failures': '5' });
    expect(t.notTranslated.join('\n')).toContain('retryOn connect-failure has no Linkerd condition');
    expect(t.notTranslated.join('\n')).toContain('outlier detection has no Linkerd counterpart; failure accrual replaces it');
  });
});

describe('export under Linkerd', () => {
  it('keeps what Linkerd reads: injection and Service annotations, HTTPRoutes; loading the export gives the same run', async () => {
    const { exportScenario } = await import('../../src/istio/index.ts');
    const { digestRun } = await import('../../src/api/index.ts');
    const text = readFileSync(new URL('../../scenarios/linkerd.yaml', import.meta.url), 'utf8');
    const opened = openSession([{ name: 'linkerd.yaml', text }]);
    if (!opened.ok) throw new Error('linkerd scenario does not open');
    const exported = exportScenario(opened.session.scenario);
    expect(exported).toContain('linkerd.io/inject: enabled');
    expect(exported).toContain('balancer.linkerd.io/failure-accrual: consecutive');
    expect(exported).toContain('kind: HTTPRoute');
    const run = (files: Array<{ name: string; text: string }>) => digestRun({ files, seed: 42, duration: 30_000_000 });
    expect(run([{ name: 'exported.yaml', text: exported }])).toBe(run([{ name: 'linkerd.yaml', text }]));
  });
});
