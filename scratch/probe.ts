import { runSimulation } from '../src/api/index.ts';
import { builtIn, firstTraffic, openLoop, withTraffic } from '../bench/cases/session.ts';
const s = builtIn('bookinfo');
const sess = withTraffic(s, [openLoop(firstTraffic(s), 1000, 60)]);
for (const mode of ['none','sink','none','sink']) {
  const t = process.hrtime.bigint();
  let n = 0;
  const r = runSimulation(sess, mode === 'sink' ? { sink: () => { n++; } } : {});
  console.log(mode, Number(process.hrtime.bigint() - t) / 1e9, r.requests.total, r.events, n);
}
