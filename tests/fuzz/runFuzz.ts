import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { SourceFile } from '../../src/api/index.ts';
import { loadCorpus } from './corpus.ts';
import { minimise } from './minimise.ts';
import { mutate } from './mutate.ts';
import { randomFor } from './Random.ts';
import { Sandbox } from './Sandbox.ts';
import type { Verdict } from './Sandbox.ts';

export interface FuzzOptions {
  seconds: number;
  seed: number;
  /** Inputs run side by side, one child process each. */
  workers: number;
  deadlineMs: number;
  memoryMb: number;
  /** Where minimised findings are written (none: not written). */
  out?: string;
  /** Time spent shrinking each new finding. */
  minimiseSeconds: number;
  /** The first input's index (to replay a stretch of an earlier run), and how many inputs at most. */
  first?: number;
  count?: number;
  /** Goes on past `seconds` until this many inputs have run (a loaded machine runs fewer per second). */
  minInputs?: number;
  /** Called every few seconds with the figures so far. */
  progress?: (summary: FuzzSummary) => void;
}

export interface Finding {
  kind: 'crash' | 'hang' | 'memory';
  signature: string;
  index: number;
  seedName: string;
  steps: string[];
  files: SourceFile[];
  message: string;
}

export interface FuzzSummary {
  inputs: number;
  ran: number;
  refused: number;
  /** Runs that cost far more than their estimate and stopped at twice the budget (not a crash: they say so). */
  stopped: number;
  crashes: number;
  hangs: number;
  memory: number;
  findings: Finding[];
  slowest: { ms: number; index: number; seedName: string; steps: string[] } | undefined;
  elapsedSeconds: number;
}

/**
 * Mutates every seed of the corpus in turn and runs each input through
 * `exercise` in sandboxes until the time is up. Input N of seed S is always
 * the same input, so every finding says how to get it again.
 */
export async function runFuzz(options: FuzzOptions): Promise<FuzzSummary> {
  const corpus = loadCorpus();
  const started = performance.now();
  const end = started + options.seconds * 1000;
  const summary: FuzzSummary = { inputs: 0, ran: 0, refused: 0, stopped: 0, crashes: 0, hangs: 0, memory: 0, findings: [], slowest: undefined, elapsedSeconds: 0 };
  const signatures = new Set<string>();
  let next = options.first ?? 0;
  const last = next + (options.count ?? Infinity);
  let lastProgress = started;
  const lane = async (): Promise<void> => {
    const sandbox = new Sandbox({ deadlineMs: options.deadlineMs, memoryMb: options.memoryMb });
    try {
      while ((performance.now() < end || next < (options.minInputs ?? 0)) && next < last) {
        const index = next++;
        const seed = corpus[index % corpus.length] as (typeof corpus)[number];
        const mutant = mutate(seed.files, randomFor(options.seed, index));
        // Each round over the corpus fails another workload in another way (see exercise).
        const variant = Math.floor(index / corpus.length);
        const verdict = await sandbox.run(mutant.files, variant);
        summary.inputs += 1;
        if (!summary.slowest || verdict.ms > summary.slowest.ms) summary.slowest = { ms: verdict.ms, index, seedName: seed.name, steps: mutant.steps };
        if (verdict.kind === 'ok') {
          summary[verdict.outcome.stage] += 1;
        } else {
          count(summary, verdict);
          const signature = signatureOf(verdict);
          if (!signatures.has(signature)) {
            signatures.add(signature);
            const stillFails = async (files: SourceFile[]): Promise<boolean> => signatureOf(await sandbox.run(files, variant)) === signature;
            const files = await minimise(mutant.files, stillFails, performance.now() + options.minimiseSeconds * 1000);
            const finding: Finding = { kind: verdict.kind, signature, index, seedName: seed.name, steps: mutant.steps, files, message: 'message' in verdict ? verdict.message : verdict.kind };
            summary.findings.push(finding);
            if (options.out) writeFinding(options.out, finding, options.seed);
          }
        }
        if (options.progress && performance.now() - lastProgress > 10_000) {
          lastProgress = performance.now();
          options.progress({ ...summary, elapsedSeconds: (lastProgress - started) / 1000 });
        }
      }
    } finally {
      await sandbox.close();
    }
  };
  await Promise.all(Array.from({ length: options.workers }, lane));
  summary.elapsedSeconds = (performance.now() - started) / 1000;
  return summary;
}

function count(summary: FuzzSummary, verdict: Exclude<Verdict, { kind: 'ok' }>): void {
  if (verdict.kind === 'crash') summary.crashes += 1;
  else if (verdict.kind === 'hang') summary.hangs += 1;
  else summary.memory += 1;
}

/** What makes two failures the same bug: the kind, the error's first line without numbers, and where in src/ it was thrown. */
export function signatureOf(verdict: Verdict): string {
  if (verdict.kind !== 'crash') return verdict.kind;
  const frame = /\((?:.*\/)?(src\/[^)]+?):\d+:\d+\)/.exec(verdict.stack)?.[1] ?? '';
  return `crash ${verdict.message.split('\n')[0]?.replace(/\d+/g, 'N').slice(0, 160)} @ ${frame}`;
}

function writeFinding(out: string, finding: Finding, seed: number): void {
  const dir = join(out, `${finding.kind}-${finding.index}`);
  mkdirSync(dir, { recursive: true });
  for (const file of finding.files) writeFileSync(join(dir, basename(file.name)), file.text);
  const about = [`${finding.signature}`, `seed ${seed}, input ${finding.index}, from ${finding.seedName}`, ...finding.steps.map((s) => `- ${s}`), '', finding.message];
  writeFileSync(join(dir, 'FINDING.txt'), `${about.join('\n')}\n`);
}
