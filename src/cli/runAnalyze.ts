import { analyze, sarifLog } from '../api/index.ts';
import { formatAnalysis, formatAnalysisSummary } from './formatAnalysis.ts';
import { printOutput } from './printOutput.ts';
import type { Output } from './output.ts';
import { readScenarioFiles, readTextFile } from './readFiles.ts';
import { stdoutLayout } from './table.ts';
import { packageVersion } from './version.ts';
import { writeOutputFile } from './writeOutputFile.ts';

/** `meshviz analyze`: the findings, then a count on stderr (`--sarif FILE`: also as SARIF). Returns 1 when an error was found. */
export async function runAnalyze(files: string[], o: { scenario?: string; sarif?: string; expect?: string }, output: Output): Promise<number> {
  const report = analyze(readScenarioFiles(files, o.scenario), {}, o.expect === undefined ? undefined : { name: o.expect, text: readTextFile(o.expect) });
  if (o.sarif !== undefined) writeOutputFile('--sarif', o.sarif, JSON.stringify(sarifLog(report, packageVersion()), null, 2));
  if (output.kind !== 'text' || report.diagnostics.length > 0) await printOutput(output, report.diagnostics, (wide) => formatAnalysis(report, stdoutLayout(wide)));
  if (output.kind === 'text') process.stderr.write(`${formatAnalysisSummary(report)}\n`);
  return report.errors > 0 ? 1 : 0;
}
