import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { estimateRun, RunOverBudget, runSimulation, startSimulation } from '../../src/api/index.ts';
import { scenarioYaml } from '../export/scenarioArbitrary.ts';
import { frontBackMesh, sessionFrom, simulation } from '../helpers/mesh.ts';
import { openSession } from '../../src/api/index.ts';

const hostile = (name: string) => {
  const opened = openSession([{ name, text: readFileSync(`tests/fixtures/hostile/${name}`, 'utf8') }]);
  if (!opened.ok) throw new Error(`${name} does not load`);
  return opened.session;
};

describe('a run is weighed before it starts', () => {
  // Each of these once started silently and never finished.
  it.each([
    ['flood-rps.yaml', '60,000,000,000 requests (≈ 240,000,000,000 request-hops, ≈ 9 days here)'],
    ['long-duration.yaml', '72,000,000 requests (≈ 288,000,000 request-hops, ≈ 16 min here)'],
    ['closed-loop-flood.yaml', '1,000,000,000 requests (≈ 4,000,000,000 request-hops, ≈ 3.7 h here)'],
  ])('%s is refused over the budget, saying what it would cost', (name, cost) => {
    const session = hostile(name);
    expect(() => runSimulation(session)).toThrow(RunOverBudget);
    expect(() => runSimulation(session)).toThrow(`this run would simulate about ${cost}, over the budget of 100,000,000 request-hops`);
  });

  it('counts each request with the app calls it sets off (web → api → cache, users → db: 4 hops)', () => {
    const session = hostile('long-duration.yaml');
    const estimate = estimateRun(session, { ...session.scenario.simulation, traffic: session.scenario.simulation.traffic.map((t) => ({ ...t, load: { kind: 'open' as const, rps: 20, duration: 60_000_000 } })) });
    expect(estimate).toMatchObject({ requests: 1200, hops: 4800, events: 57_600 });
  });

  it('--force runs what the budget refuses; --duration makes it fit', () => {
    const session = hostile('flood-rps.yaml');
    expect(() => startSimulation(session, { force: true })).not.toThrow();
    expect(runSimulation(session, { duration: 2 }).requests.total).toBe(2000);
  });
});

describe('a run that costs far more than its estimate stops at twice the budget', () => {
  // front's app retries a back end that always fails 50 times: 51 calls where the estimate counts one.
  const session = sessionFrom(
    ...frontBackMesh(),
    simulation(`
workloads:
  front: { calls: [{ service: "back:8080", retries: 50 }] }
  back: { errorRate: 1 }
traffic:
  - { from: client, to: front:8080, rps: 100, duration: 10s }`),
  );

  it('and says so in the report, with what was simulated so far', () => {
    expect(estimateRun(session, session.scenario.simulation).hops).toBe(2000);
    const report = runSimulation(session, { budget: 2000 });
    expect(report.stopped).toMatch(/^stopped after [\d,]+ events, twice the budget: the run cost far more than its estimate/);
    expect(report.events).toBeGreaterThanOrEqual(2 * 2000 * 12);
    expect(report.events).toBeLessThan(2 * 2000 * 12 + 100);
    expect(runSimulation(session, { budget: 2000, force: true }).stopped).toBeUndefined();
  });
});

// The property: any input the loader accepts without errors simulates to the end within its budget,
// or is refused before running (RunOverBudget, a diagnostic in words), or stops at twice the budget saying
// so — never another exception.
describe('property: a scenario that loads runs to the end, or is refused, or stops saying why', () => {
  // About one generated scenario in four loads without errors and runs: 200 runs give some fifty.
  it('on generated scenarios, under a small budget', () => {
    fc.assert(
      fc.property(scenarioYaml, (text) => {
        const opened = openSession([{ name: 'g.yaml', text }]);
        if (!opened.ok) return;
        try {
          const report = runSimulation(opened.session, { budget: 20_000 });
          expect(report.stopped === undefined || report.stopped.startsWith('stopped after')).toBe(true);
          expect(report.events).toBeLessThanOrEqual(2 * 20_000 * 12 + 1_000);
        } catch (error) {
          expect(error).toBeInstanceOf(RunOverBudget);
        }
      }),
      { numRuns: 200 },
    );
  }, 120_000);
});
