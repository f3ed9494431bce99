import { readdirSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { meshviz } from '../helpers/meshvizCli.ts';
import { tempDir } from '../helpers/tempDir.ts';

const VARY = ['--vary', 'retries.attempts=0,3', '--vary', 'outlierDetection.consecutive5xxErrors=3,7', '--seeds', '2'];

describe('meshviz sweep', () => {
  it('N shards merged give the single-process result byte for byte, whatever the workers', async () => {
    const single = await meshviz('sweep', ...VARY, '--workers', '2', '-o', 'json');
    expect(single.code).toBe(0);
    expect(single.stderr).toMatch(/^8 runs in [\d.]+ s on 2 workers\n$/);
    const dir = tempDir('shards');
    for (const shard of ['0/3', '1/3', '2/3']) expect((await meshviz('sweep', ...VARY, '--workers', '1', '--shard', shard, '--out', dir)).code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['shard-0-of-3.json', 'shard-1-of-3.json', 'shard-2-of-3.json']);
    const merged = await meshviz('sweep', 'merge', dir, '-o', 'json');
    expect(merged.stdout).toBe(single.stdout);
    const report = JSON.parse(single.stdout);
    expect(report.rows.map((r: { variant: string }) => r.variant)).toEqual([
      'retries.attempts=0 outlierDetection.consecutive5xxErrors=3',
      'retries.attempts=0 outlierDetection.consecutive5xxErrors=7',
      'retries.attempts=3 outlierDetection.consecutive5xxErrors=3',
      'retries.attempts=3 outlierDetection.consecutive5xxErrors=7',
    ]);
    expect(report.seeds).toEqual([42, 43]);
    expect(report.rows[0].spread.retries).toEqual({ mean: 0, min: 0, max: 0, ci95: [0, 0], n: 2 });
    const text = await meshviz('sweep', 'merge', dir);
    expect(text.stdout.split('\n')[0]).toBe('8 runs: 4 variants × 2 seeds (seeds 42, 43); mean [min–max] over the seeds');
  }, 60_000);

  it('--emit-job: a ConfigMap of the files and an Indexed Job running one shard per index', async () => {
    const r = await meshviz('sweep', ...VARY, '--emit-job', '--shards', '3', '--image', 'registry.example/meshviz:0.1.0');
    const [configMap, job] = parseAllDocuments(r.stdout).map((d) => d.toJS());
    expect(configMap).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'meshviz-sweep-scenario' } });
    expect(Object.keys(configMap.data)).toEqual(['default.yaml']);
    expect(job).toMatchObject({ apiVersion: 'batch/v1', kind: 'Job', spec: { completionMode: 'Indexed', completions: 3, parallelism: 3 } });
    const container = job.spec.template.spec.containers[0];
    expect(container.image).toBe('registry.example/meshviz:0.1.0');
    expect(container.command).toEqual(['sh', '-c', 'exec meshviz sweep /scenario/default.yaml --vary retries.attempts=0,3 --vary outlierDetection.consecutive5xxErrors=3,7 --seeds 2 --first-seed 42 --shard "$JOB_COMPLETION_INDEX/3" --out /results']);
  }, 30_000);

  it('refuses a key it cannot vary, a value Istio refuses, --shard without --out, and merging an incomplete set', async () => {
    expect(await meshviz('sweep', '--vary', 'replicas=1,2')).toMatchObject({ code: 2, stderr: expect.stringMatching(/^meshviz: --vary: "replicas" is not a setting a sweep can vary/) });
    expect(await meshviz('sweep', '--vary', 'retries.attempts=-1')).toMatchObject({ code: 2, stderr: expect.stringMatching(/^meshviz: retries\.attempts=-1: /) });
    expect(await meshviz('sweep', '--shard', '0/2')).toMatchObject({ code: 2, stderr: 'meshviz: --shard needs --out (the directory the shard writes its results into, e.g. --out results/)\n' });
    expect(await meshviz('sweep', '--shard', '2/2', '--out', 'x')).toMatchObject({ code: 2, stderr: 'meshviz: invalid value "2/2" for --shard (expected I/N with 0 ≤ I < N ≤ 10000, e.g. 0/4)\n' });
    const dir = tempDir('shards');
    await meshviz('sweep', ...VARY, '--shard', '1/2', '--out', dir);
    expect(await meshviz('sweep', 'merge', dir)).toMatchObject({ code: 2, stderr: `meshviz: ${dir} lacks shard 0 of 2 (wait for every index of the job, or run the missing ones with --shard I/N)\n` });
  }, 60_000);
});
