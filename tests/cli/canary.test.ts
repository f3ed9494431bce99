import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { meshviz } from '../helpers/meshvizCli.ts';
import { tempDir } from '../helpers/tempDir.ts';

describe('meshviz canary', () => {
  it('walks a failing Flagger canary: the halts, the rollback, what users saw; exit 1', async () => {
    const r = await meshviz('canary', 'examples/canary/podinfo.yaml');
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('Canary podinfo: podinfo (canary) and podinfo-primary (stable) behind podinfo');
    expect(lines.filter((l) => /^ +\d+ +\d+s /.test(l)).map((l) => l.trim().split(/\s+/).slice(0, 4).join(' '))).toEqual([
      '0 0s start 90/10',
      '1 30s halt 90/10',
      '2 60s halt 90/10',
      '3 90s halt 90/10',
      '4 120s rollback 100/0',
    ]);
    expect(lines.at(-2)).toMatch(/^rolled back: the checks failed 3 times by step 3 \(threshold reached\); the next tick routed everything to podinfo-primary; users after: 600 requests, 100 % ok/);
  }, 30_000);

  it('-o json: the weights each step applied', async () => {
    const r = await meshviz('canary', 'examples/canary/podinfo.yaml', '-o', 'json');
    expect(JSON.parse(r.stdout)).toMatchObject({ outcome: 'rolled back', failedAtStep: 3, weights: [[90, 10], [100, 0]] });
    expect(await meshviz('canary', 'scenarios/default.yaml')).toMatchObject({ code: 2, stderr: 'meshviz: no Canary (flagger.app/v1beta1) or Rollout (argoproj.io/v1alpha1) in the files (add the Canary beside the Deployment it rolls out, or the Rollout)\n' });
  }, 30_000);
});

describe('meshviz canary on an Argo Rollout', () => {
  it('--max-p99 gates each pause: the slow canary is aborted at step 1', async () => {
    const r = await meshviz('canary', 'examples/canary/rollouts-demo.yaml', '--max-p99', '500');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^ +1 +30s +abort +100\/0 /m);
    expect(r.stdout).toContain('aborted at step 1: the gate failed at the end of its pause; everything went back to rollouts-demo-stable');
    expect((await meshviz('canary', 'examples/canary/rollouts-demo.yaml')).code).toBe(0);
  }, 30_000);
});

describe('meshviz export keeps Canaries and Rollouts', () => {
  it.each([['examples/canary/podinfo.yaml'], ['examples/canary/rollouts-demo.yaml', '--max-p99', '500']])('the export of %s walks the same as the files', async (file, ...flags) => {
    const dir = tempDir('canary-export');
    const exported = await meshviz('export', file, '--output-dir', dir);
    expect(exported.code).toBe(0);
    const original = await meshviz('canary', file, ...flags, '-o', 'json');
    const again = await meshviz('canary', join(dir, 'scenario.yaml'), ...flags, '-o', 'json');
    expect(again.stderr).toBe('');
    expect(again.code).toBe(original.code);
    expect(JSON.parse(again.stdout)).toEqual(JSON.parse(original.stdout));
  }, 60_000);
});
