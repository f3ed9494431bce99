import { runSimulation, startSimulation } from '../../src/api/index.ts';
import type { SimulateOptions } from '../../src/api/index.ts';
import { CallDecoder, CallEncoder, TelemetryOutputs, batchBuffers } from '../../src/telemetry/index.ts';
import type { TelemetryPlan, WireBatch } from '../../src/telemetry/index.ts';
import { ReferenceLoop } from '../reference/referenceLoop.ts';
import { builtIn, firstTraffic, openLoop, requestHops, withTraffic } from '../cases/session.ts';
import { RPS as TELEMETRY_RPS } from '../cases/telemetryOverhead.ts';
import { REFERENCE_SEED, RPS } from '../cases/throughput.ts';

/**
 * One piece of work for an instruction count (`cachegrind.ts` runs this
 * file under valgrind): `node --import tsx workloads.ts NAME SECONDS`
 * runs NAME with SECONDS of traffic and prints the work it did as JSON
 * (`{"work": n}`: request-hops, or requests for the telemetry workloads).
 * Nothing is timed here: the instruction count is the figure.
 */
const WORKLOADS = {
  /** The throughput case's mesh and traffic: the default mesh at 1,000 rps (users-v1 failing 15–45 s), counted as `meshviz simulate` counts (no events). */
  engine: (seconds: number) => {
    const mesh = builtIn('default');
    return requestHops(runSimulation(withTraffic(mesh, [openLoop(firstTraffic(mesh), RPS, seconds)])).pods);
  },
  /** The throughput case's reference loop, the same traffic. */
  reference: (seconds: number) => new ReferenceLoop().run(RPS, seconds, REFERENCE_SEED).requestHops,
  /** Bookinfo at 200 rps without outputs. */
  'telemetry-off': (seconds: number) => bookinfo(seconds, {}),
  /** The same with every output, the writers in the run's thread (the visualizer, `--serve-metrics`, the API). */
  'telemetry-local': (seconds: number) => bookinfo(seconds, { telemetry: { ...outputs(), metricsFile: { write: sinkText, scrapeInterval: SCRAPE }, accessLog: { format: 'text', writeBytes: sinkBytes }, traces: { write: sinkText, samplingPercent: 1 } } }),
  /** What the run's thread of `meshviz simulate` does with every output: the engine's telemetry calls encoded onto the wire; the batches go nowhere. */
  'telemetry-encoder': (seconds: number) => bookinfo(seconds, { telemetry: { ...outputs(), remote: () => encoder((batch) => batch) } }),
  /** All the work of `meshviz simulate` with every output in one thread: encoded, decoded, recorded and written, as across its two threads. */
  'telemetry-wire': (seconds: number) =>
    bookinfo(seconds, {
      telemetry: {
        ...outputs(),
        remote: (plan: TelemetryPlan) => {
          const decoder = new CallDecoder(new TelemetryOutputs(plan, { metrics: sinkText, accessLogBytes: sinkBytes, traces: sinkText }));
          return encoder((batch) => decoder.take(batch));
        },
      },
    }),
} satisfies Record<string, (seconds: number) => number>;

const SCRAPE = 15_000_000;
/** Where the outputs go: counted, so that nothing is optimised away. */
let written = 0;
const sinkText = (text: string): void => {
  written += text.length;
};
const sinkBytes = (bytes: Uint8Array): void => {
  written += bytes.length;
};

/** The outputs every telemetry workload asks for (metrics every 15 s, the access log as text, spans at 1 %), as the writers' thread plans them. */
function outputs(): NonNullable<SimulateOptions['telemetry']> {
  return { startMs: 0, metricsFile: { scrapeInterval: SCRAPE }, accessLog: { format: 'text' }, traces: { samplingPercent: 1 } };
}

/** An encoder whose batches go to `take`, written into two buffers in turn (the ring's slots). */
function encoder(take: (batch: WireBatch) => unknown): CallEncoder {
  const a = batchBuffers();
  const b = batchBuffers();
  let current = a;
  return new CallEncoder({
    first: () => a,
    send: (batch) => {
      take(batch);
      current = current === a ? b : a;
      return current;
    },
  });
}

/** Bookinfo at the telemetry cases' 200 rps for `seconds` with `options`, to the end; the requests it made. */
function bookinfo(seconds: number, options: SimulateOptions): number {
  const session = builtIn('bookinfo');
  const run = startSimulation(withTraffic(session, [openLoop(firstTraffic(session), TELEMETRY_RPS, seconds)]), options);
  while (run.advance());
  return run.report().requests.total;
}

const [name, seconds] = process.argv.slice(2);
const workload = WORKLOADS[name as keyof typeof WORKLOADS] as ((seconds: number) => number) | undefined;
if (!workload || !(Number(seconds) > 0)) throw new Error(`usage: workloads.ts ${Object.keys(WORKLOADS).join('|')} SECONDS`);
const work = workload(Number(seconds));
process.stdout.write(`${JSON.stringify({ work, written })}\n`);
