import { runSimulation } from '../../src/api/index.ts';
import { Simulation } from '../../src/engine/index.ts';
import type { Session } from '../../src/api/index.ts';
import { ReferenceLoop } from '../reference/referenceLoop.ts';
import { formatNumber, median, secondsSince, spread } from '../stats.ts';
import type { Figures } from './Figures.ts';
import { builtIn, firstTraffic, openLoop, requestHops, withTraffic } from './session.ts';

/** The case's traffic and the reference loop's seed (the instruction counts run the same). */
export const RPS = 1000;
const SECONDS = 60;
const ROUNDS = 5;
/** A round repeats the 60 s run until this much wall time has passed, so short runs still time well. */
const MIN_ROUND_SECONDS = 1;
export const REFERENCE_SEED = 42;

/**
 * The default mesh (retries and outlier detection on, users-v1 failing
 * 15–45 s) at 1,000 rps for 60 s, as `meshviz simulate` runs it (counters,
 * no event objects), against the reference loop of the same request shape.
 * Engine and reference alternate in one process after a warm-up round of each.
 */
export function throughput(): Figures {
  const mesh = builtIn('default');
  const session = withTraffic(mesh, [openLoop(firstTraffic(mesh), RPS, SECONDS)]);
  const reference = new ReferenceLoop();
  let events = 0;
  let engineHops = 0;
  const engineRun = (): number => {
    const report = runSimulation(session);
    events = report.events;
    engineHops = requestHops(report.pods);
    return engineHops;
  };
  let referenceHops = 0;
  let referenceTasks = 0;
  const referenceRun = (): number => {
    const result = reference.run(RPS, SECONDS, REFERENCE_SEED);
    referenceHops = result.requestHops;
    referenceTasks = result.tasks;
    return result.requestHops;
  };

  round(engineRun);
  round(referenceRun);
  const engine: Round[] = [];
  const ref: Round[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    engine.push(round(engineRun));
    ref.push(round(referenceRun));
  }
  const ratios = engine.map((e, i) => e.hopsPerSecond / (ref[i] as Round).hopsPerSecond);
  const cpuRatios = engine.map((e, i) => e.hopsPerCpuSecond / (ref[i] as Round).hopsPerCpuSecond);
  const engineTasks = countTasks(session);
  return {
    'request-hops per 60 s run (engine / reference)': `${formatNumber(engineHops)} / ${formatNumber(referenceHops)}`,
    'queue tasks per hop (engine / reference)': `${formatNumber(engineTasks / engineHops, 2)} / ${formatNumber(referenceTasks / referenceHops, 2)}`,
    'engine request-hops/s, median (min–max)': spread(engine.map((r) => r.hopsPerSecond)),
    'engine mesh events/s (as a sink would see them), median': formatNumber(median(engine.map((r) => (r.hopsPerSecond * events) / engineHops))),
    'reference request-hops/s, median (min–max)': spread(ref.map((r) => r.hopsPerSecond)),
    'engine ÷ reference, median of rounds (min–max)': spread(ratios, 3),
    // On a shared machine other processes take the CPU away mid-round; time on the CPU does not count that.
    'engine request-hops per CPU-second, median (min–max)': spread(engine.map((r) => r.hopsPerCpuSecond)),
    'reference request-hops per CPU-second, median (min–max)': spread(ref.map((r) => r.hopsPerCpuSecond)),
    'engine ÷ reference per CPU-second, median (min–max)': spread(cpuRatios, 3),
    'runs per round (engine / reference)': `${engine.map((r) => r.runs).join(',')} / ${ref.map((r) => r.runs).join(',')}`,
  };
}

interface Round {
  hopsPerSecond: number;
  /** Per second of CPU time this process used (the main thread and the garbage collector's helpers). */
  hopsPerCpuSecond: number;
  runs: number;
}

/** Repeats `run` (which returns the hops it made) until MIN_ROUND_SECONDS have passed. */
function round(run: () => number): Round {
  const start = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  let hops = 0;
  let runs = 0;
  let seconds = 0;
  do {
    hops += run();
    runs += 1;
    seconds = secondsSince(start);
  } while (seconds < MIN_ROUND_SECONDS);
  const used = process.cpuUsage(cpu);
  return { hopsPerSecond: hops / seconds, hopsPerCpuSecond: hops / ((used.user + used.system) / 1e6), runs };
}

/** Queue tasks the engine handles for one run (untimed; drives the engine a task at a time, as `runSimulation` does). */
function countTasks(session: Session): number {
  const sim = new Simulation({ scenario: session.scenario, xds: session.xds, resolve: session.resolve });
  sim.scheduleScenario();
  const limit = (SECONDS + 60) * 1_000_000;
  let tasks = 0;
  for (let next = sim.nextTaskTime(); !sim.idle && next !== undefined && next <= limit; next = sim.nextTaskTime()) {
    sim.step();
    tasks += 1;
  }
  return tasks;
}
