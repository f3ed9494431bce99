// Frame-time benchmark of the visualizer: `npx tsx bench/ui/frames.ts [--built]`.
// Loads a generated 200-pod mesh, keeps about 500 requests in flight on
// screen with Auto, and records requestAnimationFrame deltas for ~5 s in
// headless Chromium (no GPU). Prints percentiles and what was on screen.
import { cpus } from 'node:os';
import { mv, openPage, startApp } from '../../e2e/harness.ts';
import { generateMesh } from './generateMesh.ts';

const TARGET_IN_FLIGHT = 500;
const MEASURE_MS = 5_000;
const width = Number(process.env.WIDTH ?? 1440);
const height = Number(process.env.HEIGHT ?? 900);

const built = process.argv.includes('--built');
const app = await startApp({ built });
try {
  const page = await openPage(app, { width, height });
  await page.setInputFiles('[data-testid="file-input"]', { name: 'bench-200.yaml', mimeType: 'text/yaml', buffer: Buffer.from(generateMesh()) });
  await page.waitForFunction(() => window.__meshviz?.scenario() === 'custom', undefined, { timeout: 60_000 });
  const pods = await mv(page, (m) => m.pods().length);
  await mv(page, (m) => {
    m.select('external', 'front');
    m.setSpeed(1000);
    m.auto(140);
    m.play();
  });
  // Warm up until the picture holds the target number of requests.
  await page.waitForFunction((n) => (window.__meshviz?.drawn() ?? 0) >= n, TARGET_IN_FLIGHT, { timeout: 120_000, polling: 200 });
  // Passed as source text: tsx would otherwise wrap named functions in a helper the page does not have.
  const result = (await page.evaluate(`new Promise((done) => {
    const deltas = [];
    const drawn = [];
    let last = performance.now();
    const end = last + ${MEASURE_MS};
    const frame = (t) => {
      deltas.push(t - last);
      last = t;
      if (deltas.length % 10 === 0) drawn.push(window.__meshviz ? window.__meshviz.drawn() : 0);
      if (t < end) requestAnimationFrame(frame);
      else done({ deltas, drawn });
    };
    requestAnimationFrame(frame);
  })`)) as { deltas: number[]; drawn: number[] };
  await mv(page, (m) => m.auto(null));
  const sorted = [...result.deltas].sort((a, b) => a - b);
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
  const mean = result.deltas.reduce((a, b) => a + b, 0) / result.deltas.length;
  const drawn = [...result.drawn].sort((a, b) => a - b);
  const report = {
    machine: `${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, Chromium ${app.browser.version()} headless, --disable-gpu (software raster)`,
    served: built ? 'production build (dist/, vite preview)' : 'dev server (what npm start runs)',
    viewport: `${width}×${height}`,
    pods,
    requestsOnScreen: { min: drawn[0], median: drawn[Math.floor(drawn.length / 2)], max: drawn.at(-1) },
    frames: result.deltas.length,
    frameTimeMs: { p50: round(pct(50)), p95: round(pct(95)), p99: round(pct(99)), max: round(sorted.at(-1) ?? NaN) },
    fps: round(1000 / mean),
  };
  console.log(JSON.stringify(report, null, 2));
} finally {
  await app.close();
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
