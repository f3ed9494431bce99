import { readRouteCases, testRoutes } from '../api/index.ts';
import { formatRouteTests } from './formatRouteTests.ts';
import { openScenario } from './openScenario.ts';
import { print } from './print.ts';
import { readTextFile } from './readFiles.ts';

export interface TestRoutesFlags {
  cases: string;
  failUnder?: number;
  seed?: number;
  scenario?: string;
  json?: boolean;
}

/** `meshviz test-routes`: pass/fail per case and rule coverage. Returns 1 on a failure or coverage under --fail-under. */
export function runTestRoutes(files: string[], o: TestRoutesFlags): number {
  const casesFile = String(o.cases);
  const cases = readRouteCases(casesFile, readTextFile(casesFile));
  const report = testRoutes(openScenario(files, o.scenario), cases, { seed: o.seed });
  print(o.json ? JSON.stringify(report, null, 2) : formatRouteTests(report));
  const underCoverage = o.failUnder !== undefined && report.coverage.percent < o.failUnder;
  if (underCoverage && !o.json) process.stderr.write(`coverage ${report.coverage.percent}% is under --fail-under ${o.failUnder}%\n`);
  return report.failed > 0 || underCoverage ? 1 : 0;
}
