import { execFile, execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';

/**
 * Instruction counts of whole workloads (`workloads.ts`), by valgrind's
 * cachegrind, with V8 in its predictable mode (`--predictable`: one thread,
 * no background compiling or collecting, nothing decided by the clock), so
 * the same run counts the same to within a few hundred instructions in
 * billions. A shared machine's speed drifts by tens of percent from minute
 * to minute; the instructions a piece of work executes do not.
 */

/** A workload's count: the instructions of the whole process and the work it did (request-hops or requests). */
export interface Count {
  instructions: number;
  work: number;
}

/**
 * The cost per unit of work in steady state: the slope between a run and a
 * longer one of the same traffic, over the work the longer one added.
 * Start-up, loading and compiling cancel out as long as the shorter run is
 * past them: V8 is still compiling well into the first minute of a run
 * (the slope from 30 to 60 s of the throughput case's traffic is a third
 * above the one from 60 to 120 s), while longer stretches agree within 2 %.
 * Running the same work again in one process is no steadier: a later run
 * pays for the earlier one's garbage, and after a full collection V8
 * compiles again.
 */
export function perUnit(short: Count, long: Count): number {
  const work = long.work - short.work;
  if (!(work > 0)) throw new Error(`the longer run did no more work than the shorter one (${short.work} and ${long.work})`);
  return (long.instructions - short.instructions) / work;
}

/** What the shorter run spent besides its steady-state work (start-up, loading, compiling). */
export function fixedPart(short: Count, unit: number): number {
  return short.instructions - unit * short.work;
}

/** The total from cachegrind's summary line (`==123== I   refs:      5,240,794,978`). */
export function instructionsOf(report: string): number {
  const line = /^==\d+== I\s+refs:\s+([\d,]+)\s*$/m.exec(report);
  if (!line) throw new Error(`no instruction count in valgrind's output:\n${report.trim().split('\n').slice(-5).join('\n')}`);
  return Number((line[1] as string).replaceAll(',', ''));
}

/** Whether valgrind is installed (Debian: `apt-get install -y valgrind`). */
export function valgrindAvailable(): boolean {
  try {
    execFileSync('valgrind', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Counts every `[workload, seconds of traffic]` process, as many at once as the machine has cores (a count does not depend on the others). */
export async function countAll(runs: ReadonlyArray<readonly [string, number]>, node = process.execPath): Promise<Count[]> {
  if (!valgrindAvailable()) throw new Error('the instruction counts need valgrind (Debian: apt-get install -y valgrind)');
  // tsx keeps the sources it has compiled in a cache: after an edit, counts started together would race to fill it and pay for it unevenly.
  process.stderr.write('  compiling the workloads once, uncounted…\n');
  execFileSync(node, ['--no-deprecation', '--import', 'tsx', WORKLOADS, runs[0]?.[0] ?? 'telemetry-off', '1'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const counts = new Array<Count>(runs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < runs.length; i = next++) {
      const [workload, seconds] = runs[i] as readonly [string, number];
      process.stderr.write(`  counting ${workload} with ${seconds} s of traffic under valgrind…\n`);
      counts[i] = await count(workload, seconds, node);
    }
  };
  await Promise.all(Array.from({ length: Math.min(availableParallelism(), runs.length) }, worker));
  return counts;
}

/** The program's own lines of a valgrind run's standard error (valgrind's start with `==pid==` or `--pid--`), the last ten. */
export function programOutput(stderr: string): string {
  return stderr
    .split('\n')
    .filter((line) => !/^(==|--)\d+(==|--)/.test(line) && line.trim() !== '')
    .slice(-10)
    .join('\n');
}

const WORKLOADS = fileURLToPath(new URL('./workloads.ts', import.meta.url));

function count(workload: string, seconds: number, node: string): Promise<Count> {
  const args = ['--tool=cachegrind', '--cache-sim=no', '--cachegrind-out-file=/dev/null', node, '--predictable', '--no-deprecation', '--import', 'tsx', WORKLOADS, workload, String(seconds)];
  return new Promise((resolve, reject) => {
    execFile('valgrind', args, { encoding: 'utf8', maxBuffer: 16 * 2 ** 20 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`${workload} with ${seconds} s of traffic failed under valgrind (exit ${error.code ?? error.signal}):\n${programOutput(stderr)}`));
      try {
        const { work } = JSON.parse(stdout.trim().split('\n').pop() as string) as { work: number };
        resolve({ instructions: instructionsOf(stderr), work });
      } catch (problem) {
        reject(problem);
      }
    });
  });
}
