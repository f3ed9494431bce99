import { diffConfigs } from '../api/index.ts';
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
}

/**
 * `meshviz diff BEFORE… --after AFTER…`: the same traffic through both
 * configs, the calls whose behaviour changed. Returns 1 when a call that
 * worked fails after, so it can gate a pull request.
 */
export async function runDiff(files: string[], o: DiffFlags, output: Output): Promise<number> {
  const before = openScenario(files);
  const after = openScenario(o.after);
  const simulation = o.traffic === undefined ? undefined : openScenario([...files, o.traffic], undefined, { simulationFile: o.traffic }).scenario.simulation;
  const report = diffConfigs(before, after, { simulation, seed: o.seed });
  if (o.markdown) process.stdout.write(`${diffMarkdown(report)}\n`);
  else await printOutput(output, report, (wide) => formatDiff(report, stdoutLayout(wide)));
  return report.regressions > 0 ? 1 : 0;
}
