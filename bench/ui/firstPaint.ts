// How soon the production build shows something and the mesh: `npx tsx bench/ui/firstPaint.ts`
// (run `npm run build` first). Loads the page cold five times, unthrottled
// and on a 10 Mbit/s, 40 ms link, and prints the medians of first
// contentful paint, the moment the mesh's DOM is in the page, and the
// script bytes (as served, gzip) fetched in all and before the first paint.
import { loadavg } from 'node:os';
import { startApp } from '../../e2e/harness.ts';

const RUNS = 5;
const LINKS = [
  { name: 'unthrottled', conditions: undefined },
  { name: '10 Mbit/s, 40 ms RTT', conditions: { offline: false, latency: 40, downloadThroughput: 10_000_000 / 8, uploadThroughput: 5_000_000 / 8 } },
];

interface Sample {
  fcp: number;
  mesh: number;
  scriptKB: number;
  scriptKBBeforeFcp: number;
}

const app = await startApp();
try {
  const report: Record<string, unknown> = { loadAverage: loadavg()[0] };
  for (const link of LINKS) {
    const samples: Sample[] = [];
    for (let i = 0; i < RUNS; i++) {
      const context = await app.browser.newContext({ viewport: { width: 1440, height: 900 } });
      // Passed as source text: tsx would otherwise wrap named functions in a helper the page does not have.
      await context.addInitScript(`new MutationObserver((_, o) => {
        if (document.querySelector('[data-testid="mesh"]')) { window.__meshAt = performance.now(); o.disconnect(); }
      }).observe(document, { childList: true, subtree: true });`);
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
      if (link.conditions) await cdp.send('Network.emulateNetworkConditions', link.conditions);
      await page.goto(app.server.url);
      await page.waitForFunction(() => (window as unknown as { __meshAt?: number }).__meshAt !== undefined, undefined, { timeout: 120_000 });
      await page.waitForFunction(() => performance.getEntriesByName('first-contentful-paint').length > 0);
      samples.push(
        (await page.evaluate(`(() => {
          const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN;
          const scripts = performance.getEntriesByType('resource').filter((r) => r.initiatorType === 'script' || r.name.endsWith('.js'));
          const kb = (list) => Math.round(list.reduce((a, r) => a + (r.encodedBodySize || r.transferSize || 0), 0) / 1000);
          return { fcp: Math.round(fcp), mesh: Math.round(window.__meshAt), scriptKB: kb(scripts), scriptKBBeforeFcp: kb(scripts.filter((r) => r.responseEnd <= fcp)) };
        })()`)) as Sample,
      );
      await context.close();
    }
    const median = (k: keyof Sample) => [...samples.map((s) => s[k])].sort((a, b) => a - b)[Math.floor(RUNS / 2)];
    report[link.name] = { firstContentfulPaintMs: median('fcp'), meshInPageMs: median('mesh'), scriptKB: median('scriptKB'), scriptKBBeforeFirstPaint: median('scriptKBBeforeFcp') };
  }
  console.log(JSON.stringify(report, null, 2));
} finally {
  await app.close();
}
