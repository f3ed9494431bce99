import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openSession, walkCanary } from '../../src/api/index.ts';
import type { Session } from '../../src/api/index.ts';
import { loadScenario } from '../../src/istio/index.ts';

const PODINFO = readFileSync(new URL('../../examples/canary/podinfo.yaml', import.meta.url), 'utf8');
function open(text: string): Session {
  const opened = openSession([{ name: 'podinfo.yaml', text }]);
  if (!opened.ok) throw new Error(opened.diagnostics.map((d) => d.message).join('\n'));
  return opened.session;
}

describe('walkCanary: a Flagger Canary, tick by tick', () => {
  it('a canary answering 5 % with 500: three failed checks at 10 %, then the rollback at the next tick', () => {
    const w = walkCanary(open(PODINFO));
    expect(w.steps.map((s) => `${s.step} ${s.atMs / 1000}s ${s.action} ${s.weight} failed=${s.failedChecks}`)).toEqual([
      '0 0s start 10 failed=0',
      '1 30s halt 10 failed=1',
      '2 60s halt 10 failed=2',
      '3 90s halt 10 failed=3',
      '4 120s rollback 0 failed=3',
    ]);
    expect(w).toMatchObject({ outcome: 'rolled back', failedAtStep: 3, weights: [[90, 10], [100, 0]], generatedTraffic: false });
    // The success-rate check fails, the duration check passes: 5 % errors, latency unchanged.
    for (const s of w.steps.slice(1, 4)) {
      expect(s.checks.map((c) => [c.metric, c.passed])).toEqual([['request-success-rate', false], ['request-duration', true]]);
      expect(s.checks[0]?.value).toBeLessThan(99);
      // Users see about a tenth of the canary's errors: 10 % of the traffic goes to it.
      expect(s.users).toMatchObject({ requests: 600 });
      expect(s.users.successPercent).toBeGreaterThan(99);
    }
    expect(w.afterRollback).toMatchObject({ requests: 600, successPercent: 100 });
  });

  it('a healthy canary advances by stepWeight to maxWeight, then is promoted', () => {
    const w = walkCanary(open(PODINFO.replace('errorRate: 0.05', 'errorRate: 0')));
    expect(w.outcome).toBe('promoted');
    expect(w.weights).toEqual([[90, 10], [80, 20], [70, 30], [60, 40], [50, 50]]);
    expect(w.steps.map((s) => s.action)).toEqual(['start', 'advance', 'advance', 'advance', 'advance', 'promote']);
    expect(w.failedAtStep).toBeNull();
  });

  it('with no traffic in the Simulation, generates 10 rps from outside to the Service', () => {
    const w = walkCanary(open(PODINFO.replace(/ {2}traffic:\n.*\n/, '')));
    expect(w.generatedTraffic).toBe(true);
    expect(w.steps[1]?.users.requests).toBe(300);
  });
});

describe('reading a Canary', () => {
  const findings = (canary: string) =>
    loadScenario([{ name: 'c.yaml', text: PODINFO.replace(/kind: Canary\n[\s\S]*?\n---/, `kind: Canary\n${canary}\n---`) }]).diagnostics.filter((d) => d.severity !== 'info').map((d) => `${d.code} ${d.path}: ${d.message}`);

  it('takes Flagger\'s defaults (interval 60s, threshold 10, maxWeight 100)', () => {
    const { scenario } = loadScenario([{ name: 'c.yaml', text: PODINFO.replace(/ {4}interval: 30s\n {4}threshold: 3\n {4}maxWeight: 50\n/, '') }]);
    expect(scenario.rollouts[0]).toMatchObject({ target: 'podinfo', service: { name: 'podinfo', port: 9898, targetPort: 9898 }, analysis: { interval: 60_000_000, threshold: 10, maxWeight: 100, stepWeight: 10 } });
  });

  it('reports at its field what it cannot walk, and a target that is not in the files', () => {
    expect(findings('metadata: { name: x }\nspec:\n  targetRef: { kind: Deployment, name: nothere }\n  service: { port: 9898 }\n  analysis:\n    stepWeight: 10\n    iterations: 10\n    metrics: [{ name: error-rate, templateRef: { name: e } }]')).toEqual([
      'MV0203 spec.targetRef.name: no Deployment named "nothere"',
      'MV0042 spec.analysis.iterations: iterations is not walked by meshviz canary yet: give stepWeight and maxWeight (progressive traffic shifting)',
      "MV0042 spec.analysis.metrics[0].name: only Flagger's built-in checks (request-success-rate, request-duration) can be evaluated offline; a templateRef queries a Prometheus",
      // Without its Canary, nothing makes podinfo-primary.
      'MV0203 spec.workloads.podinfo-primary: no Deployment named "podinfo-primary"',
    ]);
  });
});

describe('walkCanary: an Argo Rollout, step by step', () => {
  const DEMO = readFileSync(new URL('../../examples/canary/rollouts-demo.yaml', import.meta.url), 'utf8');

  it('setWeight edits the named VirtualService route; each pause is checked; a slow canary is aborted at the first pause over the p99 gate', () => {
    const w = walkCanary(open(DEMO), undefined, { maxP99Ms: 500 });
    expect(w).toMatchObject({ kind: 'Rollout', target: 'rollouts-demo-canary', stable: 'rollouts-demo-stable', outcome: 'rolled back', failedAtStep: 1, weights: [[80, 20], [100, 0]] });
    expect(w.steps.map((s) => `${s.step} ${s.atMs / 1000}s ${s.action} ${s.weight}`)).toEqual(['0 0s setWeight 20', '1 30s pause 20', '1 30s abort 0']);
    expect(w.steps[1]?.checks.map((c) => [c.metric, c.passed])).toEqual([['request-success-rate', true], ['request-duration', false]]);
    // The canary is slow, not failing: users still get their answers, later.
    expect(w.steps[1]?.users).toMatchObject({ successPercent: 100 });
    expect(w.afterRollback?.p99Ms).toBeLessThan(100);
  });

  it('with the default gate (success rate ≥ 99 %) the same rollout goes through every step and is promoted; pause: 30 is 30 seconds', () => {
    const w = walkCanary(open(DEMO));
    expect(w.outcome).toBe('promoted');
    expect(w.weights).toEqual([[80, 20], [50, 50], [20, 80]]);
    expect(w.steps.map((s) => `${s.atMs / 1000}s ${s.action}`)).toEqual(['0s setWeight', '30s pause', '30s setWeight', '60s pause', '60s setWeight', '90s pause', '90s promote']);
  });

  it('stops at a pause without a duration, and reports what it cannot walk at its field', () => {
    expect(walkCanary(open(DEMO.replace('- pause: { duration: 30 }', '- pause: {}'))).outcome).toBe('paused');
    const found = loadScenario([{ name: 'r.yaml', text: DEMO.replace('          virtualService: { name: rollouts-demo, routes: [primary] }', '          virtualService: { name: rollouts-demo, routes: [primary] }\n          destinationRule: { name: d, canarySubsetName: c, stableSubsetName: s }') }]).diagnostics;
    expect(found.filter((d) => d.code === 'MV0042').map((d) => `${d.path}: ${d.message}`)).toEqual(['spec.strategy.canary.trafficRouting.istio.destinationRule: subset-level traffic splitting is not walked yet: use stableService and canaryService (host-level)']);
  });
});

describe('the Argo gate given for a Flagger Canary', () => {
  it('is refused: the Canary’s analysis sets its own thresholds, so --min-success-rate and --max-p99 would change nothing', () => {
    expect(() => walkCanary(open(PODINFO), undefined, { minSuccessRate: 50 })).toThrow(/^--min-success-rate gates an Argo Rollout's pauses, and podinfo is a Flagger Canary/);
    expect(() => walkCanary(open(PODINFO), undefined, { maxP99Ms: 100 })).toThrow(/^--max-p99 gates an Argo Rollout's pauses/);
    expect(walkCanary(open(PODINFO)).outcome).toBe('rolled back');
  });
});
