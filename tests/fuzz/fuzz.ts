import { runFuzz } from './runFuzz.ts';
import type { FuzzSummary } from './runFuzz.ts';

/**
 * `npm run fuzz -- --minutes N [--seed S] [--workers W] [--deadline MS] [--out DIR]`:
 * mutates every scenario and example for N minutes, prints progress and a
 * summary, and writes each minimised finding to DIR (default fuzz-findings/).
 * `--from I --count C` replays inputs I to I + C − 1 of seed S.
 * Exit status 1 when anything crashed, hung or ran out of memory.
 */
const args = process.argv.slice(2);
const flag = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(args[i + 1]);
  if (!Number.isFinite(value) || value < 0) {
    process.stderr.write(`fuzz: --${name} needs a number, got "${args[i + 1] ?? ''}"\n`);
    process.exit(2);
  }
  return value;
};
const outIndex = args.indexOf('--out');
const out = outIndex >= 0 ? (args[outIndex + 1] ?? 'fuzz-findings') : 'fuzz-findings';

const line = (s: FuzzSummary): string =>
  `${Math.round(s.elapsedSeconds)} s: ${s.inputs} inputs (${s.ran} ran, ${s.refused} refused, ${s.stopped} stopped at their budget), ${s.crashes} crashes, ${s.hangs} hangs, ${s.memory} out of memory`;

const summary = await runFuzz({
  seconds: flag('minutes', 1) * 60,
  seed: flag('seed', Date.now() % 1_000_000),
  workers: flag('workers', 2),
  deadlineMs: flag('deadline', 30_000),
  memoryMb: flag('memory', 2048),
  minimiseSeconds: flag('minimise', 60),
  first: flag('from', 0),
  count: flag('count', Infinity),
  out,
  progress: (s) => process.stderr.write(`${line(s)}\n`),
});
process.stdout.write(`${line(summary)}\n`);
process.stdout.write(`${(summary.inputs / summary.elapsedSeconds).toFixed(1)} inputs/s\n`);
if (summary.slowest) {
  process.stdout.write(`slowest input: ${Math.round(summary.slowest.ms)} ms, #${summary.slowest.index} from ${summary.slowest.seedName}: ${summary.slowest.steps.join('; ')}\n`);
}
for (const f of summary.findings) process.stdout.write(`${f.kind}: ${f.signature}\n  #${f.index} from ${f.seedName}: ${f.steps.join('; ')}\n  written to ${out}/${f.kind}-${f.index}/\n`);
process.exit(summary.crashes + summary.hangs + summary.memory > 0 ? 1 : 0);
