import { openSession } from '../api/index.ts';
import type { LoadOptions, Session } from '../api/index.ts';
import { CliError } from './CliError.ts';
import { formatDiagnostic } from './formatDiagnostics.ts';
import { readScenarioFiles } from './readFiles.ts';

/** Loads the scenario named on the command line; warnings go to stderr, errors stop the command. */
export function openScenario(files: string[], builtIn?: string, options: LoadOptions = {}): Session {
  const opened = openSession(readScenarioFiles(files, builtIn), options);
  const diagnostics = opened.ok ? opened.session.diagnostics : opened.diagnostics;
  for (const d of diagnostics) if (d.severity !== 'info') process.stderr.write(`${formatDiagnostic(d)}\n`);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  if (!opened.ok) throw new CliError(`the scenario has ${errors} error${errors === 1 ? '' : 's'}`, 'nothing was simulated; the lines above say where');
  return opened.session;
}
