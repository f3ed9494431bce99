// Frame-time benchmark of the visualizer: `npx tsx bench/ui/frames.ts [--built]`.
// Loads a generated 200-pod mesh, keeps about 500 requests in flight on
// screen with Auto, and records requestAnimationFrame deltas for ~5 s in
// headless Chromium (no GPU). Prints percentiles and what was on screen.
import { cpus, loadavg } from 'node:os';
import { mv, openPage, startApp } from '../../e2e/harness.ts';
import { warmUp } from './warmUp.ts';

const MEASURE_MS = 5_000;
const width = Number(process.env.WIDTH ?? 1440);
const height = Number(process.env.HEIGHT ?? 900);

const built = process.argv.includes('--built');
const app = await startApp({ dev: !built });
try {
  const page = await openPage(app, { width, height });
  const pods = await warmUp(page);
  // Passed as source text: tsx would otherwise wrap named functions in a helper the page does not have.
  const loadBefore = loadavg()[0] as number;
  const result = (await page.evaluate(`new Promise((done) => {
    const deltas = [];
    const drawn = [];
    // Long animation frames (over 50 ms): where their time went.
    const long = { frames: 0, ms: 0, renderMs: 0, styleLayoutMs: 0, scriptMs: {} };
    const observer = new PerformanceObserver((list) => {
      for (const f of list.getEntries()) {
        const end = f.startTime + f.duration;
        long.frames += 1;
        long.ms += f.duration;
        if (f.renderStart) long.renderMs += end - f.renderStart;
        if (f.styleAndLayoutStart) long.styleLayoutMs += end - f.styleAndLayoutStart;
        for (const s of f.scripts) long.scriptMs[s.invokerType] = (long.scriptMs[s.invokerType] || 0) + s.duration;
      }
    });
    observer.observe({ type: 'long-animation-frame' });
    let last = performance.now();
    const end = last + ${MEASURE_MS};
    const frame = (t) => {
      deltas.push(t - last);
      last = t;
      if (deltas.length % 10 === 0) drawn.push(window.__meshviz ? window.__meshviz.drawn() : 0);
      if (t < end) requestAnimationFrame(frame);
      else {
        observer.disconnect();
        done({ deltas, drawn, long });
      }
    };
    requestAnimationFrame(frame);
  })`)) as { deltas: number[]; drawn: number[]; long: { frames: number; ms: number; renderMs: number; styleLayoutMs: number; scriptMs: Record<string, number> } };
  await mv(page, (m) => m.auto(null));
  const sorted = [...result.deltas].sort((a, b) => a - b);
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
  const mean = result.deltas.reduce((a, b) => a + b, 0) / result.deltas.length;
  const drawn = [...result.drawn].sort((a, b) => a - b);
  const report = {
    machine: `${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, Chromium ${app.browser.version()} headless, --disable-gpu (software raster)`,
    served: built ? 'production build (dist/, what npm start serves)' : 'dev server (npm run dev)',
    viewport: `${width}×${height}`,
    pods,
    requestsOnScreen: { min: drawn[0], median: drawn[Math.floor(drawn.length / 2)], max: drawn.at(-1) },
    frames: result.deltas.length,
    frameTimeMs: { p50: round(pct(50)), p95: round(pct(95)), p99: round(pct(99)), max: round(sorted.at(-1) ?? NaN) },
    fps: round(1000 / mean),
    longAnimationFrames: {
      count: result.long.frames,
      totalMs: round(result.long.ms),
      renderingMs: round(result.long.renderMs),
      styleAndLayoutMs: round(result.long.styleLayoutMs),
      scriptMsByInvoker: Object.fromEntries(Object.entries(result.long.scriptMs).map(([k, v]) => [k, round(v)])),
    },
    loadAverage: { before: loadBefore, after: loadavg()[0] },
  };
  console.log(JSON.stringify(report, null, 2));
} finally {
  await app.close();
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
