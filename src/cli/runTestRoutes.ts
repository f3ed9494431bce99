import { readRouteCases, testRoutes } from '../api/index.ts';
import { formatRouteTests } from './formatRouteTests.ts';
import { openScenario } from './openScenario.ts';
import { printOutput } from './printOutput.ts';
import type { Output } from './output.ts';
import { readTextFile } from './readFiles.ts';
import { stdoutLayout } from './table.ts';

export interface TestRoutesFlags {
  cases: string;
  failUnder?: number;
  seed?: number;
  scenario?: string;
}

/** `meshviz test-routes`: pass/fail per case and rule coverage. Returns 1 on a failure or coverage under --fail-under. */
export async function runTestRoutes(files: string[], o: TestRoutesFlags, output: Output): Promise<number> {
  const cases = readRouteCases(o.cases, readTextFile(o.cases));
  const report = testRoutes(openScenario(files, o.scenario), cases, { seed: o.seed });
  await printOutput(output, report, (wide) => formatRouteTests(report, stdoutLayout(wide)));
  const underCoverage = o.failUnder !== undefined && report.coverage.percent < o.failUnder;
  if (underCoverage && output.kind === 'text') process.stderr.write(`coverage ${report.coverage.percent}% is under --fail-under ${o.failUnder}%\n`);
  return report.failed > 0 || underCoverage ? 1 : 0;
}
