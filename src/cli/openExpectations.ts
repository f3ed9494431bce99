import { readExpectFile, resolveExpectations } from '../api/index.ts';
import type { ResolvedExpectation, Session } from '../api/index.ts';
import { CliError } from './CliError.ts';
import { formatDiagnostic } from './formatDiagnostics.ts';
import { readTextFile } from './readFiles.ts';

/**
 * The conditions of a run: the Simulation document's `expect:` and those of
 * `--expect FILE`, resolved against the scenario. Diagnostics go to stderr
 * as scenario diagnostics do; any error stops the command before it runs.
 */
export function openExpectations(session: Session, expectFile: string | undefined): ResolvedExpectation[] {
  const fromFile = expectFile === undefined ? { expectations: [], diagnostics: [] } : readExpectFile({ name: expectFile, text: readTextFile(expectFile) });
  const { checks, diagnostics } = resolveExpectations(session.scenario, [...session.scenario.simulation.expect, ...fromFile.expectations]);
  const all = [...fromFile.diagnostics, ...diagnostics];
  for (const d of all) if (d.severity !== 'info') process.stderr.write(`${formatDiagnostic(d)}\n`);
  const errors = all.filter((d) => d.severity === 'error').length;
  if (errors > 0) throw new CliError(`the expectations have ${errors} error${errors === 1 ? '' : 's'}`, 'nothing was simulated; the lines above say where');
  return checks;
}
