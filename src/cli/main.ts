import { Command, CommanderError, Option } from 'commander';
import { analyze, ApiError, exportFiles, openSession, presentedCertificates, readRouteCases, runSimulation, sendOne, testRoutes } from '../api/index.ts';
import type { Session } from '../api/index.ts';
import { FAILURE_MODES, type FailureMode } from '../model/index.ts';
import { parseDuration } from '../model/index.ts';
import { formatAnalysis, formatAnalysisSummary } from './formatAnalysis.ts';
import { formatDiagnostic } from './formatDiagnostics.ts';
import { formatReport } from './formatReport.ts';
import { formatRouteTests } from './formatRouteTests.ts';
import { formatCertificates, formatSend } from './formatSend.ts';
import { CliError, readScenarioFiles, readTextFile } from './readFiles.ts';
import { writeExport } from './writeExport.ts';
import { serve } from './serve.ts';

const MODES: FailureMode[] = [...FAILURE_MODES];

/** Runs the CLI; returns the exit code. Every user error is one line on stderr. */
export async function main(argv: string[]): Promise<number> {
  /** Set by commands whose outcome is a verdict (analyze, test-routes): 1 = problems found. */
  let verdict = 0;
  const program = new Command('meshviz')
    .description('A service-mesh visualizer and simulator: Envoy as Istio programs it, one request at a time.')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  program
    .command('send')
    .description('send one request through the simulated mesh and print it hop by hop')
    .argument('[files...]', 'scenario YAML files or directories (default: the built-in scenario)')
    .requiredOption('--from <workload>', 'calling workload, pod, or "external"')
    .requiredOption('--to <host[:port][/path]>', 'destination as the app dials it')
    .option('--method <method>', 'HTTP method', 'GET')
    .option('--header <key:value>', 'request header (repeatable)', collect, [])
    .option('--seed <n>', 'random seed (default: the scenario\'s)', parseSeed)
    .option('--fail <target=mode>', `mark a workload or pod failing first; mode: ${MODES.join('|')} (repeatable)`, collect, [])
    .option('--repeat <n>', 'send n requests one after another; print the last in full', parsePositive)
    .option('--scenario <name>', 'a built-in scenario: default or bookinfo')
    .option('--certs', 'also issue and show the X.509 certificates the sidecars presented on mTLS hops')
    .option('--json', 'print JSON')
    .action(async (files: string[], o) => {
      const session = open(files, o.scenario);
      const result = sendOne(session, {
        from: o.from,
        to: o.to,
        method: String(o.method).toUpperCase(),
        headers: Object.fromEntries((o.header as string[]).map(parseHeader)),
        seed: o.seed,
        failures: (o.fail as string[]).map(parseFailure),
        repeat: o.repeat,
      });
      const certs = o.certs ? await presentedCertificates(session, result, { crypto: globalThis.crypto, startedAt: new Date() }) : undefined;
      if (o.json) print(JSON.stringify(certs ? { ...result, certificates: certs.certificates, rootCertificate: certs.rootPem } : result, null, 2));
      else print(formatSend(result, process.stdout.isTTY === true) + (certs ? `\n\n${formatCertificates(certs.certificates)}` : ''));
    });

  program
    .command('simulate')
    .description("run the scenario's traffic and timeline and summarize what happened")
    .argument('[files...]', 'scenario YAML files or directories (default: the built-in scenario)')
    .option('--duration <d>', 'stop starting traffic after this long (e.g. 30s)', parseDurationFlag)
    .option('--seed <n>', "random seed (default: the scenario's)", parseSeed)
    .option('--scenario <name>', 'a built-in scenario: default or bookinfo')
    .option('--json', 'print JSON')
    .action((files: string[], o) => {
      const session = open(files, o.scenario);
      const showProgress = !o.json && process.stderr.isTTY === true;
      const report = runSimulation(session, {
        duration: o.duration,
        seed: o.seed,
        progress: showProgress ? (now, horizon) => process.stderr.write(`\rsimulating… ${Math.min(100, Math.round((now / horizon) * 100))}%`) : undefined,
      });
      if (showProgress) process.stderr.write('\r\x1b[K');
      print(o.json ? JSON.stringify(report, null, 2) : formatReport(report));
    });

  program
    .command('analyze')
    .description('check the scenario like istioctl analyze: schemas, references, routing, mTLS, retries (exit 1 on errors)')
    .argument('[files...]', 'scenario YAML files or directories (default: the built-in scenario)')
    .option('--scenario <name>', 'a built-in scenario: default or bookinfo')
    .option('--json', 'print JSON: an array of diagnostics')
    .action((files: string[], o) => {
      const report = analyze(readScenarioFiles(files, o.scenario));
      if (o.json) print(JSON.stringify(report.diagnostics, null, 2));
      else if (report.diagnostics.length > 0) print(formatAnalysis(report));
      if (!o.json) process.stderr.write(`${formatAnalysisSummary(report)}\n`);
      verdict = report.errors > 0 ? 1 : 0;
    });

  program
    .command('test-routes')
    .description('run route test cases through the simulated mesh; print pass/fail and rule coverage (exit 1 on a failure)')
    .argument('[files...]', 'scenario YAML files or directories (default: the built-in scenario)')
    .requiredOption('--cases <file>', 'YAML file of cases: from, authority, path, method, headers, expect {host, subset, status, rule}')
    .option('--fail-under <pct>', 'also fail when fewer than pct % of the VirtualService rule matches are exercised', parsePercent)
    .option('--seed <n>', "random seed (default: the scenario's)", parseSeed)
    .option('--scenario <name>', 'a built-in scenario: default or bookinfo')
    .option('--json', 'print JSON')
    .action((files: string[], o) => {
      const casesFile = String(o.cases);
      const cases = readRouteCases(casesFile, readTextFile(casesFile));
      const report = testRoutes(open(files, o.scenario), cases, { seed: o.seed });
      print(o.json ? JSON.stringify(report, null, 2) : formatRouteTests(report));
      const underCoverage = o.failUnder !== undefined && report.coverage.percent < o.failUnder;
      if (underCoverage && !o.json) process.stderr.write(`coverage ${report.coverage.percent}% is under --fail-under ${o.failUnder}%\n`);
      verdict = report.failed > 0 || underCoverage ? 1 : 0;
    });

  program
    .command('export')
    .description('write the scenario back as canonical YAML (Istio resources in v1, comments kept where possible)')
    .argument('[files...]', 'scenario YAML files or directories (default: the built-in scenario)')
    .option('-o, --output <dir>', 'write DIR/scenario.yaml instead of printing')
    .option('--force', 'overwrite DIR/scenario.yaml if it exists')
    .option('--scenario <name>', 'a built-in scenario: default or bookinfo')
    .action((files: string[], o) => {
      const result = exportFiles(readScenarioFiles(files, o.scenario));
      for (const d of result.diagnostics) if (d.severity !== 'info') process.stderr.write(`${formatDiagnostic(d)}\n`);
      if (!result.ok) throw new CliError(`the scenario has errors (${result.diagnostics.filter((d) => d.severity === 'error').length}); nothing was exported`);
      if (o.output === undefined) process.stdout.write(result.yaml);
      else process.stderr.write(`wrote ${writeExport(String(o.output), result.yaml, o.force === true)}\n`);
    });

  program
    .command('serve')
    .description('serve the visualizer (what npm start runs)')
    .option('--host <address>', 'address to bind', '127.0.0.1')
    .addOption(new Option('--port <n>', 'port').default(5173).argParser(parsePositive))
    .action(async (o) => {
      await serve({ host: o.host, port: o.port });
    });

  try {
    await program.parseAsync(argv);
    return verdict;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof CliError || error instanceof ApiError) {
      process.stderr.write(`meshviz: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

function open(files: string[], builtIn?: string): Session {
  const opened = openSession(readScenarioFiles(files, builtIn));
  const diagnostics = opened.ok ? opened.session.diagnostics : opened.diagnostics;
  for (const d of diagnostics) if (d.severity !== 'info') process.stderr.write(`${formatDiagnostic(d)}\n`);
  if (!opened.ok) throw new CliError(`the scenario has errors (${diagnostics.filter((d) => d.severity === 'error').length}); nothing was simulated`);
  return opened.session;
}

function print(text: string): void {
  process.stdout.write(`${text}\n`);
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parseHeader(text: string): [string, string] {
  const i = text.indexOf(':');
  if (i <= 0) throw new CliError(`--header must look like key:value, got "${text}"`);
  return [text.slice(0, i).trim().toLowerCase(), text.slice(i + 1).trim()];
}

function parseFailure(text: string): { target: string; mode: FailureMode } {
  const [target, mode = '503'] = text.split('=');
  if (!target || !(MODES as string[]).includes(mode)) throw new CliError(`--fail must look like WORKLOAD=MODE with MODE one of ${MODES.join(', ')}, got "${text}"`);
  return { target, mode: mode as FailureMode };
}

function parseSeed(text: string): number {
  if (!/^\d+$/.test(text)) throw new CliError(`--seed must be a non-negative integer, got "${text}"`);
  return Number(text);
}

function parsePositive(text: string): number {
  if (!/^[1-9]\d*$/.test(text)) throw new CliError(`expected a positive integer, got "${text}"`);
  return Number(text);
}

function parsePercent(text: string): number {
  const value = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || value > 100) throw new CliError(`--fail-under must be a percentage from 0 to 100, got "${text}"`);
  return value;
}

function parseDurationFlag(text: string): number {
  const d = parseDuration(text);
  if (d === undefined || d <= 0) throw new CliError(`--duration must be a duration like 30s or 2m, got "${text}"`);
  return d;
}
