import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { meshviz } from '../helpers/meshvizCli.ts';

const dir = mkdtempSync(join(tmpdir(), 'meshviz-expect-'));

describe('simulate checks conditions; analyze writes SARIF', () => {
  it('prints PASS/FAIL with the measured value, exits 1 when one fails, and writes JUnit XML', async () => {
    const junit = join(dir, 'reports', 'junit.xml');
    const r = await meshviz('simulate', '--expect', 'examples/expect/slo.yaml', '--junit', junit);
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines.filter((l) => /^(PASS|FAIL)  /.test(l)).map((l) => l.replace(/  measured .*/, ''))).toEqual([
      'PASS  p99 of traffic browse < 500ms',
      'FAIL  success rate of web → api ≥ 99.5 % between 20s and 40s',
      'FAIL  no 503 UH',
      'PASS  users-v1 ejected within 20s of failing',
      'PASS  retries ≤ 20 % of requests',
    ]);
    expect(lines.at(-2)).toBe('expectations: 3 passed, 2 failed');
    const suite = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(readFileSync(junit, 'utf8')).testsuites.testsuite;
    expect(suite).toMatchObject({ name: 'default-mesh', tests: '5', failures: '2' });
    expect(suite.testcase[2]).toMatchObject({ name: 'no 503 UH', file: 'examples/expect/slo.yaml', line: '7', failure: { type: 'ExpectationFailed' } });
  }, 30_000);

  it('reads expect: in the Simulation document; all passing exits 0', async () => {
    const file = join(dir, 'sim.yaml');
    const text = readFileSync('scenarios/default.yaml', 'utf8').replace(/^  timeline:/m, '  expect:\n    - p99 of traffic browse < 500ms\n    - no 503 UH before 15s\n  timeline:');
    writeFileSync(file, text);
    const r = await meshviz('simulate', file);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^PASS {2}no 503 UH before 15s {2}measured 0 of [\d,]+ answers were 503 UH$/m);
  }, 30_000);

  it('refuses a malformed condition before running, at its file:line:col, exit 2', async () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'expect:\n  - p99 of traffic browse < 500\n  - users-v2 ejected within 5s of failing\n');
    const r = await meshviz('simulate', '--expect', file);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')).toEqual([
      `${file}:2:5  MV0111  error  expectation "p99 of traffic browse < 500" is not understood at character 25: expected a duration with its unit (500ms, 20s, 2m), found "500" (expect[0])`,
      `${file}:3:5  MV0209  error  expectation: the timeline never fails "users-v2", so "ejected within … of failing" has no failure to count from (add a fail entry for it to spec.timeline) (expect[1])`,
      'meshviz: the expectations have 2 errors (nothing was simulated; the lines above say where)',
      '',
    ]);
  }, 30_000);

  it('analyze --sarif writes the findings as SARIF and keeps its own output and exit status', async () => {
    const sarif = join(dir, 'analyze.sarif');
    const files = ['bookinfo.yaml', 'destination-rule-all.yaml', 'virtual-service-reviews-broken.yaml'].map((f) => `tests/fixtures/bookinfo/${f}`);
    const r = await meshviz('analyze', ...files, '--sarif', sarif);
    expect(r.code).toBe(1);
    const log = JSON.parse(readFileSync(sarif, 'utf8'));
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0].results.map((x: { ruleId: string }) => x.ruleId)).toEqual(r.stdout.trim().split('\n').map((l) => l.split(/\s+/)[1]));
  }, 30_000);
});
