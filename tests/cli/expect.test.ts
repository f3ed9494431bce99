import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { meshviz } from '../helpers/meshvizCli.ts';
import { tempDir } from '../helpers/tempDir.ts';

const dir = tempDir('expect');

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

  it('analyze checks the names in conditions as simulate resolves them: the same positioned diagnostics, in the text, the SARIF and the exit status', async () => {
    const file = join(dir, 'names.yaml');
    const conditions = ['p99 of traffic brwose < 500ms', 'success rate of web → apii ≥ 99 %', 'success rate of webb → api ≥ 99 %', 'users-v3 ejected within 20s of failing', 'no 503 UH'];
    const text = readFileSync('scenarios/default.yaml', 'utf8').replace(/^  timeline:/m, `  expect:\n${conditions.map((c) => `    - ${c}\n`).join('')}  timeline:`);
    writeFileSync(file, text);
    const line = text.split('\n').indexOf(`    - ${conditions[0]}`) + 1;
    const sarif = join(dir, 'names.sarif');
    const analyzed = await meshviz('analyze', file, '--sarif', sarif);
    expect(analyzed.code).toBe(1);
    const expected = [
      `${file}:${line}:7  MV0207  error  expectation names no traffic "brwose" (did you mean "browse"?) (the Simulation's traffic: browse) (spec.expect[0])`,
      `${file}:${line + 1}:7  MV0208  error  expectation: "apii": no service "apii" reachable from namespace default (did you mean api?) in "success rate of web → apii ≥ 99 %" (spec.expect[1])`,
      `${file}:${line + 2}:7  MV0208  error  expectation: "webb": no workload, pod, app or service named "webb" (did you mean web?) in "success rate of webb → api ≥ 99 %" (spec.expect[2])`,
      `${file}:${line + 3}:7  MV0208  error  expectation: "users-v3": no workload, pod, app or service named "users-v3" (workloads: api, cache, db, users-v1, users-v2, web) in "users-v3 ejected within 20s of failing" (spec.expect[3])`,
    ];
    expect(analyzed.stdout.trim().split('\n')).toEqual(expected);
    expect(analyzed.stderr).toBe('4 errors, 0 warnings, 0 infos\n');
    const log = JSON.parse(readFileSync(sarif, 'utf8'));
    expect(log.runs[0].results.map((x: { ruleId: string; locations: Array<{ physicalLocation: { region: { startLine: number } } }> }) => `${x.ruleId}:${x.locations[0]?.physicalLocation.region.startLine}`)).toEqual(['MV0207', 'MV0208', 'MV0208', 'MV0208'].map((code, i) => `${code}:${line + i}`));
    // One resolver: simulate refuses the same conditions with the same words.
    const simulated = await meshviz('simulate', file);
    expect(simulated.code).toBe(2);
    expect(simulated.stderr.split('\n').slice(0, 4)).toEqual(expected);
    // And the conditions of a separate file, as simulate --expect reads it.
    const separate = join(dir, 'names-expect.yaml');
    writeFileSync(separate, 'expect:\n  - no 503 UH\n  - success rate of webb → api ≥ 99 %\n');
    const fromFile = await meshviz('analyze', 'scenarios/default.yaml', '--expect', separate);
    expect(fromFile.code).toBe(1);
    expect(fromFile.stdout).toBe(`${separate}:3:5  MV0208  error  expectation: "webb": no workload, pod, app or service named "webb" (did you mean web?) in "success rate of webb → api ≥ 99 %" (expect[1])\n`);
    expect((await meshviz('analyze', 'scenarios/default.yaml', '--expect', 'examples/expect/slo.yaml')).code).toBe(0);
  }, 60_000);
});
