import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulation } from '../../src/api/index.ts';
import type { SimulateOptions } from '../../src/api/index.ts';
import { FileSink } from '../../src/cli/FileSink.ts';
import { formatNumber, median } from '../stats.ts';
import type { Figures } from './Figures.ts';
import { builtIn, firstTraffic, openLoop, requestHops, withTraffic } from './session.ts';

const RPS = 200;
const SECONDS = 600;
const ROUNDS = 3;

/**
 * Bookinfo at 200 rps for 10 simulated minutes through `runSimulation` as
 * `meshviz simulate` runs it, rounds alternating between no outputs and
 * every output on (`--metrics` with 15 s scrapes, `--access-log`,
 * `--traces` at Istio's default 1 % and at 100 %; and without the access
 * log), written to files in a temporary directory, timed in CPU seconds
 * (user + system, so other work on the machine does not count); and with a sink that
 * reads nothing, the engine's own cost of building the events the outputs
 * read. Also the heap after each quarter of a run with every
 * output on (flat: the outputs stream and hold only series and requests in flight).
 */
export function telemetryOverhead(): Figures {
  const session = builtIn('bookinfo');
  const loaded = withTraffic(session, [openLoop(firstTraffic(session), RPS, SECONDS)]);
  const dir = mkdtempSync(join(tmpdir(), 'meshviz-bench-telemetry-'));
  try {
    const off: number[] = [];
    const on: number[] = [];
    const full: number[] = [];
    const noLog: number[] = [];
    const sinkOnly: number[] = [];
    let hops = 0;
    let bytes = 0;
    let heap: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      off.push(timed(() => (hops = run(loaded, {}).hops)));
      sinkOnly.push(timed(() => run(loaded, { sink: () => undefined })));
      on.push(timed(() => ({ bytes, heap } = withFiles(dir, 1, (options) => run(loaded, options)))));
      full.push(timed(() => withFiles(dir, 100, (options) => run(loaded, options))));
      noLog.push(timed(() => withFiles(dir, 1, (options) => run(loaded, { telemetry: { ...options.telemetry, accessLog: undefined } as SimulateOptions['telemetry'] }))));
    }
    return {
      'request-hops per run': formatNumber(hops),
      'outputs off: CPU s (median of 3)': formatNumber(median(off), 2),
      'a sink that reads nothing (events built): CPU s, ÷ off': `${formatNumber(median(sinkOnly), 2)}, ${formatNumber(median(sinkOnly) / median(off), 2)}×`,
      'all outputs on, traces 1 %: CPU s, ÷ off': `${formatNumber(median(on), 2)}, ${formatNumber(median(on) / median(off), 2)}×`,
      'all outputs on, traces 100 %: CPU s, ÷ off': `${formatNumber(median(full), 2)}, ${formatNumber(median(full) / median(off), 2)}×`,
      'metrics and traces 1 %, no access log: CPU s, ÷ off': `${formatNumber(median(noLog), 2)}, ${formatNumber(median(noLog) / median(off), 2)}×`,
      'files written (traces 1 %), MiB': formatNumber(bytes / 2 ** 20, 1),
      'heap after each quarter (outputs on), MiB': heap.map((h) => formatNumber(h / 2 ** 20, 1)).join(', '),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** CPU seconds (user + system) the work took: on a shared machine, what a ratio between runs should be taken of. */
function timed(work: () => unknown): number {
  global.gc?.();
  const start = process.cpuUsage();
  work();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

/** Runs with every output going to a file in `dir`; the files' total size and the heap at each quarter of virtual time. */
function withFiles(dir: string, sampling: number, work: (options: SimulateOptions) => { heap: number[] }): { bytes: number; heap: number[] } {
  const paths = ['run.om', 'access.log', 'traces.jsonl'].map((f) => join(dir, f));
  const [metrics, log, traces] = paths.map((p) => new FileSink(p, 'bench')) as [FileSink, FileSink, FileSink];
  let heap: number[];
  try {
    heap = work({
      telemetry: {
        startMs: 0,
        metricsFile: { write: metrics.write, scrapeInterval: 15_000_000 },
        accessLog: { write: log.write, format: 'text' },
        traces: { write: traces.write, samplingPercent: sampling },
      },
    }).heap;
  } finally {
    for (const f of [metrics, log, traces]) f.close();
  }
  return { bytes: paths.reduce((n, p) => n + statSync(p).size, 0), heap };
}

function run(session: ReturnType<typeof builtIn>, options: SimulateOptions): { hops: number; heap: number[] } {
  const simulation = startSimulation(session, options);
  const heap: number[] = [];
  let quarter = 1;
  while (simulation.advance()) {
    if (simulation.now >= (quarter * simulation.horizon) / 4) {
      global.gc?.();
      heap.push(process.memoryUsage().heapUsed);
      quarter += 1;
    }
  }
  return { hops: requestHops(simulation.report().pods), heap };
}
