// Screenshots of the flavors in the visualizer: `npx tsx e2e/flavorShots.ts OUTDIR`.
import { mkdirSync } from 'node:fs';
import { mv, openPage, startApp } from './harness.ts';

const OUT = process.argv[2] ?? new URL('./screenshots/', import.meta.url).pathname;
mkdirSync(OUT, { recursive: true });
const app = await startApp();
try {
  const page = await openPage(app, { hash: 's=linkerd', width: 1440, height: 900 });
  await page.waitForFunction(() => window.__meshviz?.scenario() === 'linkerd');
  await page.screenshot({ path: `${OUT}/linkerd-01-open.png` });
  await mv(page, (m) => {
    m.pause();
    m.select('api', 'users', '/users/1');
    const v1 = m.podOf('users-v1') as string;
    m.setFailing(v1, '503');
    m.send(12);
    m.finishPlayback();
  });
  await page.selectOption('[data-testid="grid-caller"]', await mv(page, (m) => m.podOf('api') as string));
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${OUT}/linkerd-02-unavailable.png`, fullPage: true });
  await mv(page, (m) => m.advance(1_200_000));
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${OUT}/linkerd-03-probation.png`, fullPage: true });
  await page.locator('[data-testid="mesh-costs"]').screenshot({ path: `${OUT}/linkerd-04-costs.png` });
  await page.click('[data-testid="flavor-istio"]');
  await page.waitForFunction(() => window.__meshviz?.scenario() === 'default');
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${OUT}/istio-05-switched.png` });
  await page.locator('[data-testid="mesh-costs"]').screenshot({ path: `${OUT}/istio-06-costs.png` });
  // A scenario the user loaded (Bookinfo, Istio) run under Linkerd: translated as `meshviz compare` does.
  await page.setInputFiles('[data-testid="file-input"]', ['tests/fixtures/bookinfo/bookinfo.yaml']);
  await page.waitForFunction(() => window.__meshviz?.pods().some((p) => p.workload === 'productpage-v1'));
  await page.click('[data-testid="flavor-linkerd"]');
  await page.waitForFunction(() => window.__meshviz?.scenario().endsWith('@linkerd'));
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${OUT}/bookinfo-07-linkerd.png` });
  await page.locator('[data-testid="mesh-costs"]').screenshot({ path: `${OUT}/bookinfo-08-not-translated.png` });
  await page.close();
} finally {
  await app.close();
}
