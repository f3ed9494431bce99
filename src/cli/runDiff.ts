import { diffConfigs } from '../api/index.ts';
import type { PushOrder } from '../api/index.ts';
import type { Micros } from '../model/index.ts';
import { formatDiff, diffMarkdown } from './formatDiff.ts';
import { openScenario } from './openScenario.ts';
import { printOutput } from './printOutput.ts';
import type { Output } from './output.ts';
import { stdoutLayout } from './table.ts';

export interface DiffFlags {
  after: string[];
  traffic?: string;
  seed?: number;
  markdown?: boolean;
  pushOrder?: PushOrder;
  pushGap?: Micros;
  applyAt?: Micros;
}

/**
 * `meshviz diff BEFORE… --after AFTER…`: the same traffic through both
 * configs, the calls whose behaviour changed, after the change and while
 * it rolls out. Returns 1 when a call that worked fails after or on the
 * way, so it can gate a pull request.
 */
export async function runDiff(files: string[], o: DiffFlags, output: Output): Promise<number> {
  const before = openScenario(files);
  const after = openScenario(o.after);
  const simulation = o.traffic === undefined ? undefined : openScenario([...files, o.traffic], undefined, { simulationFile: o.traffic }).scenario.simulation;
  const rollout = { ...(o.pushOrder ? { order: o.pushOrder } : {}), ...(o.pushGap !== undefined ? { gap: o.pushGap } : {}), ...(o.applyAt !== undefined ? { applyAt: o.applyAt } : {}) };
  const report = diffConfigs(before, after, { simulation, seed: o.seed, rollout });
  if (o.markdown) process.stdout.write(`${diffMarkdown(report)}\n`);
  else await printOutput(output, report, (wide) => formatDiff(report, stdoutLayout(wide)));
  return report.regressions > 0 ? 1 : 0;
}
