import { Command, CommanderError, Option } from 'commander';
import { CliError, errorLine, fromCommander } from './CliError.ts';
import { FAILURE_MODES, PROXY_CONFIG_TABLES } from '../model/index.ts';
import type { ProxyConfigTable } from '../model/index.ts';
import { packageVersion } from './version.ts';
import { parseHost, parseListen, parsePort } from './serveOptions.ts';
import { BUILT_IN } from './builtInScenarios.ts';
import { choiceOption, collect, durationOption, durationOrZeroOption, integerOption, parseFail, parseHeader, parseInstant, parseMethod, parsePace, parsePushOrder, parseSeed, parseShard, percentOption } from './options.ts';
import { chosenOutput, outputOption } from './output.ts';
import type { OutputName } from './output.ts';

/** What the commands that print data accept after `-o`. */
const DATA_OUTPUTS: readonly OutputName[] = ['wide', 'json', 'yaml', 'jsonpath'];
/** Kiali's graph types that `graph` draws. */
const GRAPH_TYPES = ['versionedApp', 'app', 'workload', 'service'] as const;
const FILES = ['[files...]', 'scenario YAML files or directories (default: the built-in scenario)'] as const;

/**
 * Runs the CLI; returns the exit code: 0 ok, 1 a finding or a failed check,
 * 2 a usage or input error (one `meshviz: <what> (<hint>)` line on stderr).
 * Each command's code is imported when that command runs, so `--help` and
 * `--version` load only commander, and `send` no Vite.
 */
export async function main(argv: string[]): Promise<number> {
  /** Set by commands whose outcome is a verdict (analyze, test-routes, send --fail, simulate's conditions: 1 = problems found; simulate: 130 = interrupted). */
  let verdict = 0;
  const program = new Command('meshviz')
    .description('A service-mesh visualizer and simulator: Envoy as Istio programs it, one request at a time.')
    .version(packageVersion(), '-V, --version', 'print the version')
    .exitOverride();

  const send = withFiles(program.command('send'), 'send one request through the simulated mesh and print it hop by hop')
    .option('--from <name>', 'calling workload: a Deployment, pod, app label or Service name, or "external"')
    .option('--to <host[:port][/path]>', 'destination as the app dials it (a Service, or a workload standing for its Service)')
    .option('--method <method>', 'HTTP method (default: GET)', parseMethod, 'GET')
    .option('--header <key:value>', 'request header (repeatable; a name given twice has its values joined with ",", as Envoy matches a repeated header)', collect(parseHeader), [])
    .option('--seed <n>', "random seed (default: the scenario's)", parseSeed)
    .addOption(
      new Option('--fail [target=mode]', `TARGET=MODE marks a workload or pod failing first, MODE ${FAILURE_MODES.join('|')} (repeatable); alone, like curl -f: exit 1 on a non-2xx answer`)
        .preset('')
        .argParser(collect(parseFail))
        .default([]),
    )
    .option('--repeat <n>', 'send n requests one after another (1-10000); print the last in full', integerOption('--repeat', 1, 10_000))
    .option('--certs', 'also issue and show the X.509 certificates the sidecars presented on mTLS hops')
    .option('--client-cert', 'from external: the client presents a certificate (a gateway server with tls.mode MUTUAL asks for one)')
    .option('--explain', "print the request's path in the stages of Istio's config simulator: listener, filter chain, route config, virtual host, route, cluster, endpoint, with Envoy's names, or the failure where it stopped");
  withData(send).action(async (files: string[], o) => {
    required(o.from, '--from', 'the calling workload, pod or external, e.g. --from web');
    required(o.to, '--to', 'the destination as host[:port][/path], e.g. --to api:8080/');
    const { runSend } = await import('./runSend.ts');
    verdict = await runSend(files, o, chosenOutput(o));
  });

  const simulate = withRun(withFiles(program.command('simulate'), "run the scenario's traffic and timeline and summarize what happened"))
    .option('--metrics <file>', "write Istio's standard metrics and Envoy's cluster stats (under Linkerd, linkerd-proxy's metrics) as OpenMetrics, one timestamped scrape every --scrape-interval (for promtool tsdb create-blocks-from openmetrics)")
    .addOption(new Option('--scrape-interval <d>', 'simulated time between two scrapes in --metrics (default: 15s)').default(15_000_000).argParser(durationOption('--scrape-interval')))
    .option('--access-log <file>', "write Envoy's access log: a line per request at the caller's sidecar and per attempt at the callee's (under Linkerd, linkerd-proxy's: a line per request at each pod annotated config.linkerd.io/access-log, in its format)")
    .addOption(new Option('--access-log-format <format>', "text (Istio's default format, the default) or json (Istio's keys); under Linkerd the annotation chooses").argParser(choiceOption('--access-log-format', ['text', 'json'] as const)))
    .option('--traces <file>', 'write the sampled traces as OTLP/JSON, one export request per line')
    .addOption(new Option('--trace-sampling <pct>', "share of new traces sampled, as meshConfig's tracing sampling; a Telemetry resource's wins (default: 1, Istio's)").default(1).argParser(percentOption('--trace-sampling')))
    .option('--start <instant>', 'wall-clock instant of simulated time 0, RFC 3339 (default: now less the run, so it ends now)', parseInstant)
    .option('--serve-metrics <host:port>', 'serve the metrics live at http://HOST:PORT/metrics while the run goes', parseListen)
    .option('--pace <factor>', 'simulated seconds per wall second (1: real time); default: as fast as it runs', parsePace)
    .option('--expect <file>', 'YAML file with an expect: list of conditions to check over the run, beside the Simulation\'s own (exit 1 when one fails)')
    .option('--junit <file>', 'also write the conditions\' verdicts as JUnit XML, for CI');
  withData(simulate).action(async (files: string[], o, command: Command) => {
    const { runSimulate } = await import('./runSimulate.ts');
    verdict = await runSimulate(files, o, chosenOutput(o), (key) => command.getOptionValueSource(key) === 'cli');
  });

  const compare = withRun(
    withFiles(program.command('compare'), 'run the same workloads, traffic and failures under several meshes and put them side by side with their costs').requiredOption(
      '--flavors <list>',
      'a comma list of istio, linkerd, istio-ambient (Istio scenarios are translated for Linkerd)',
    ),
  );
  withData(compare).action(async (files: string[], o) => {
    const { runCompare } = await import('./runCompare.ts');
    verdict = await runCompare(files, o, chosenOutput(o));
  });

  const proxyConfigCommand = program
    .command('proxy-config')
    .description("Envoy's view of one pod's sidecar or gateway, as istioctl proxy-config prints it: clusters, listeners, routes or endpoints (after --at of the scenario: its config then, and the endpoints' outlier state)")
    .argument('<table>', 'clusters, listeners, routes or endpoints', choiceOption('<table>', PROXY_CONFIG_TABLES))
    .argument('<pod>', 'a pod, Deployment, app or Service name (a workload stands for its first pod)')
    .argument(...FILES)
    .option('--scenario <name>', `a built-in scenario: ${BUILT_IN.join(' or ')}`, choiceOption('--scenario', BUILT_IN))
    .addOption(new Option('--at <d>', "read the proxy after this much of the scenario's traffic and timeline (e.g. 30s): the config pushed to it by then, and its endpoints' outlier state").default(0).argParser(durationOrZeroOption('--at')))
    .option('--seed <n>', "random seed (default: the scenario's)", parseSeed);
  withData(proxyConfigCommand).action(async (table: ProxyConfigTable, pod: string, files: string[], o) => {
    const { runProxyConfig } = await import('./runProxyConfig.ts');
    verdict = await runProxyConfig(table, pod, files, o, chosenOutput(o));
  });

  const graph = withRun(withFiles(program.command('graph'), "run the scenario like simulate and print its service graph (-o json: Kiali's graph JSON)"))
    .addOption(new Option('--graph-type <type>', 'versionedApp (a node per app version), app (a node per app, its versions together), workload, or service (services calling services)').default('versionedApp').argParser(choiceOption('--graph-type', GRAPH_TYPES)));
  withData(graph).action(async (files: string[], o) => {
    const { runGraph } = await import('./runGraph.ts');
    verdict = await runGraph(files, o, chosenOutput(o));
  });

  withData(withFiles(program.command('analyze'), 'check the scenario like istioctl analyze: schemas, references, routing, mTLS, retries, the names in expect: conditions (exit 1 on errors)'))
    .option('--expect <file>', "also check the conditions of a file as simulate --expect reads them (the Simulation's expect: always are)")
    .option('--sarif <file>', 'also write the findings as SARIF 2.1.0, for code-scanning views')
    .action(async (files: string[], o) => {
    const { runAnalyze } = await import('./runAnalyze.ts');
    verdict = await runAnalyze(files, o, chosenOutput(o));
  });

  const testRoutes = withFiles(program.command('test-routes'), 'run route test cases through the simulated mesh; print pass/fail and rule coverage (exit 1 on a failure)')
    .option('--cases <file>', 'YAML file of cases: from, authority, path, method, headers, expect {host, subset, status, rule}')
    .option('--fail-under <pct>', 'also fail when fewer than pct % of the VirtualService rule matches are exercised', percentOption('--fail-under'))
    .option('--seed <n>', "random seed (default: the scenario's)", parseSeed);
  withData(testRoutes).action(async (files: string[], o) => {
    required(o.cases, '--cases', 'a YAML file of route test cases, e.g. --cases tests/fixtures/route-cases/bookinfo.yaml');
    const { runTestRoutes } = await import('./runTestRoutes.ts');
    verdict = await runTestRoutes(files, o, chosenOutput(o));
  });

  const diff = program
    .command('diff')
    .description('send the same traffic through two configs and show the calls whose behaviour changes, most severe first (exit 1 when a call that worked fails)')
    .argument('<before...>', 'the config as it is: YAML files or directories')
    .option('--after <files...>', 'the config as it would be: YAML files or directories')
    .option('--traffic <file>', "a file with a Simulation document whose traffic, app behaviour and timeline both runs use (default: BEFORE's, or probes of every call when it has no traffic)")
    .option('--seed <n>', "random seed (default: the scenario's)", parseSeed)
    .option('--push-order <order>', 'how AFTER reaches the running BEFORE mesh: file (one push per document in file order, the default), together (one push), or kinds first, e.g. DestinationRule,VirtualService', parsePushOrder)
    .option('--push-gap <d>', "time between one document's push and the next (default 100ms, istiod's debounce; 0: one push)", durationOrZeroOption('--push-gap'))
    .option('--apply-at <d>', 'when the first documents are applied, in simulated time (default: 1s after the traffic starts)', durationOrZeroOption('--apply-at'))
    .option('--markdown', 'print a pull-request comment (Markdown) instead');
  withData(diff).action(async (files: string[], o) => {
    required(o.after, '--after', 'the changed config, e.g. --after pr/*.yaml');
    if (o.markdown && (o.output || o.json)) throw new CliError('--markdown and -o ask for different outputs', 'give one of them');
    const { runDiff } = await import('./runDiff.ts');
    verdict = await runDiff(files, o, chosenOutput(o));
  });

  const reach = withFiles(program.command('reach'), 'who can reach whom, by sending through the simulated mesh: mTLS or plaintext, allowed or refused and by which policy; --from and --to explain one call')
    .option('--from <name>', 'one source: a Deployment, pod, app label or Service name, or "external" (with --to: explain that call)')
    .option('--to <service[:port]>', 'one destination service (with --from: explain that call)')
    .option('--csv', 'print the cells as CSV')
    .option('--dot', 'print the matrix as a Graphviz graph');
  withData(reach).action(async (files: string[], o) => {
    const formats = [o.csv, o.dot, o.output !== undefined || o.json].filter(Boolean).length;
    if (formats > 1) throw new CliError('--csv, --dot and -o ask for different outputs', 'give one of them');
    const { runReach } = await import('./runReach.ts');
    verdict = await runReach(files, o, chosenOutput(o));
  });

  const canary = withFiles(program.command('canary'), 'walk a Flagger Canary or an Argo Rollout step by step through a run: the weights each step applies, the checks, the step where the gate fails, what users saw (exit 1 unless promoted)')
    .option('--canary <name>', 'the Canary or Rollout to walk, when the files hold several')
    .option('--min-success-rate <pct>', "Argo Rollouts: the canary's success rate each pause must keep (default 99)", percentOption('--min-success-rate'))
    .option('--max-p99 <ms>', "Argo Rollouts: the canary's p99 in ms each pause must stay under (default: not checked)", integerOption('--max-p99', 1, 3_600_000));
  withData(canary).action(async (files: string[], o) => {
    const { runCanary } = await import('./runCanary.ts');
    verdict = await runCanary(files, o, chosenOutput(o));
  });

  const sweep = withFiles(program.command('sweep'), 'run the scenario for every combination of --vary values × seeds on all cores; one table of the spread over seeds (or: sweep merge DIR)')
    .option('--vary <key=v1,v2>', 'a setting and its values (repeatable): retries.attempts, retries.perTryTimeout, timeout, outlierDetection.FIELD, connectionPool.tcp|http.FIELD, loadBalancer.simple, or Kind/[ns/]name:spec.path', collect((text: string) => text), [])
    .option('--seeds <n>', 'runs per variant, with seeds counting up from the scenario\'s (default 1)', integerOption('--seeds', 1, 10_000))
    .option('--first-seed <n>', "the first seed (default: the scenario's)", parseSeed)
    .option('--workers <n>', 'worker threads (default: one per core)', integerOption('--workers', 1, 1024))
    .option('--shard <i/n>', 'run only shard i of n (0-based) and write its results into --out', parseShard)
    .option('--out <dir>', 'with --shard: the directory to write shard-I-of-N.json into')
    .option('--emit-job', 'print a Kubernetes Indexed Job (and the ConfigMap of the files) that runs the sweep as --shards shards')
    .option('--shards <n>', 'with --emit-job: how many indexes (default 4)', integerOption('--shards', 1, 10_000))
    .option('--image <image>', 'with --emit-job: the meshviz container image (default meshviz:latest, built from the Dockerfile)')
    .option('--claim <name>', 'with --emit-job: the PersistentVolumeClaim the shards write to (default meshviz-sweep-results)');
  withData(sweep).action(async (files: string[], o) => {
    const { runSweep } = await import('./runSweep.ts');
    verdict = await runSweep(files, o, chosenOutput(o));
  });
  withData(sweep.command('merge').description('combine the shards a sweep --shard wrote into DIR into the one table a single process prints').argument('<dir>', 'the --out directory of the shards')).action(async (dir: string, _o, command: Command) => {
    const { runSweepMerge } = await import('./runSweep.ts');
    // `sweep` takes -o and --json too, wherever they stand on the line.
    verdict = await runSweepMerge(dir, chosenOutput(command.optsWithGlobals()));
  });

  withFiles(program.command('export'), 'write the scenario back as canonical YAML (Istio resources in v1, comments kept where possible)')
    .option('--output-dir <dir>', 'write DIR/scenario.yaml (or .json) instead of printing')
    .option('--force', 'overwrite the file in --output-dir if it exists')
    .addOption(new Option('-o, --output <format>', 'yaml (the default) or json (a kubectl List)').argParser(outputOption(['yaml', 'json'], exportOutputHint)))
    .action(async (files: string[], o) => {
      const { runExport } = await import('./runExport.ts');
      runExport(files, o, o.output ?? { kind: 'yaml' });
    });

  program
    .command('serve')
    .description('build the visualizer if needed and serve it (what npm start runs)')
    .addOption(new Option('--host <address>', 'address to bind (default: 127.0.0.1)').default('127.0.0.1').argParser(parseHost))
    .addOption(new Option('--port <n>', 'port, 0 for any free one (default: 5173)').default(5173).argParser(parsePort))
    .option('--next-free-port', 'if the port is in use, try the next ones')
    .option('--dev', "Vite's dev server on the sources instead of the production build (npm run dev)")
    .action(async (o) => {
      const { serve } = await import('./serve.ts');
      await serve({ host: o.host, port: o.port, nextFreePort: o.nextFreePort === true, dev: o.dev === true });
    });

  program
    .command('version')
    .description('print the version, the Istio/Envoy behaviour the engine models, and the Node running it')
    .addOption(new Option('-o, --output <format>', 'json or yaml').argParser(outputOption(['json', 'yaml'])))
    .option('--json', 'print JSON (the same as -o json)')
    .action(async (o) => {
      const { runVersion } = await import('./runVersion.ts');
      await runVersion(chosenOutput(o));
    });

  program
    .command('completion')
    .description('print a shell completion script: commands, flags, and workload and service names from the files given')
    .argument('<shell>', 'bash or zsh', choiceOption('completion <shell>', ['bash', 'zsh'] as const))
    .addHelpText('after', '\nbash: source <(meshviz completion bash)    zsh: source <(meshviz completion zsh)')
    .action(async (shell: 'bash' | 'zsh') => {
      const { completionScript } = await import('./completion.ts');
      process.stdout.write(completionScript(shell));
    });

  program
    .command('__complete', { hidden: true })
    .description('the words a shell should offer for the command line given')
    .argument('[words...]')
    .allowUnknownOption()
    .helpOption(false)
    .action(async (words: string[]) => {
      const { completeWords } = await import('./completeWords.ts');
      process.stdout.write(completeWords(program, words).map((w) => `${w}\n`).join(''));
    });

  program.configureOutput({ outputError: (text, write) => write(fromCommander(text, '')) });
  for (const command of program.commands) {
    command.configureOutput({ outputError: (text, write) => write(fromCommander(text, command.name())) });
    // Defaults worth knowing are in the descriptions; commander's own (`default: []`, `preset: ""`) are noise.
    command.configureHelp({ optionDescription: (option) => option.description });
  }

  try {
    await program.parseAsync(argv);
    return verdict;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    // The api layer is only loaded by a command that already ran: importing it here costs nothing more.
    if (error instanceof CliError || error instanceof (await import('../api/index.ts')).ApiError) {
      process.stderr.write(errorLine(error.message));
      return 2;
    }
    throw error;
  }
}

/** A command that reads a scenario: its files and `--scenario`. */
function withFiles(command: Command, description: string): Command {
  return command
    .description(description)
    .argument(...FILES)
    .option('--scenario <name>', `a built-in scenario: ${BUILT_IN.join(' or ')}`, choiceOption('--scenario', BUILT_IN));
}

/** A command that runs the scenario's traffic: how long, which seed, past the budget or not. */
function withRun(command: Command): Command {
  return command
    .option('--duration <d>', 'stop starting traffic after this long (e.g. 30s, 2m)', durationOption('--duration'))
    .option('--seed <n>', "random seed (default: the scenario's)", parseSeed)
    .option('--force', 'run even when the estimated work is over the budget (100 million request-hops)');
}

/** A command that prints data: kubectl's `-o` and the `--json` alias. */
function withData(command: Command): Command {
  return command
    .addOption(new Option('-o, --output <format>', 'wide, json, yaml, or jsonpath=EXPR (e.g. jsonpath={.status})').argParser(outputOption(DATA_OUTPUTS)))
    .option('--json', 'print JSON (the same as -o json)');
}

function required(value: unknown, flag: string, hint: string): void {
  if (value === undefined) throw new CliError(`missing ${flag}`, hint);
}

/** `export -o DIR` wrote into a directory before `-o` named the format. */
function exportOutputHint(text: string): string {
  return `to write ${text.replace(/\/$/, "")}/scenario.yaml use --output-dir ${text}`;
}
