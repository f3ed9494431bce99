import { Simulation } from '../../src/engine/index.ts';
import { formatNumber, secondsSince } from '../stats.ts';
import type { BenchCase } from './Figures.ts';
import { builtIn, firstTraffic, openLoop, requestHops, withTraffic } from './session.ts';

const SECOND = 1_000_000;
/** The backend's service time: rps × this is the number of requests in flight. */
const SLOW = 5 * SECOND;
/** Heap is measured here, once in-flight requests have reached their steady number. */
const SETTLED = 10 * SECOND;
/** Hops timed after SETTLED, at the same in-flight level (the window is at least 10 s of virtual time). */
const TIMED_HOPS = 100_000;

/**
 * A slow backend (db answers in 5 s) fed from api at `rps`, so rps × 5
 * requests stay open: heap held per request in flight, then the engine's
 * throughput at that level.
 */
export function inFlight(rps: number): BenchCase {
  return () => {
    const session = builtIn('default');
    const window = Math.max(10 * SECOND, Math.ceil((TIMED_HOPS / rps) * SECOND));
    const seconds = (SETTLED + window) / SECOND + 1;
    const scenario = withTraffic(session, [{ ...openLoop(firstTraffic(session), rps, seconds), from: 'api', host: 'db', port: 8080, path: '/slow' }]).scenario;
    const db = scenario.simulation.workloads['db'];
    if (!db) throw new Error('the default mesh has no db workload');
    const slow = { ...scenario.simulation, workloads: { ...scenario.simulation.workloads, db: { ...db, latency: { kind: 'fixed' as const, value: SLOW } } }, timeline: [] };
    const make = () => new Simulation({ scenario: { ...scenario, simulation: slow }, xds: session.xds, resolve: session.resolve });
    {
      // A first run, thrown away, so compiled code and one-time caches are not counted as the requests' memory.
      const warm = make();
      warm.scheduleScenario();
      warm.runUntil(SETTLED);
    }
    const sim = make();
    gc();
    const before = process.memoryUsage().heapUsed;
    sim.scheduleScenario();
    sim.runUntil(SETTLED);
    gc();
    const after = process.memoryUsage().heapUsed;
    const inFlightAtSettled = sim.inFlight;

    const hopsBefore = requestHops(sim.state.pods);
    const start = process.hrtime.bigint();
    sim.runUntil(SETTLED + window);
    const wall = secondsSince(start);
    const hops = requestHops(sim.state.pods) - hopsBefore;
    return {
      rps,
      'requests in flight': formatNumber(inFlightAtSettled),
      'heap MiB': formatNumber((after - before) / 2 ** 20, 1),
      'bytes per request in flight': formatNumber((after - before) / inFlightAtSettled),
      'request-hops/s at that level': `${formatNumber(hops / wall)} (${formatNumber(hops)} hops in ${formatNumber(wall, 2)} s, ${formatNumber(window / SECOND)} s simulated)`,
    };
  };
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}
