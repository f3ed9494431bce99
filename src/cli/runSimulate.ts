import { startSimulation } from '../api/index.ts';
import type { Session, SimulateOptions, SimulationRun } from '../api/index.ts';
import type { Micros } from '../model/index.ts';
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { CliError } from './CliError.ts';
import { driveRun, INTERRUPTED } from './driveRun.ts';
import { FileSink } from './FileSink.ts';
import { TelemetryThread } from './TelemetryThread.ts';
import { formatExpectations } from './formatExpectations.ts';
import { formatReport } from './formatReport.ts';
import { FATE_LABELS, LINKERD_FATE_LABELS } from '../telemetry/index.ts';
import { junitXml } from './junitXml.ts';
import { outputNotes } from './outputNotes.ts';
import { noteNoTraffic } from './noTrafficNote.ts';
import { serveMetrics } from './metricsServer.ts';
import type { MetricsServer } from './metricsServer.ts';
import { openExpectations } from './openExpectations.ts';
import { openScenario } from './openScenario.ts';
import { printOutput } from './printOutput.ts';
import type { Output } from './output.ts';
import { stdoutLayout } from './table.ts';
import { writeOutputFile } from './writeOutputFile.ts';

export interface SimulateFlags {
  duration?: Micros;
  seed?: number;
  scenario?: string;
  force?: boolean;
  metrics?: string;
  scrapeInterval?: Micros;
  accessLog?: string;
  accessLogFormat?: 'text' | 'json';
  traces?: string;
  traceSampling?: number;
  start?: number;
  serveMetrics?: { host: string; port: number };
  pace?: number;
  expect?: string;
  junit?: string;
}

/**
 * `meshviz simulate`: the scenario's traffic and timeline, summarized. A run
 * whose estimate is over the budget is refused unless --force; a run longer
 * than a few seconds shows its progress and time left on stderr (with -o json
 * too: the report is on stdout); Ctrl-C stops it and prints what was
 * simulated so far. Conditions (the Simulation's `expect:`, `--expect FILE`)
 * are checked over the run: PASS/FAIL with what was measured, `--junit FILE`
 * for CI. Returns the exit status: 1 when a condition failed.
 */
export async function runSimulate(files: string[], o: SimulateFlags, output: Output, given: (key: keyof SimulateFlags) => boolean = () => false): Promise<number> {
  checkOutputFlags(o, given);
  // The writers' thread, if one is wanted, loads its code while the scenario is read.
  const early = writersThreadWanted(o) ? new TelemetryThread().start() : undefined;
  let session: Session;
  let expect: ReturnType<typeof openExpectations>;
  let outputs: ReturnType<typeof openOutputs>;
  try {
    session = openScenario(files, o.scenario);
    expect = openExpectations(session, o.expect);
    process.stderr.write(outputNotes(session, { accessLog: o.accessLog, accessLogFormatGiven: o.accessLogFormat !== undefined, traces: o.traces, traceSampling: given('traceSampling') ? o.traceSampling : undefined, metrics: o.metrics }));
    noteNoTraffic(session, o.duration);
    outputs = openOutputs(o, early);
  } catch (error) {
    await early?.stop();
    throw error;
  }
  // Over the budget, this throws RunOverBudget: an ApiError, printed as one line with its hint.
  let run: SimulationRun;
  try {
    run = startSimulation(session, { duration: o.duration, seed: o.seed, force: o.force === true, expect, ...outputs.options });
  } catch (error) {
    await outputs.abandon();
    throw error;
  }
  let server: MetricsServer | undefined;
  if (o.serveMetrics) {
    const live = run.telemetry;
    server = await serveMetrics(o.serveMetrics, () => live?.prometheusText() ?? '');
    process.stderr.write(`serving metrics at ${server.url}\n`);
  }
  let interrupted = false;
  try {
    interrupted = await driveRun(run, o.pace);
  } catch (error) {
    await outputs.abandon();
    throw error;
  } finally {
    await server?.close();
  }
  // The writers' thread, if any, writes the run's end before the files are closed.
  await outputs.close();
  const report = run.report();
  const results = run.expectations();
  const data = results.length > 0 ? { ...report, expectations: results } : report;
  await printOutput(output, data, (wide) => {
    const layout = stdoutLayout(wide);
    const text = formatReport(report, layout, session.scenario.simulation.flavor === 'linkerd' ? LINKERD_FATE_LABELS : FATE_LABELS);
    return results.length > 0 ? `${text}\n\n${formatExpectations(results, layout)}` : text;
  });
  if (o.junit !== undefined) writeOutputFile('--junit', o.junit, junitXml(session.scenario.simulation.name, results));
  if (interrupted) return INTERRUPTED;
  return results.some((r) => !r.passed) ? 1 : 0;
}

/** The options that shape one output, and that output's. */
const SHAPES: ReadonlyArray<readonly [keyof SimulateFlags, string, keyof SimulateFlags, string]> = [
  ['scrapeInterval', '--scrape-interval', 'metrics', '--metrics'],
  ['accessLogFormat', '--access-log-format', 'accessLog', '--access-log'],
  ['traceSampling', '--trace-sampling', 'traces', '--traces'],
];
const FILE_FLAGS: ReadonlyArray<readonly [keyof SimulateFlags, string]> = [
  ['metrics', '--metrics'],
  ['accessLog', '--access-log'],
  ['traces', '--traces'],
  ['junit', '--junit'],
];

/**
 * Output options that would change nothing, or lose an output, are usage
 * errors before anything runs: one that shapes an output not asked for
 * (`--access-log-format` without `--access-log`), `--start` with no
 * output to date, and two outputs into one file (the second would
 * replace the first's). `given` says which options were typed.
 */
function checkOutputFlags(o: SimulateFlags, given: (key: keyof SimulateFlags) => boolean): void {
  for (const [key, flag, output, outputFlag] of SHAPES) {
    if (given(key) && o[output] === undefined) throw new CliError(`${flag} shapes ${outputFlag}, which is not given: it would change nothing`, `add ${outputFlag} FILE, or leave ${flag} out`);
  }
  if (given('start') && o.metrics === undefined && o.accessLog === undefined && o.traces === undefined && o.serveMetrics === undefined) {
    throw new CliError('--start dates the metrics, access log and traces, and none is asked for: it would change nothing', 'add --metrics, --access-log, --traces or --serve-metrics, or leave --start out');
  }
  const seen = new Map<string, string>();
  for (const [key, flag] of FILE_FLAGS) {
    const path = o[key];
    if (typeof path !== 'string') continue;
    const file = sameFileKey(path);
    const other = seen.get(file);
    if (other !== undefined) throw new CliError(`${other} and ${flag} name the same file (${path}): the second would replace the first`, 'give each output a file of its own');
    seen.set(file, flag);
  }
}

/** A path as the file it names: resolved, and through symbolic links when it exists. */
function sameFileKey(path: string): string {
  const full = resolve(path);
  try {
    return realpathSync(full);
  } catch {
    return full;
  }
}

/** Whether the outputs asked for are written on a thread of their own: any file, unless `--serve-metrics` reads the writers as the run goes (and the CLI is built). */
function writersThreadWanted(o: SimulateFlags): boolean {
  return (o.metrics !== undefined || o.accessLog !== undefined || o.traces !== undefined) && o.serveMetrics === undefined && TelemetryThread.available();
}

/**
 * The files and live endpoint `--metrics`, `--access-log`, `--traces` and
 * `--serve-metrics` ask for, as the run's telemetry options; none asked, the
 * run builds no events (the engine only counts). The writers run on
 * `thread` when `runSimulate` started one (`writersThreadWanted`), else in
 * the run's thread.
 */
function openOutputs(o: SimulateFlags, thread: TelemetryThread | undefined): { options: Pick<SimulateOptions, 'telemetry' | 'slice'>; close(): Promise<void>; abandon(): Promise<void> } {
  const files: FileSink[] = [];
  const open = (path: string | undefined, flag: string): FileSink | undefined => {
    if (path === undefined) return undefined;
    const sink = new FileSink(path, flag);
    files.push(sink);
    return sink;
  };
  const closeFiles = (): void => {
    for (const f of files.splice(0)) f.close();
  };
  const close = async (): Promise<void> => {
    try {
      await thread?.done();
    } finally {
      closeFiles();
    }
  };
  const abandon = async (): Promise<void> => {
    try {
      await thread?.stop();
    } finally {
      closeFiles();
    }
  };
  try {
    const metrics = open(o.metrics, '--metrics');
    const log = open(o.accessLog, '--access-log');
    const traces = open(o.traces, '--traces');
    if (!metrics && !log && !traces && !o.serveMetrics) return { options: {}, close, abandon };
    const now = Date.now();
    // The live endpoint reads the writers' series as the run goes: they stay in this thread then.
    const offThread = thread !== undefined;
    thread?.writeTo({ metrics, accessLog: log, traces });
    return {
      options: {
        telemetry: {
          // By default the run ends now: its metrics, logs and spans read as if it had just happened.
          startMs: o.start ?? ((horizon: Micros) => Math.floor((now - horizon / 1000) / 1000) * 1000),
          ...(metrics ? { metricsFile: { write: offThread ? undefined : metrics.write, scrapeInterval: o.scrapeInterval ?? 15_000_000 } } : {}),
          liveMetrics: o.serveMetrics !== undefined,
          ...(log ? { accessLog: offThread ? { format: o.accessLogFormat ?? 'text' } : { write: log.write, writeBytes: log.writeBytes, format: o.accessLogFormat ?? 'text' } } : {}),
          ...(traces ? { traces: { write: offThread ? undefined : traces.write, samplingPercent: o.traceSampling ?? 1 } } : {}),
          ...(thread ? { remote: thread.open.bind(thread) } : {}),
        },
        // A paced run advances a tenth of a wall second at a time, so /metrics moves smoothly.
        ...(o.pace !== undefined ? { slice: Math.max(1_000, Math.round(100_000 * o.pace)) } : {}),
      },
      close,
      abandon,
    };
  } catch (error) {
    closeFiles();
    throw error;
  }
}
