import { runSimulation } from '../api/index.ts';
import type { Micros } from '../model/index.ts';
import { formatReport } from './formatReport.ts';
import { openScenario } from './openScenario.ts';
import { printOutput } from './printOutput.ts';
import type { Output } from './output.ts';
import { stdoutLayout } from './table.ts';

export interface SimulateFlags {
  duration?: Micros;
  seed?: number;
  scenario?: string;
}

/** `meshviz simulate`: the scenario's traffic and timeline, summarized. */
export async function runSimulate(files: string[], o: SimulateFlags, output: Output): Promise<void> {
  const session = openScenario(files, o.scenario);
  // Progress goes to stderr on a terminal (with -o json too: the report is on stdout).
  const showProgress = process.stderr.isTTY === true;
  const report = runSimulation(session, {
    duration: o.duration,
    seed: o.seed,
    progress: showProgress ? (now, horizon) => process.stderr.write(`\rsimulating… ${Math.min(100, Math.round((now / horizon) * 100))}%`) : undefined,
  });
  if (showProgress) process.stderr.write('\r\x1b[K');
  await printOutput(output, report, (wide) => formatReport(report, stdoutLayout(wide)));
}
