import { diffConfigs } from '../api/index.ts';
import type { PushOrder } from '../api/index.ts';
import type { Micros, Workload } from '../model/index.ts';
import { CliError } from './CliError.ts';
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
  wholeConfig(before.scenario.workloads, after.scenario.workloads, files, o.after);
  const simulation = o.traffic === undefined ? undefined : openScenario([...files, o.traffic], undefined, { simulationFile: o.traffic }).scenario.simulation;
  const rollout = { ...(o.pushOrder ? { order: o.pushOrder } : {}), ...(o.pushGap !== undefined ? { gap: o.pushGap } : {}), ...(o.applyAt !== undefined ? { applyAt: o.applyAt } : {}) };
  const report = diffConfigs(before, after, { simulation, seed: o.seed, rollout });
  if (o.markdown) process.stdout.write(`${diffMarkdown(report)}\n`);
  else await printOutput(output, report, (wide) => formatDiff(report, stdoutLayout(wide)));
  return report.regressions > 0 ? 1 : 0;
}

/**
 * AFTER is the whole config as it would be, not the change alone: an AFTER
 * that keeps none of BEFORE's workloads is nearly always the change file
 * given by itself, and its diff would only say that every workload is
 * gone. Said as a usage error, with the command that was meant.
 */
function wholeConfig(before: readonly Workload[], after: readonly Workload[], beforeFiles: string[], afterFiles: string[]): void {
  const kept = new Set(after.map((w) => `${w.namespace}/${w.name}`));
  if (before.length === 0 || before.some((w) => kept.has(`${w.namespace}/${w.name}`))) return;
  const names = before.slice(0, 4).map((w) => w.name).join(', ') + (before.length > 4 ? ', …' : '');
  const meant = beforeFiles.length > 0 ? `--after ${[...beforeFiles, ...afterFiles].join(' ')}` : "--after with BEFORE's files and the change";
  throw new CliError(`--after keeps none of BEFORE's workloads (${names}): it is the whole config as it would be, not the change alone`, `give BEFORE's files and the change: ${meant}`);
}
