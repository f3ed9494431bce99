import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Tinypool } from 'tinypool';
import { checkVaryKey, openSession, parseVary, planSweep, shardRuns, summarizeSweep } from '../api/index.ts';
import type { RunResult, SourceFile, SweepPlan, SweepReport, SweepRun } from '../api/index.ts';
import { CliError } from './CliError.ts';
import { formatSweep } from './formatSweep.ts';
import { printOutput } from './printOutput.ts';
import type { Output } from './output.ts';
import { readScenarioFiles } from './readFiles.ts';
import { readShards, scenarioDigest, shardFileName } from './sweepFiles.ts';
import type { ShardFile } from './sweepFiles.ts';
import { sweepJob } from './sweepJob.ts';
import { stdoutLayout } from './table.ts';

export interface SweepFlags {
  scenario?: string;
  vary: string[];
  seeds?: number;
  firstSeed?: number;
  workers?: number;
  shard?: { index: number; count: number };
  out?: string;
  emitJob?: boolean;
  shards?: number;
  image?: string;
  claim?: string;
}

/**
 * `meshviz sweep`: every combination of the varied settings × seeds, run on
 * a pool of worker threads (tinypool), as one table of the spread over the
 * seeds. `--shard I/N --out DIR` runs every N-th run and writes them for
 * `sweep merge`; `--emit-job` prints the Kubernetes Indexed Job that does so.
 */
export async function runSweep(files: string[], o: SweepFlags, output: Output): Promise<number> {
  checkSweepFlags(o);
  const sources = readScenarioFiles(files, o.scenario);
  const plan = sweepPlan(sources, o);
  if (o.emitJob) {
    process.stdout.write(sweepJob(sources, plan, { shards: o.shards ?? 4, image: o.image ?? 'meshviz:latest', claim: o.claim ?? 'meshviz-sweep-results', name: 'meshviz-sweep' }));
    return 0;
  }
  if (o.shard && o.out === undefined) throw new CliError('--shard needs --out', 'the directory the shard writes its results into, e.g. --out results/');
  const runs = o.shard ? shardRuns(plan, o.shard.index, o.shard.count) : shardRuns(plan, 0, 1);
  const workers = Math.max(1, Math.min(o.workers ?? availableParallelism(), runs.length));
  const started = Date.now();
  const results = await runPool(sources, plan, runs, workers);
  const seconds = (Date.now() - started) / 1000;
  process.stderr.write(`${runs.length} run${runs.length === 1 ? '' : 's'} in ${seconds.toFixed(1)} s on ${workers} worker${workers === 1 ? '' : 's'}\n`);
  if (o.shard && o.out !== undefined) {
    const shard: ShardFile = { meshvizSweep: 1, plan, scenario: scenarioDigest(sources), shard: o.shard.index, of: o.shard.count, results };
    const path = join(o.out, shardFileName(o.shard.index, o.shard.count));
    try {
      mkdirSync(o.out, { recursive: true });
      writeFileSync(path, `${JSON.stringify(shard)}\n`);
    } catch (error) {
      throw new CliError(`--out: cannot write ${path}`, (error as NodeJS.ErrnoException).code ?? String(error));
    }
    process.stderr.write(`wrote ${path}\n`);
    return 0;
  }
  await printSweep(summarizeSweep(plan, results), output);
  return 0;
}

/**
 * Options that belong to another way of running would change nothing:
 * they are usage errors before anything runs (`--out` without `--shard`,
 * the Job's settings without `--emit-job`, and a shard's or the pool's
 * settings with it, which prints the Job instead of running).
 */
function checkSweepFlags(o: SweepFlags): void {
  if (o.emitJob) {
    const run = (['shard', 'out', 'workers'] as const).find((k) => o[k] !== undefined);
    if (run !== undefined) throw new CliError(`--emit-job prints the Job and runs nothing here: --${run} would change nothing`, `leave --${run} out: each of the Job's pods runs its own --shard with --out`);
    return;
  }
  const job = (['shards', 'image', 'claim'] as const).find((k) => o[k] !== undefined);
  if (job !== undefined) throw new CliError(`--${job} shapes the Job --emit-job prints, which is not asked for: it would change nothing`, `add --emit-job, or leave --${job} out`);
  if (o.out !== undefined && o.shard === undefined) throw new CliError('--out is where a --shard writes its results, and no --shard is given: it would change nothing', 'add --shard I/N, or leave --out out to print the table');
}

/** `meshviz sweep merge DIR`: the shards a job wrote, as the one table a single process prints. */
export async function runSweepMerge(dir: string, output: Output): Promise<number> {
  const shards = readShards(dir);
  const plan = shards[0]?.plan;
  if (!plan) return 2;
  await printSweep(summarizeSweep(plan, shards.flatMap((s) => s.results)), output);
  return 0;
}

async function printSweep(report: SweepReport, output: Output): Promise<void> {
  await printOutput(output, report, (wide) => formatSweep(report, stdoutLayout(wide)));
}

function sweepPlan(sources: SourceFile[], o: SweepFlags): SweepPlan {
  const vary = o.vary.map(parseVary);
  for (const v of vary) checkVaryKey(v.key);
  const opened = openSession(sources);
  const first = o.firstSeed ?? (opened.ok ? opened.session.scenario.simulation.seed : 1);
  return planSweep(vary, [...Array(o.seeds ?? 1).keys()].map((i) => first + i));
}

/**
 * Runs the runs on `workers` threads; results come back in run order. One
 * task is one variant's runs (its seeds), so each variant's scenario is
 * loaded once, by the worker that runs it.
 */
async function runPool(files: SourceFile[], plan: SweepPlan, runs: SweepRun[], workers: number): Promise<RunResult[]> {
  const pool = new Tinypool({ filename: new URL('./sweepWorker.js', import.meta.url).href, minThreads: workers, maxThreads: workers });
  const progress = new SweepProgress(runs.length);
  const batches = new Map<string, SweepRun[]>();
  for (const run of runs) {
    const key = JSON.stringify(run.variant);
    batches.set(key, [...(batches.get(key) ?? []), run]);
  }
  try {
    const done = await Promise.all([...batches.values()].map(async (batch) => {
      const results = (await pool.run({ files, plan, runs: batch })) as RunResult[];
      progress.done(results.length);
      return results;
    }));
    return done.flat().sort((a, b) => a.index - b.index);
  } catch (error) {
    // A variant the loader refuses is the user's input: one line, exit 2.
    const message = error instanceof Error ? error.message : String(error);
    throw new CliError(message.replace(/ \(([^()]*)\)$/, ''), /\(([^()]*)\)$/.exec(message)?.[1] ?? 'see meshviz analyze');
  } finally {
    progress.end();
    await pool.destroy();
  }
}

/** A line on stderr kept up to date on a terminal. */
class SweepProgress {
  private finished = 0;
  private readonly tty = process.stderr.isTTY === true;

  constructor(private readonly total: number) {}

  done(runs: number): void {
    this.finished += runs;
    if (this.tty) process.stderr.write(`\r\x1b[Ksweep: ${this.finished} of ${this.total} runs`);
  }

  end(): void {
    if (this.tty) process.stderr.write('\r\x1b[K');
  }
}
