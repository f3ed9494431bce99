import { analyze } from '../api/index.ts';
import { formatAnalysis, formatAnalysisSummary } from './formatAnalysis.ts';
import { print } from './print.ts';
import { readScenarioFiles } from './readFiles.ts';

export interface AnalyzeFlags {
  scenario?: string;
  json?: boolean;
}

/** `meshviz analyze`: the findings, then a count on stderr. Returns 1 when an error was found. */
export function runAnalyze(files: string[], o: AnalyzeFlags): number {
  const report = analyze(readScenarioFiles(files, o.scenario));
  if (o.json) print(JSON.stringify(report.diagnostics, null, 2));
  else if (report.diagnostics.length > 0) print(formatAnalysis(report));
  if (!o.json) process.stderr.write(`${formatAnalysisSummary(report)}\n`);
  return report.errors > 0 ? 1 : 0;
}
