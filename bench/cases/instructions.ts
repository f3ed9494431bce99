import { countAll, fixedPart, perUnit } from '../instructions/cachegrind.ts';
import type { Count } from '../instructions/cachegrind.ts';
import { formatNumber } from '../stats.ts';
import type { Figures } from './Figures.ts';

/**
 * The throughput case in instructions instead of seconds: its engine and
 * its reference loop under valgrind, each with 60 and with 120 s of the
 * case's traffic; what the second minute adds is the steady state's cost
 * per request-hop (healthy traffic: users-v1 fails from 15 to 45 s).
 * `reference ÷ engine` is the timed case's `engine ÷ reference` as it would
 * be if both ran at the same instructions per cycle — a figure a shared
 * machine's drift cannot move.
 */
export async function throughputInstructions(): Promise<Figures> {
  const [engine60, engine120, reference60, reference120] = (await countAll([
    ['engine', 60],
    ['engine', 120],
    ['reference', 60],
    ['reference', 120],
  ])) as [Count, Count, Count, Count];
  const engine = perUnit(engine60, engine120);
  const reference = perUnit(reference60, reference120);
  return {
    'request-hops from 60 to 120 s (engine / reference)': `${formatNumber(engine120.work - engine60.work)} / ${formatNumber(reference120.work - reference60.work)}`,
    'engine instructions per request-hop': formatNumber(engine),
    'reference instructions per request-hop': formatNumber(reference),
    'reference ÷ engine, instructions per hop': formatNumber(reference / engine, 3),
    'engine, M instructions at 60 / 120 s': `${formatNumber(engine60.instructions / 1e6)} / ${formatNumber(engine120.instructions / 1e6)}`,
    'engine, of which start-up, compiling, failure (M)': formatNumber(fixedPart(engine60, engine) / 1e6),
  };
}

/** The telemetry workloads, their labels, in the order they are reported. */
const TELEMETRY = ['telemetry-off', 'telemetry-local', 'telemetry-encoder', 'telemetry-wire'] as const;
const SHORT = 120;
const LONG = 240;

/**
 * What every output costs in instructions: Bookinfo at 200 rps, without
 * outputs and with every one (metrics every 15 s, the access log as text,
 * spans at 1 %), per request in steady state: what the third and fourth
 * minutes of traffic add to a run of two.
 * `meshviz simulate` splits the work over two threads: its run's thread
 * writes the engine's telemetry calls onto the wire (`telemetry-encoder`),
 * its outputs' thread decodes them, records and writes (the whole work,
 * `telemetry-wire`, less the run's thread). With a core free for each thread, the run's
 * thread bounds the wall time.
 */
export async function telemetryInstructions(): Promise<Figures> {
  const counts = await countAll(TELEMETRY.flatMap((w) => [[w, SHORT] as const, [w, LONG] as const]));
  const unit = (i: number): number => perUnit(counts[2 * i] as Count, counts[2 * i + 1] as Count);
  const [off, local, encoder, wire] = TELEMETRY.map((_, i) => unit(i)) as [number, number, number, number];
  const ratio = (x: number): string => `${formatNumber(x / off, 2)}×`;
  const added = (x: number): string => `${formatNumber((100 * x) / off)} % of off`;
  return {
    'requests from 120 to 240 s': formatNumber((counts[1] as Count).work - (counts[0] as Count).work),
    'outputs off: instructions per request': formatNumber(off),
    'writers in the run\'s thread (visualizer, API) ÷ off': ratio(local),
    '`simulate`\'s run thread (engine, call encoder) ÷ off': ratio(encoder),
    '  added by the engine\'s telemetry calls, encoded': added(encoder - off),
    '`simulate`\'s outputs\' thread (records, writers) ÷ off': ratio(wire - encoder),
    '`simulate`\'s whole work, both threads ÷ off': ratio(wire),
  };
}
