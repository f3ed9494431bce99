import { parseAllDocuments } from 'yaml';
import { exportFiles } from '../api/index.ts';
import { CliError } from './CliError.ts';
import { formatDiagnostic } from './formatDiagnostics.ts';
import type { Output } from './output.ts';
import { readScenarioFiles } from './readFiles.ts';
import { writeExport } from './writeExport.ts';

export interface ExportFlags {
  outputDir?: string;
  force?: boolean;
  scenario?: string;
}

/**
 * `meshviz export`: the scenario as canonical YAML (or, with `-o json`, a
 * kubectl-style `List` of the same objects), on stdout or into
 * `DIR/scenario.yaml` (`.json`).
 */
export function runExport(files: string[], o: ExportFlags, output: Output): void {
  if (o.force && o.outputDir === undefined) throw new CliError('--force lets --output-dir overwrite its file, and no --output-dir is given: it would change nothing', 'add --output-dir DIR, or leave --force out');
  const result = exportFiles(readScenarioFiles(files, o.scenario));
  for (const d of result.diagnostics) if (d.severity !== 'info') process.stderr.write(`${formatDiagnostic(d)}\n`);
  const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  if (!result.ok) throw new CliError(`the scenario has ${errors} error${errors === 1 ? '' : 's'}`, 'nothing was exported; the lines above say where');
  const text = output.kind === 'json' ? `${JSON.stringify(asList(result.yaml), null, 2)}\n` : result.yaml;
  if (o.outputDir === undefined) process.stdout.write(text);
  else process.stderr.write(`wrote ${writeExport(o.outputDir, output.kind === 'json' ? 'scenario.json' : 'scenario.yaml', text, o.force === true)}\n`);
}

function asList(yaml: string): object {
  return { apiVersion: 'v1', kind: 'List', items: parseAllDocuments(yaml).map((doc) => doc.toJS() as unknown) };
}
