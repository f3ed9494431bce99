import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../istio/index.ts';
import { checkVaryKey, variantFiles } from './applyVariant.ts';
import { parseVary, planSweep, runOf, shardRuns } from './planSweep.ts';
import { runSweepRun } from './runSweepRun.ts';
import { summarizeSweep } from './summarizeSweep.ts';

const files = [{ name: 'default.yaml', text: readFileSync(new URL('../../../scenarios/default.yaml', import.meta.url), 'utf8') }];

describe('planSweep', () => {
  const plan = planSweep([parseVary('retries.attempts=1,2,3'), parseVary('outlierDetection.consecutive5xxErrors=3,5')], [1, 2]);

  it('numbers every combination of values with every seed, variant-major', () => {
    expect(plan.total).toBe(12);
    expect([0, 1, 2, 3, 11].map((i) => runOf(plan, i))).toEqual([
      { index: 0, variant: [1, 3], seed: 1 },
      { index: 1, variant: [1, 3], seed: 2 },
      { index: 2, variant: [1, 5], seed: 1 },
      { index: 3, variant: [1, 5], seed: 2 },
      { index: 11, variant: [3, 5], seed: 2 },
    ]);
  });

  it('splits the runs into shards that cover each run once', () => {
    const shards = [0, 1, 2, 3, 4].map((i) => shardRuns(plan, i, 5).map((r) => r.index));
    expect(shards.flat().sort((a, b) => a - b)).toEqual([...Array(12).keys()]);
    expect(shards[4]).toEqual([4, 9]);
  });

  it('refuses what is not KEY=V1,V2, a key twice, and keys it cannot place', () => {
    expect(() => parseVary('retries.attempts')).toThrow('is not KEY=V1,V2');
    expect(() => parseVary('retries.attempts=1,,2')).toThrow('is not KEY=V1,V2');
    expect(() => planSweep([parseVary('timeout=1s'), parseVary('timeout=2s')], [1])).toThrow('--vary timeout is given twice');
    expect(() => checkVaryKey('replicas')).toThrow('"replicas" is not a setting a sweep can vary');
    expect(() => checkVaryKey('VirtualService/users:spec.http[0].retries.attempts')).not.toThrow();
  });
});

describe('variantFiles', () => {
  const scenario = loadScenario(files).scenario;

  it('sets the value on every route or policy and reads it back through the loader', () => {
    const [file] = variantFiles(scenario, ['retries.attempts', 'outlierDetection.consecutive5xxErrors'], [7, 2], 'v');
    const loaded = loadScenario([file ?? { name: '', text: '' }]);
    expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(loaded.scenario.virtualServices.flatMap((vs) => (vs.spec.http ?? []).map((r) => r.retries?.attempts))).toEqual([7]);
    expect(loaded.scenario.destinationRules.map((dr) => dr.spec.trafficPolicy?.outlierDetection?.consecutive5xxErrors)).toEqual(scenario.destinationRules.map(() => 2));
    // The scenario it came from is untouched.
    expect(scenario.virtualServices[0]?.spec.http?.[0]?.retries?.attempts).toBe(3);
  });

  it('refuses a value Istio would refuse, naming the variant', () => {
    expect(() => variantFiles(scenario, ['retries.attempts'], [-1], 'retries.attempts=-1')).toThrow(/^retries\.attempts=-1: /);
  });
});

describe('summarizeSweep', () => {
  it('gives mean, min, max and a 95 % interval over the seeds, whatever order the results come in', () => {
    const plan = planSweep([parseVary('retries.attempts=0,3')], [1, 2, 3]);
    const results = [...Array(plan.total).keys()].map((i) => runSweepRun(files, plan, runOf(plan, i)));
    const report = summarizeSweep(plan, [...results].reverse());
    expect(report).toEqual(summarizeSweep(plan, results));
    expect(report.rows.map((r) => r.variant)).toEqual(['retries.attempts=0', 'retries.attempts=3']);
    const retries = report.rows.map((r) => r.spread['retries']);
    expect(retries[0]).toEqual({ mean: 0, min: 0, max: 0, ci95: [0, 0], n: 3 });
    const three = results.slice(3).map((r) => r.metrics['retries'] as number);
    const mean = three.reduce((a, b) => a + b) / 3;
    expect(retries[1]).toMatchObject({ min: Math.min(...three), max: Math.max(...three), n: 3 });
    expect(retries[1]?.mean).toBeCloseTo(mean, 3);
    // t(0.975, 2) = 4.303: the interval is mean ± 4.303 · s/√3.
    const sd = Math.sqrt(three.reduce((a, v) => a + (v - mean) ** 2, 0) / 2);
    expect(retries[1]?.ci95?.[1]).toBeCloseTo(mean + (4.302652729911275 * sd) / Math.sqrt(3), 2);
    expect(() => summarizeSweep(plan, results.slice(1))).toThrow('the results cover 5 of the sweep\'s 6 runs');
  });
});
