import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatNumber, spread } from '../stats.ts';
import { bookinfoAt } from './bookinfoHour.ts';
import { runCli } from './cli.ts';
import type { CliRun, ThreadCpu } from './cli.ts';
import type { Figures } from './Figures.ts';

/** How one telemetry-overhead case runs: Bookinfo at 200 rps for `duration`, `rounds` times, with the access-log formats named. */
interface OverheadRuns {
  duration: string;
  rounds: number;
  formats: ReadonlyArray<'text' | 'json'>;
}

/**
 * What every output costs a user: `meshviz simulate` on Bookinfo at 200 rps
 * for 10 simulated minutes as whole processes, without outputs and with
 * all of them (`--metrics`, `--access-log` as text or JSON, `--traces` at
 * 1 %), alternating, 5 rounds. The CLI runs the writers on a thread of
 * their own, so the wall time is what a user waits and the CPU time
 * (user + system, both threads) what the machine spends; each ratio is
 * taken to the run without outputs just before it. A second core must be
 * free for the thread to pay: the load average is printed with the figures.
 * Each thread's CPU time is read too (the run's thread, the writers', the file writer's, V8's
 * own), and from their sum the least wall time the machine's cores allow:
 * with every core busy the whole run, the sum divided by the cores; and
 * the least a machine with a core for each thread would allow: the CPU
 * time of the busiest of the run's thread, the writers' and the file
 * writer's (which copies the files' bytes to the system).
 */
export const telemetryOverheadCli = (): Promise<Figures> => overhead({ duration: '600s', rounds: 5, formats: ['text', 'json'] });

/**
 * The same over an hour of simulated time, with a text log, 3 rounds: the
 * start-up's share is small there, so what each thread spends per request
 * sets the ratio (about 1 GB is written per round with outputs on).
 */
export const telemetryOverheadHour = (): Promise<Figures> => overhead({ duration: '3600s', rounds: 3, formats: ['text'] });

async function overhead({ duration, rounds, formats }: OverheadRuns): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), 'meshviz-bench-telemetry-cli-'));
  try {
    const file = join(dir, 'bookinfo-200rps.yaml');
    writeFileSync(file, bookinfoAt(200, duration));
    const outputs = (format: 'text' | 'json') => ['--metrics', join(dir, 'run.om'), '--access-log', join(dir, 'access.log'), '--access-log-format', format, '--traces', join(dir, 'traces.jsonl'), '--trace-sampling', '1'];
    const sets = { text: outputs('text'), json: outputs('json') };
    const off = { wall: [] as number[], cpu: [] as number[] };
    const ratios = { text: { wall: [] as number[], cpu: [] as number[] }, json: { wall: [] as number[], cpu: [] as number[] } };
    const threadsOff: ThreadCpu[] = [];
    const threadsOn: ThreadCpu[] = [];
    const floors: number[] = [];
    /** The least wall time with a core for each thread: the busiest of the run's thread, the writers' and the file writer's. */
    const ownCores: number[] = [];
    const cores = availableParallelism();
    let written = 0;
    for (let round = 0; round < rounds; round++) {
      for (const format of formats) {
        // Threads are read for the text rounds only: reading /proc costs the machine a little while the CLI runs.
        const threads = format === 'text';
        const base = await runCli(['simulate', file, '-o', 'json'], { threads });
        const on = await runCli(['simulate', file, '-o', 'json', ...sets[format]], { threads });
        if (threads) {
          threadsOff.push(threadsOf(base));
          threadsOn.push(threadsOf(on));
          floors.push(sum(threadsOf(on)) / cores / base.wallSeconds);
          ownCores.push(Math.max(threadsOf(on).main, ...threadsOf(on).eachWorker) / base.wallSeconds);
        }
        off.wall.push(base.wallSeconds);
        off.cpu.push(base.cpuSeconds);
        ratios[format].wall.push(on.wallSeconds / base.wallSeconds);
        ratios[format].cpu.push(on.cpuSeconds / base.cpuSeconds);
        if (format === 'text') written = ['run.om', 'access.log', 'traces.jsonl'].reduce((n, f) => n + statSync(join(dir, f)).size, 0);
      }
    }
    return {
      'outputs off: wall s, CPU s': `${spread(off.wall, 2)}, ${spread(off.cpu, 2)}`,
      'all on (log text) ÷ off: wall': `${spread(ratios.text.wall, 2)}×`,
      'all on (log text) ÷ off: CPU': `${spread(ratios.text.cpu, 2)}×`,
      ...(formats.includes('json')
        ? {
            'all on (log JSON) ÷ off: wall': `${spread(ratios.json.wall, 2)}×`,
            'all on (log JSON) ÷ off: CPU': `${spread(ratios.json.cpu, 2)}×`,
          }
        : {}),
      ...(named(threadsOn)
        ? {
            'outputs off: CPU s, run thread / V8 threads': `${spread(threadsOff.map((t) => t.main), 2)} / ${spread(threadsOff.map((t) => t.v8), 2)}`,
            'all on (log text): CPU s, run / writers / files / V8': `${spread(threadsOn.map((t) => t.main), 2)} / ${spread(threadsOn.map((t) => t.eachWorker[0] ?? 0), 2)} / ${spread(threadsOn.map((t) => t.eachWorker[1] ?? 0), 2)} / ${spread(threadsOn.map((t) => t.v8), 2)}`,
          }
        : { 'CPU s by thread': 'not known: this Node does not name its threads (22 and later do)' }),
      [`all on (log text): least wall ÷ off (CPU ÷ ${cores} cores)`]: `${spread(floors, 2)}×`,
      ...(named(threadsOn) ? { 'all on (log text): least wall ÷ off (a core per thread)': `${spread(ownCores, 2)}×` } : {}),
      'MiB written (log text)': formatNumber(written / 2 ** 20, 1),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function threadsOf(run: CliRun): ThreadCpu {
  if (!run.threads) throw new Error('the run was not asked for its threads');
  return run.threads;
}

/** Whether the runs' threads had the names Node gives them (`MainThread`, `WorkerThread`): Node 20 leaves them all `node`. */
function named(runs: readonly ThreadCpu[]): boolean {
  return runs.every((t) => t.main > 0);
}

function sum(t: ThreadCpu): number {
  return t.main + t.workers + t.v8 + t.other;
}
