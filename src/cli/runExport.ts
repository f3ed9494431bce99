import { exportFiles } from '../api/index.ts';
import { CliError } from './CliError.ts';
import { formatDiagnostic } from './formatDiagnostics.ts';
import { readScenarioFiles } from './readFiles.ts';
import { writeExport } from './writeExport.ts';

export interface ExportFlags {
  output?: string;
  force?: boolean;
  scenario?: string;
}

/** `meshviz export`: the scenario as canonical YAML, on stdout or into DIR/scenario.yaml. */
export function runExport(files: string[], o: ExportFlags): void {
  const result = exportFiles(readScenarioFiles(files, o.scenario));
  for (const d of result.diagnostics) if (d.severity !== 'info') process.stderr.write(`${formatDiagnostic(d)}\n`);
  if (!result.ok) throw new CliError(`the scenario has errors (${result.diagnostics.filter((d) => d.severity === 'error').length}); nothing was exported`);
  if (o.output === undefined) process.stdout.write(result.yaml);
  else process.stderr.write(`wrote ${writeExport(String(o.output), result.yaml, o.force === true)}\n`);
}
