import { ApiError } from '../ApiError.ts';

/** One setting to vary and the values it takes (`retries.attempts=1,2,3`). */
export interface Vary {
  key: string;
  values: Array<string | number | boolean>;
}

/** A sweep: settings × seeds, every combination one run, numbered in a fixed order. */
export interface SweepPlan {
  vary: Vary[];
  seeds: number[];
  /** `variants × seeds`. */
  total: number;
}

/** One run of a plan. */
export interface SweepRun {
  index: number;
  /** The value of each varied key, in the plan's key order. */
  variant: Array<string | number | boolean>;
  seed: number;
}

/** The most runs one sweep may hold. */
export const MAX_SWEEP_RUNS = 100_000;

/** `KEY=V1,V2,…` → the key and its values (numbers and booleans as such, other words as strings). */
export function parseVary(text: string): Vary {
  const eq = text.indexOf('=');
  const key = text.slice(0, eq).trim();
  const values = text.slice(eq + 1).split(',').map((v) => v.trim());
  if (eq <= 0 || key === '' || values.some((v) => v === '')) throw new ApiError(`--vary: "${text}" is not KEY=V1,V2,…`, 'e.g. --vary retries.attempts=1,2,3');
  return { key, values: values.map(valueOf) };
}

function valueOf(text: string): string | number | boolean {
  if (text === 'true' || text === 'false') return text === 'true';
  return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
}

/** Every combination of the varied values, each with every seed: variant-major, so one variant's seeds are neighbours. */
export function planSweep(vary: Vary[], seeds: number[]): SweepPlan {
  const keys = vary.map((v) => v.key);
  const twice = keys.find((k, i) => keys.indexOf(k) !== i);
  if (twice) throw new ApiError(`--vary ${twice} is given twice`, 'give each key once, with all its values: --vary KEY=V1,V2');
  const variants = vary.reduce((n, v) => n * v.values.length, 1);
  const total = variants * seeds.length;
  if (total > MAX_SWEEP_RUNS) throw new ApiError(`this sweep would be ${total.toLocaleString('en-US')} runs`, `at most ${MAX_SWEEP_RUNS.toLocaleString('en-US')}: fewer values or seeds`);
  return { vary, seeds, total };
}

/** Run `index` of the plan. */
export function runOf(plan: SweepPlan, index: number): SweepRun {
  const seedCount = plan.seeds.length;
  let variantIndex = Math.floor(index / seedCount);
  const variant: SweepRun['variant'] = [];
  for (let k = plan.vary.length - 1; k >= 0; k--) {
    const values = plan.vary[k]?.values ?? [];
    variant.unshift(values[variantIndex % values.length] ?? '');
    variantIndex = Math.floor(variantIndex / values.length);
  }
  return { index, variant, seed: plan.seeds[index % seedCount] ?? 0 };
}

/** The runs of shard `shard` of `count` (0-based, as a Kubernetes Indexed Job numbers them): every count-th run. */
export function shardRuns(plan: SweepPlan, shard: number, count: number): SweepRun[] {
  const runs: SweepRun[] = [];
  for (let i = shard; i < plan.total; i += count) runs.push(runOf(plan, i));
  return runs;
}
