import { startSimulation } from '../api/index.ts';
import type { Micros } from '../model/index.ts';
import { driveRun, INTERRUPTED } from './driveRun.ts';
import { formatReport } from './formatReport.ts';
import { openScenario } from './openScenario.ts';
import { printOutput } from './printOutput.ts';
import type { Output } from './output.ts';
import { stdoutLayout } from './table.ts';

export interface SimulateFlags {
  duration?: Micros;
  seed?: number;
  scenario?: string;
  force?: boolean;
}

/**
 * `meshviz simulate`: the scenario's traffic and timeline, summarized. A run
 * whose estimate is over the budget is refused unless --force; a run longer
 * than a few seconds shows its progress and time left on stderr (with -o json
 * too: the report is on stdout); Ctrl-C stops it and prints what was
 * simulated so far. Returns the exit status.
 */
export async function runSimulate(files: string[], o: SimulateFlags, output: Output): Promise<number> {
  const session = openScenario(files, o.scenario);
  // Over the budget, this throws RunOverBudget: an ApiError, printed as one line with its hint.
  const run = startSimulation(session, { duration: o.duration, seed: o.seed, force: o.force === true });
  const interrupted = await driveRun(run);
  const report = run.report();
  await printOutput(output, report, (wide) => formatReport(report, stdoutLayout(wide)));
  return interrupted ? INTERRUPTED : 0;
}

