// Screenshots of ambient mode in the visualizer: `npx tsx e2e/ambientShots.ts OUTDIR`.
import { mkdirSync } from 'node:fs';
import { mv, openPage, startApp } from './harness.ts';

const OUT = process.argv[2] ?? new URL('./screenshots/', import.meta.url).pathname;
mkdirSync(OUT, { recursive: true });
const app = await startApp();
try {
  const page = await openPage(app, { hash: 's=ambient', width: 1440, height: 900 });
  await page.waitForFunction(() => window.__meshviz?.scenario() === 'ambient');
  await page.screenshot({ path: `${OUT}/ambient-01-open.png` });
  await mv(page, (m) => {
    m.pause();
    m.select('api', 'users', '/users/1');
    m.send(1);
  });
  // The request's path, hop by hop: each step moves the dot to the next place it reaches.
  for (let i = 0; i < 5; i++) {
    const hop = await mv(page, (m) => m.step());
    await page.waitForTimeout(200);
    await page.screenshot({ path: `${OUT}/ambient-02-step${i}-${String(hop).replace(/[^a-z0-9]+/gi, '_')}.png` });
  }
  console.log(JSON.stringify(await mv(page, (m) => m.hops())));
  await mv(page, (m) => m.finishPlayback());
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${OUT}/ambient-05-done.png`, fullPage: true });
  await page.locator('[data-testid="mesh-costs"]').screenshot({ path: `${OUT}/ambient-06-costs.png` });
  await page.close();
} finally {
  await app.close();
}
