import { explainReach, reachMatrix } from '../api/index.ts';
import { CliError } from './CliError.ts';
import { formatExplanation, formatReach, reachCsv, reachDot } from './formatReach.ts';
import { openScenario } from './openScenario.ts';
import { printOutput } from './printOutput.ts';
import type { Output } from './output.ts';
import { stdoutLayout } from './table.ts';

export interface ReachFlags {
  scenario?: string;
  from?: string;
  to?: string;
  csv?: boolean;
  dot?: boolean;
}

/** `meshviz reach`: who can reach whom, found by sending; with --from and --to, why one call is what it is. */
export async function runReach(files: string[], o: ReachFlags, output: Output): Promise<number> {
  const session = openScenario(files, o.scenario);
  if (o.from !== undefined && o.to !== undefined) {
    const table = o.csv ? '--csv' : o.dot ? '--dot' : undefined;
    if (table) throw new CliError(`${table} prints the matrix, and --from with --to explains one call instead: it would change nothing`, `leave out --from or --to for the matrix, or ${table} for the explanation`);
    const explanation = explainReach(session, o.from, o.to);
    await printOutput(output, explanation, (wide) => formatExplanation(explanation, stdoutLayout(wide)));
    return 0;
  }
  const report = reachMatrix(session, { from: o.from, to: o.to });
  if (o.csv) process.stdout.write(`${reachCsv(report)}\n`);
  else if (o.dot) process.stdout.write(reachDot(report));
  else await printOutput(output, report, (wide) => formatReach(report, stdoutLayout(wide)));
  return 0;
}
