import { startSimulation } from '../src/api/index.ts';
import { FileSink } from '../src/cli/FileSink.ts';
import { builtIn, firstTraffic, openLoop, withTraffic } from '../bench/cases/session.ts';
const s = builtIn('bookinfo');
const sess = withTraffic(s, [openLoop(firstTraffic(s), 200, 120)]);
const which = process.argv[2] ?? 'all';
const sinks = ['m', 'a', 't'].map((n) => new FileSink(`/tmp/tm/p.${n}`, 'x'));
const t0 = process.hrtime.bigint();
const run = startSimulation(sess, which === 'off' ? {} : which === 'sink' ? { sink: () => {} } : {
  telemetry: {
    startMs: 0,
    ...(which.includes('m') || which === 'all' ? { metricsFile: { write: sinks[0]!.write, scrapeInterval: 15_000_000 } } : {}),
    ...(which.includes('a') || which === 'all' ? { accessLog: { write: sinks[1]!.write, format: 'text' as const } } : {}),
    ...(which.includes('t') || which === 'all' ? { traces: { write: sinks[2]!.write, samplingPercent: 1 } } : {}),
  },
});
while (run.advance());
for (const f of sinks) f.close();
console.log(which, Number(process.hrtime.bigint() - t0) / 1e9);
