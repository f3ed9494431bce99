import { Command, CommanderError, Option } from 'commander';
import { CliError } from './CliError.ts';
import { FAILURE_MODES } from '../model/index.ts';
import { packageVersion } from './version.ts';
import { parseHost, parsePort } from './serveOptions.ts';

/**
 * Runs the CLI; returns the exit code. Every user error is one line on stderr.
 * Each command's code is imported when that command runs, so `--help` and
 * `--version` load only commander, and `send` no Vite.
 */
export async function main(argv: string[]): Promise<number> {
  /** Set by commands whose outcome is a verdict (analyze, test-routes: 1 = problems found; simulate: 130 = interrupted). */
  let verdict = 0;
  const program = new Command('meshviz')
    .description('A service-mesh visualizer and simulator: Envoy as Istio programs it, one request at a time.')
    .version(packageVersion(), '-V, --version', 'print the version')
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
    .option('--fail <target=mode>', `mark a workload or pod failing first; mode: ${FAILURE_MODES.join('|')} (repeatable)`, collect, [])
    .option('--repeat <n>', 'send n requests one after another; print the last in full', parsePositive)
    .option('--scenario <name>', 'a built-in scenario: default or bookinfo')
    .option('--certs', 'also issue and show the X.509 certificates the sidecars presented on mTLS hops')
    .option('--json', 'print JSON')
    .action(async (files: string[], o) => {
      const { runSend } = await import('./runSend.ts');
      await runSend(files, o);
    });

  program
    .command('simulate')
    .description("run the scenario's traffic and timeline and summarize what happened")
    .argument('[files...]', 'scenario YAML files or directories (default: the built-in scenario)')
    .option('--duration <d>', 'stop starting traffic after this long (e.g. 30s)')
    .option('--seed <n>', "random seed (default: the scenario's)", parseSeed)
    .option('--scenario <name>', 'a built-in scenario: default or bookinfo')
    .option('--force', 'run even when the estimated work is over the budget (100 million request-hops)')
    .option('--json', 'print JSON')
    .action(async (files: string[], o) => {
      const { runSimulate } = await import('./runSimulate.ts');
      verdict = await runSimulate(files, o);
    });

  program
    .command('analyze')
    .description('check the scenario like istioctl analyze: schemas, references, routing, mTLS, retries (exit 1 on errors)')
    .argument('[files...]', 'scenario YAML files or directories (default: the built-in scenario)')
    .option('--scenario <name>', 'a built-in scenario: default or bookinfo')
    .option('--json', 'print JSON: an array of diagnostics')
    .action(async (files: string[], o) => {
      const { runAnalyze } = await import('./runAnalyze.ts');
      verdict = runAnalyze(files, o);
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
    .action(async (files: string[], o) => {
      const { runTestRoutes } = await import('./runTestRoutes.ts');
      verdict = runTestRoutes(files, o);
    });

  program
    .command('export')
    .description('write the scenario back as canonical YAML (Istio resources in v1, comments kept where possible)')
    .argument('[files...]', 'scenario YAML files or directories (default: the built-in scenario)')
    .option('-o, --output <dir>', 'write DIR/scenario.yaml instead of printing')
    .option('--force', 'overwrite DIR/scenario.yaml if it exists')
    .option('--scenario <name>', 'a built-in scenario: default or bookinfo')
    .action(async (files: string[], o) => {
      const { runExport } = await import('./runExport.ts');
      runExport(files, o);
    });

  program
    .command('serve')
    .description('build the visualizer if needed and serve it (what npm start runs)')
    .addOption(new Option('--host <address>', 'address to bind').default('127.0.0.1').argParser(parseHost))
    .addOption(new Option('--port <n>', 'port, 0 for any free one').default(5173).argParser(parsePort))
    .option('--next-free-port', 'if the port is in use, try the next ones')
    .option('--dev', "Vite's dev server on the sources instead of the production build (npm run dev)")
    .action(async (o) => {
      const { serve } = await import('./serve.ts');
      await serve({ host: o.host, port: o.port, nextFreePort: o.nextFreePort === true, dev: o.dev === true });
    });

  program
    .command('version')
    .description('print the version, the Istio/Envoy behaviour the engine models, and the Node running it')
    .action(async () => {
      const { runVersion } = await import('./runVersion.ts');
      runVersion();
    });

  try {
    await program.parseAsync(argv);
    return verdict;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    // The api layer is only loaded by a command that already ran: importing it here costs nothing more.
    if (error instanceof CliError || error instanceof (await import('../api/index.ts')).ApiError) {
      process.stderr.write(`meshviz: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parseSeed(text: string): number {
  if (!/^\d+$/.test(text)) throw new CliError(`--seed must be a non-negative integer, got "${text}"`);
  // Above 2^53 a number no longer holds every integer: the seed would silently become another one.
  if (!Number.isSafeInteger(Number(text))) throw new CliError(`--seed must be at most ${Number.MAX_SAFE_INTEGER} (2^53 − 1), got "${text}"`);
  return Number(text);
}

function parsePositive(text: string): number {
  if (!/^[1-9]\d*$/.test(text) || !Number.isSafeInteger(Number(text))) throw new CliError(`expected a positive integer, got "${text}"`);
  return Number(text);
}

function parsePercent(text: string): number {
  const value = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || value > 100) throw new CliError(`--fail-under must be a percentage from 0 to 100, got "${text}"`);
  return value;
}
