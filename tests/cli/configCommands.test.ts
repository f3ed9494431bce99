import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { meshviz } from '../helpers/meshvizCli.ts';
import { tempDir } from '../helpers/tempDir.ts';


const BOOKINFO = 'tests/fixtures/bookinfo';
const app = [`${BOOKINFO}/bookinfo.yaml`, `${BOOKINFO}/destination-rule-all.yaml`];

describe('meshviz analyze', () => {
  it('prints file:line:col  CODE  severity  message, sorted, and exits 0 with warnings only', async () => {
    const r = await meshviz('analyze', ...app, `${BOOKINFO}/virtual-service-all-v1.yaml`);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^tests\/fixtures\/bookinfo\/destination-rule-all\.yaml:42:5  MV0402  warning  subset "v2" \(version=v2\) selects no pod/);
    expect(lines[0]).toMatch(/\[KIA0203\]$/);
    expect(r.stderr.trim()).toBe('0 errors, 4 warnings, 0 infos');
  }, 30_000);

  it('exits 1 on an error and prints a JSON array with --json', async () => {
    const r = await meshviz('analyze', ...app, `${BOOKINFO}/virtual-service-reviews-broken.yaml`, '--json');
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
    expect(out.find((d) => d['code'] === 'MV0401')).toEqual({
      code: 'MV0401',
      severity: 'error',
      message: expect.stringContaining('subset "v4"'),
      resource: 'VirtualService/default/reviews',
      path: 'spec.http[0].route[1].destination.subset',
      source: { file: `${BOOKINFO}/virtual-service-reviews-broken.yaml`, line: 21, col: 9 },
      equivalents: ['IST0101', 'KIA1107'],
    });
  }, 30_000);

  it('exits 2 on usage errors: a missing file, an empty directory, an unknown flag', async () => {
    const dir = tempDir('analyze');
    expect((await meshviz('analyze', join(dir, 'nope.yaml'))).code).toBe(2);
    const empty = await meshviz('analyze', dir);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/is a directory with no \.yaml or \.yml files/);
    expect((await meshviz('analyze', '--nope')).code).toBe(2);
  }, 30_000);

  it('refuses a file over the stated size limit with a diagnostic, not a crash', async () => {
    const dir = tempDir('analyze');
    const big = join(dir, 'big.yaml');
    writeFileSync(big, `# ${'x'.repeat(6 * 1024 * 1024)}\n`);
    const r = await meshviz('analyze', big);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/big\.yaml:1:1  MV0001  error  file is \d+ bytes, over the limit of 5242880 bytes/);
  }, 30_000);
});

describe('meshviz test-routes', () => {
  const routing = [...app, `${BOOKINFO}/virtual-service-reviews-test-v2.yaml`];

  it('prints pass/fail per case and the coverage, exit 0 when all pass', async () => {
    const r = await meshviz('test-routes', ...routing, '--cases', 'tests/fixtures/route-cases/bookinfo.yaml');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^PASS  jason sees reviews v2 → 200 in [\d.]+m?s from reviews\.default\.svc\.cluster\.local subset v2 via VirtualService\/default\/reviews http\[0\] match\[0\]$/m);
    expect(r.stdout).toMatch(/^coverage: 2 of 2 VirtualService rule matches exercised \(100%\)$/m);
    expect(r.stdout.trim().split('\n').at(-1)).toBe('3 passed, 0 failed');
  }, 30_000);

  it('fails on a wrong expectation, lists unexercised rules, and honours --fail-under', async () => {
    const dir = tempDir('test-routes');
    const cases = join(dir, 'cases.yaml');
    writeFileSync(cases, 'cases:\n  - {name: wrong, from: productpage-v1, authority: "reviews:9080", expect: {subset: v3}}\n');
    const failing = await meshviz('test-routes', ...routing, '--cases', cases);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toMatch(/^FAIL  wrong → 200 in [\d.]+m?s from reviews\.default\.svc\.cluster\.local subset v1 via VirtualService\/default\/reviews http\[1\]\n {6}expected subset v3, got v1$/m);
    expect(failing.stdout).toMatch(/not exercised: tests\/fixtures\/bookinfo\/virtual-service-reviews-test-v2\.yaml:12:7  VirtualService\/default\/reviews spec\.http\[0\]\.match\[0\]/);

    writeFileSync(cases, 'cases:\n  - {name: right, from: productpage-v1, authority: "reviews:9080", expect: {subset: v1}}\n');
    const under = await meshviz('test-routes', ...routing, '--cases', cases, '--fail-under', '80');
    expect(under.code).toBe(1);
    expect(under.stderr).toMatch(/coverage 50% is under --fail-under 80%/);
    expect((await meshviz('test-routes', ...routing, '--cases', cases, '--fail-under', '50')).code).toBe(0);
  }, 60_000);

  it('reports a malformed cases file with its position and exits 2', async () => {
    const dir = tempDir('test-routes');
    const cases = join(dir, 'cases.yaml');
    writeFileSync(cases, 'cases:\n  - from: productpage-v1\n    authority: reviews:9080\n    expct: {subset: v1}\n');
    const r = await meshviz('test-routes', ...routing, '--cases', cases);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`meshviz: ${cases}:2:5: case 1: unknown field "expct" (did you mean expect?)\n`);

    writeFileSync(cases, 'cases:\n  - from: productpage-v1\n    authority: reviews:9080\n    from: details-v1\n');
    const broken = await meshviz('test-routes', ...routing, '--cases', cases);
    expect(broken.code).toBe(2);
    // The YAML library's own position of the duplicate key, not 1:1.
    expect(broken.stderr).toBe(`meshviz: ${cases}:4:5: Map keys must be unique (the cases file is not valid YAML)\n`);
  }, 30_000);
});

describe('meshviz export', () => {
  it('prints canonical YAML, writes DIR/scenario.yaml, and refuses to overwrite without --force', async () => {
    const files = [...app, `${BOOKINFO}/virtual-service-reviews-test-v2.yaml`];
    const printed = await meshviz('export', ...files);
    expect(printed.code).toBe(0);
    expect(printed.stdout).toMatch(/^apiVersion: networking\.istio\.io\/v1\nkind: VirtualService\nmetadata:\n {2}name: reviews\n {2}namespace: default\nspec:\n {2}hosts:\n {4}- reviews\n/m);

    const dir = join(tempDir('export'), 'out');
    const first = await meshviz('export', ...files, '--output-dir', dir);
    expect(first.code).toBe(0);
    expect(readFileSync(join(dir, 'scenario.yaml'), 'utf8')).toBe(printed.stdout);
    const again = await meshviz('export', ...files, '--output-dir', dir);
    expect(again.code).toBe(2);
    expect(again.stderr).toBe(`meshviz: ${join(dir, 'scenario.yaml')} exists (add --force to overwrite it)\n`);
    expect((await meshviz('export', ...files, '--output-dir', dir, '--force')).code).toBe(0);

    const json = await meshviz('export', ...files, '-o', 'json');
    expect(JSON.parse(json.stdout)).toMatchObject({ apiVersion: 'v1', kind: 'List' });
    expect((await meshviz('export', ...files, '-o', 'json', '--output-dir', dir)).stderr).toBe(`wrote ${join(dir, 'scenario.json')}\n`);
    expect(readFileSync(join(dir, 'scenario.json'), 'utf8')).toBe(json.stdout);

    const reanalyzed = await meshviz('analyze', join(dir, 'scenario.yaml'));
    expect(reanalyzed.code).toBe(0);
    expect(reanalyzed.stderr.trim()).toBe('0 errors, 4 warnings, 0 infos');
  }, 60_000);

  it('does not export a scenario with errors', async () => {
    const dir = tempDir('export');
    mkdirSync(join(dir, 'in'));
    writeFileSync(join(dir, 'in', 'vs.yaml'), 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: x}\nspec: {hosts: [x], http: [{timeout: soon}]}\n');
    const r = await meshviz('export', join(dir, 'in'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/vs\.yaml:4:\d+  MV0043  error/);
    expect(r.stderr).toMatch(/^meshviz: the scenario has 1 error \(nothing was exported; the lines above say where\)$/m);
  }, 30_000);
});
