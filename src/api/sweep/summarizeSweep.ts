import jstat from 'jstat';
import { ApiError } from '../ApiError.ts';
import type { SweepPlan } from './planSweep.ts';
import { runOf } from './planSweep.ts';
import type { RunResult } from './runSweepRun.ts';
import { variantLabel } from './runSweepRun.ts';

/** A metric over the seeds of one variant. */
export interface Spread {
  mean: number;
  min: number;
  max: number;
  /** The 95 % confidence interval of the mean (Student's t over the seeds); null with one seed. */
  ci95: [number, number] | null;
  /** Runs that measured it. */
  n: number;
}

export interface SweepReport {
  vary: SweepPlan['vary'];
  seeds: number[];
  runs: number;
  metrics: string[];
  rows: Array<{ variant: string; values: SweepPlan['vary'][number]['values']; spread: Record<string, Spread | null> }>;
  /** Every run's figures, by run index. */
  results: RunResult[];
}

/**
 * One row per variant, in the plan's order, with each metric's spread over
 * the seeds. Results may come in any order and from any number of workers
 * or shards: the report depends only on the plan and the results.
 */
export function summarizeSweep(plan: SweepPlan, results: readonly RunResult[]): SweepReport {
  const byIndex = new Map(results.map((r) => [r.index, r]));
  const missing = plan.total - byIndex.size;
  if (missing > 0 || results.some((r) => r.index < 0 || r.index >= plan.total)) throw new ApiError(`the results cover ${byIndex.size} of the sweep's ${plan.total} runs`, 'merge every shard of the same sweep');
  const sorted = [...byIndex.values()].sort((a, b) => a.index - b.index);
  const metrics = [...new Set(sorted.flatMap((r) => Object.keys(r.metrics)))];
  const rows: SweepReport['rows'] = [];
  for (let start = 0; start < plan.total; start += plan.seeds.length) {
    const runs = sorted.slice(start, start + plan.seeds.length);
    const variant = runOf(plan, start).variant;
    rows.push({ variant: variantLabel(plan, variant), values: variant, spread: Object.fromEntries(metrics.map((m) => [m, spreadOf(runs.map((r) => r.metrics[m]).filter((v): v is number => typeof v === 'number'))])) });
  }
  return { vary: plan.vary, seeds: plan.seeds, runs: plan.total, metrics, rows, results: sorted };
}

function spreadOf(values: number[]): Spread | null {
  const n = values.length;
  if (n === 0) return null;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const round = (x: number): number => Math.round(x * 1000) / 1000;
  let ci95: [number, number] | null = null;
  if (n > 1) {
    const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1));
    const half = jstat.jStat.studentt.inv(0.975, n - 1) * (sd / Math.sqrt(n));
    ci95 = [round(mean - half), round(mean + half)];
  }
  return { mean: round(mean), min: Math.min(...values), max: Math.max(...values), ci95, n };
}
