import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openSession, resolveExpectations, startSimulation } from '../../src/api/index.ts';
import type { Session } from '../../src/api/index.ts';
import { parseExpectation } from '../../src/istio/index.ts';
import type { Expectation } from '../../src/model/index.ts';

const defaultScenario = (): Session => {
  const opened = openSession([{ name: 'default.yaml', text: readFileSync(new URL('../../scenarios/default.yaml', import.meta.url), 'utf8') }]);
  if (!opened.ok) throw new Error('the default scenario does not open');
  return opened.session;
};

const conditions = (...texts: string[]): Expectation[] =>
  texts.map((text) => {
    const parsed = parseExpectation(text);
    if (!parsed.ok) throw new Error(parsed.message);
    return { ...parsed.expectation, text } as Expectation;
  });

function check(session: Session, ...texts: string[]) {
  return checkFor(undefined, session, ...texts);
}

function checkFor(duration: number | undefined, session: Session, ...texts: string[]) {
  const { checks, diagnostics } = resolveExpectations(session.scenario, conditions(...texts));
  expect(diagnostics).toEqual([]);
  const run = startSimulation(session, { expect: checks, ...(duration !== undefined ? { duration } : {}) });
  while (run.advance()) {
    /* run */
  }
  return { report: run.report(), results: run.expectations() };
}

describe('expectations over a run (default scenario: users-v1 answers 503 from 15 s to 45 s)', () => {
  it('measures what the report counts: UH answers, retries, the ejection', () => {
    const session = defaultScenario();
    const { report, results } = check(session, 'no 503 UH', 'retries ≤ 20 % of requests', 'users-v1 ejected within 20s of failing', 'no 503 UH of api → users before 15s');
    const uh = report.calls.reduce((n, c) => n + (c.byFlags['UH'] ?? 0), 0);
    const requests = report.calls.reduce((n, c) => n + c.requests, 0);
    expect(uh).toBeGreaterThan(0);
    expect(results.map((r) => [r.expectation, r.passed, r.value])).toEqual([
      ['no 503 UH', false, uh],
      ['retries ≤ 20 % of requests', true, Math.round((1e5 * report.retries) / requests) / 1000],
      ['users-v1 ejected within 20s of failing', true, Math.round(((report.ejections[0]?.atMs ?? 0) - 15_000)) / 1000],
      // Before the pod fails nothing is ejected: no fail-fast answer yet.
      ['no 503 UH of api → users before 15s', true, 0],
    ]);
    expect(results[0]?.measured).toBe(`${uh.toLocaleString('en-US')} of ${requests.toLocaleString('en-US')} answers were 503 UH`);
  });

  it('a run that stops before the failure begins measures no ejection, and says so rather than "never ejected"', () => {
    const { results } = checkFor(5_000_000, defaultScenario(), 'users-v1 ejected within 20s of failing');
    expect(results[0]).toMatchObject({ passed: false, value: null });
    expect(results[0]?.measured).toMatch(/^nothing: the run stopped at 4\.\d+s, before the failure from 15s began$/);
  });

  it('counts only the window: browse succeeds fully before the failure, not during it', () => {
    const { report, results } = check(defaultScenario(), 'success rate of traffic browse ≥ 99.5 % before 15s', 'success rate of traffic browse ≥ 99.5 % between 15s and 45s', 'success rate of traffic browse ≥ 0 %', 'p99 of traffic browse < 500ms', 'p50 of web → api < 1ms');
    expect(results.map((r) => r.passed)).toEqual([true, false, true, true, false]);
    const browse = report.traffic.find((t) => t.name === 'browse');
    const ok = Object.entries(browse?.byCode ?? {}).reduce((n, [code, k]) => n + (Number(code) < 500 ? k : 0), 0);
    expect(results[2]?.value).toBe(Math.round((1e5 * ok) / (browse?.completed ?? 1)) / 1000);
    expect(results[3]?.value).toBe(browse?.latencyMs.p99);
    expect(results[4]?.measured).toMatch(/^p50 = [\d.]+ms \(1,200 requests\)$/);
  });

  it('reports names that resolve to nothing, at the condition, and a target the timeline never fails', () => {
    const session = defaultScenario();
    const source = { file: 'expect.yaml', line: 3, col: 5 };
    const written = conditions('p99 of traffic brwse < 5ms', 'success rate of web → nowhere ≥ 99 %', 'cache ejected within 5s of failing').map((e) => ({ ...e, source }));
    const { checks, diagnostics } = resolveExpectations(session.scenario, written);
    expect(checks).toEqual([]);
    expect(diagnostics.map((d) => `${d.code} ${d.source?.line}:${d.source?.col} ${d.message}`)).toEqual([
      'MV0207 3:5 expectation names no traffic "brwse" (did you mean "browse"?) (the Simulation\'s traffic: browse)',
      'MV0208 3:5 expectation: "nowhere": no service "nowhere" reachable from namespace default (services: api, cache, db, users, web) in "success rate of web → nowhere ≥ 99 %"',
      'MV0209 3:5 expectation: the timeline never fails "cache", so "ejected within … of failing" has no failure to count from (add a fail entry for it to spec.timeline)',
    ]);
  });
});
