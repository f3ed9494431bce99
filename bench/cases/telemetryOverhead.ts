import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulation } from '../../src/api/index.ts';
import type { SimulateOptions } from '../../src/api/index.ts';
import { FileSink } from '../../src/cli/FileSink.ts';
import { formatNumber, median, spread } from '../stats.ts';
import type { Figures } from './Figures.ts';
import { builtIn, firstTraffic, openLoop, requestHops, withTraffic } from './session.ts';

/** Bookinfo's rate in this case (the instruction counts run the same). */
export const RPS = 200;
const SECONDS = 600;
const ROUNDS = 5;
/** The long run whose heap is read: an hour of simulated time with every output on. */
const LONG_SECONDS = 3600;

/** An output set: which outputs a run writes (metrics every 15 s; traces at `sampling` %). */
interface OutputSet {
  label: string;
  metrics?: boolean;
  log?: 'text' | 'json';
  sampling?: number;
  /** A sink that reads every event instead (the engine's cost of building them). */
  sink?: boolean;
}

const SETS: OutputSet[] = [
  { label: 'all on (metrics, log text, traces 1 %)', metrics: true, log: 'text', sampling: 1 },
  { label: 'all on, log as JSON', metrics: true, log: 'json', sampling: 1 },
  { label: 'all on, traces at 100 %', metrics: true, log: 'text', sampling: 100 },
  { label: 'metrics only', metrics: true },
  { label: 'access log only, text', log: 'text' },
  { label: 'access log only, JSON', log: 'json' },
  { label: 'traces only, 1 %', sampling: 1 },
  { label: 'traces only, 100 %', sampling: 100 },
  { label: 'metrics and traces 1 %, no log', metrics: true, sampling: 1 },
  { label: 'a sink reading nothing (events built)', sink: true },
];

/**
 * Bookinfo at 200 rps for 10 simulated minutes through `runSimulation` as
 * `meshviz simulate` runs it, written to files in a temporary directory.
 * Each round runs every output set once, each right after a run without
 * outputs, in one process; each is timed in CPU seconds (user + system, so
 * other work on the machine counts less) and its ratio is taken to the run
 * without outputs just before it: the figures are the median of those
 * ratios over the rounds and their range (min–max), with the MiB written. Then one hour of simulated time
 * with every output on, the heap read after each sixth of it (flat: the
 * outputs stream and hold only series and requests in flight).
 */
export function telemetryOverhead(): Figures {
  const session = builtIn('bookinfo');
  const loaded = withTraffic(session, [openLoop(firstTraffic(session), RPS, SECONDS)]);
  const dir = mkdtempSync(join(tmpdir(), 'meshviz-bench-telemetry-'));
  try {
    const off: number[] = [];
    const ratios = SETS.map(() => [] as number[]);
    const bytes = SETS.map(() => 0);
    let hops = 0;
    for (let round = 0; round < ROUNDS; round++) {
      SETS.forEach((set, i) => {
        const base = timed(() => (hops = run(loaded, {}).hops));
        off.push(base);
        const seconds = timed(() => (bytes[i] = withFiles(dir, set, (options) => run(loaded, options)).bytes));
        (ratios[i] as number[]).push(seconds / base);
      });
    }
    const figures: Figures = {
      'request-hops per run': formatNumber(hops),
      'outputs off: CPU s': spread(off, 2),
    };
    SETS.forEach((set, i) => {
      figures[`${set.label} ÷ off`] = `${spread(ratios[i] as number[], 2)}×${bytes[i] ? `, ${formatNumber((bytes[i] as number) / 2 ** 20, 1)} MiB` : ''}`;
    });
    const long = withTraffic(session, [openLoop(firstTraffic(session), RPS, LONG_SECONDS)]);
    const heap = withFiles(dir, SETS[0] as OutputSet, (options) => run(long, options, 6)).heap;
    figures['heap per sixth of an hour, all on, MiB'] = heap.map((h) => formatNumber(h / 2 ** 20, 1)).join(', ');
    figures['all on ÷ off (median)'] = `${formatNumber(median(ratios[0] as number[]), 2)}×`;
    return figures;
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

/** Runs with the set's outputs going to files in `dir`; the files' total size and the run's heap readings. */
function withFiles(dir: string, set: OutputSet, work: (options: SimulateOptions) => { heap: number[] }): { bytes: number; heap: number[] } {
  if (set.sink) return { bytes: 0, heap: work({ sink: () => undefined }).heap };
  const paths = ['run.om', 'access.log', 'traces.jsonl'].map((f) => join(dir, f));
  const [metrics, log, traces] = paths.map((p) => new FileSink(p, 'bench')) as [FileSink, FileSink, FileSink];
  let heap: number[];
  try {
    heap = work({
      telemetry: {
        startMs: 0,
        ...(set.metrics ? { metricsFile: { write: metrics.write, scrapeInterval: 15_000_000 } } : {}),
        ...(set.log ? { accessLog: { write: log.write, writeBytes: log.writeBytes, format: set.log } } : {}),
        ...(set.sampling !== undefined ? { traces: { write: traces.write, samplingPercent: set.sampling } } : {}),
      },
    }).heap;
  } finally {
    for (const f of [metrics, log, traces]) f.close();
  }
  return { bytes: paths.reduce((n, p) => n + statSync(p).size, 0), heap };
}

/** Runs to the end; with `parts`, the heap (after a full GC) each time another `1 / parts` of the traffic's time has passed. */
function run(session: ReturnType<typeof builtIn>, options: SimulateOptions, parts = 0): { hops: number; heap: number[] } {
  const simulation = startSimulation(session, options);
  const heap: number[] = [];
  let part = 1;
  while (simulation.advance()) {
    if (parts > 0 && part <= parts && simulation.now >= (part * simulation.horizon) / parts) {
      global.gc?.();
      heap.push(process.memoryUsage().heapUsed);
      part += 1;
    }
  }
  return { hops: requestHops(simulation.report().pods), heap };
}
