import { readFileSync } from 'node:fs';
import { openSession, runSimulation } from '../src/api/index.ts';
import type { Session } from '../src/api/index.ts';
import { Simulation } from '../src/engine/index.ts';
import type { TrafficSpec } from '../src/model/index.ts';

/** Each case runs in its own process (see run.ts) and returns plain figures. */
export type BenchCase = () => Record<string, number | string>;

function builtIn(name: string): Session {
  const opened = openSession([{ name, text: readFileSync(new URL(`../scenarios/${name}.yaml`, import.meta.url), 'utf8') }]);
  if (!opened.ok) throw new Error(opened.diagnostics.map((d) => d.message).join('\n'));
  return opened.session;
}

function withTraffic(session: Session, traffic: TrafficSpec[]): Session {
  return { ...session, scenario: { ...session.scenario, simulation: { ...session.scenario.simulation, traffic } } };
}

function openLoop(base: TrafficSpec, rps: number, seconds: number): TrafficSpec {
  return { ...base, load: { kind: 'open', rps, duration: seconds * 1_000_000 } };
}

/** The default mesh (retries and outlier detection on, users-v1 failing 15–45 s) at 1,000 rps for 60 s. */
export const throughput: BenchCase = () => {
  const session = builtIn('default');
  const base = session.scenario.simulation.traffic[0] as TrafficSpec;
  const start = process.hrtime.bigint();
  // As `meshviz simulate` runs it: counters, no event objects.
  const report = runSimulation(withTraffic(session, [openLoop(base, 1000, 60)]));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const events = report.events;
  const hops = report.pods.reduce((n, p) => n + p.received, 0);
  return {
    requests: report.requests.total,
    events,
    requestHops: hops,
    wallSeconds: round(seconds),
    eventsPerSecond: Math.round(events / seconds),
    requestHopsPerSecond: Math.round(hops / seconds),
  };
};

/** Heap held per request in flight: a slow backend (5 s) fed at a rate that keeps N requests open. */
function inFlightMemory(rps: number): BenchCase {
  return () => {
    const session = builtIn('default');
    const base = session.scenario.simulation.traffic[0] as TrafficSpec;
    const scenario = withTraffic(session, [{ ...openLoop(base, rps, 20), from: 'api', host: 'db', port: 8080, path: '/slow' }]).scenario;
    const db = scenario.simulation.workloads['db'];
    const slow = { ...scenario.simulation, workloads: { ...scenario.simulation.workloads, db: { ...(db as NonNullable<typeof db>), latency: { kind: 'fixed' as const, value: 5_000_000 } } }, timeline: [] };
    const sim = new Simulation({ scenario: { ...scenario, simulation: slow }, xds: session.xds, resolve: session.resolve });
    gc();
    const before = process.memoryUsage().heapUsed;
    sim.scheduleScenario();
    sim.runUntil(10_000_000);
    gc();
    const after = process.memoryUsage().heapUsed;
    return { rps, inFlight: sim.inFlight, heapMiB: round((after - before) / 2 ** 20), bytesPerRequestInFlight: Math.round((after - before) / sim.inFlight) };
  };
}

export const memoryLight = inFlightMemory(60);
export const memoryHeavy = inFlightMemory(5000);

/** One hour of Bookinfo at 1,000 rps: wall time and peak resident memory. */
export const bookinfoHour: BenchCase = () => {
  const session = builtIn('bookinfo');
  const base = session.scenario.simulation.traffic[0] as TrafficSpec;
  let peak = process.memoryUsage().rss;
  const start = process.hrtime.bigint();
  const report = runSimulation(withTraffic(session, [openLoop(base, 1000, 3600)]), {
    progress: () => void (peak = Math.max(peak, process.memoryUsage().rss)),
  });
  peak = Math.max(peak, process.memoryUsage().rss);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const events = report.events;
  return { requests: report.requests.total, events, wallSeconds: round(seconds), eventsPerSecond: Math.round(events / seconds), peakRssMiB: round(peak / 2 ** 20) };
};

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}
