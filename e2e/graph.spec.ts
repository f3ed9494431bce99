import type { Page } from 'playwright-core';
import { describe, expect } from 'vitest';
import { test } from './fixtures.ts';
import { mv, playStoryOnGraph } from './harness.ts';

const BOOKINFO_FAILING = ['tests/fixtures/bookinfo/bookinfo.yaml', 'tests/fixtures/graph/bookinfo-failing.yaml'];

/** The scripts the page has fetched so far. */
const scripts = (page: Page) => page.evaluate(() => performance.getEntriesByType('resource').map((r) => r.name).filter((n) => n.endsWith('.js')));

/**
 * The Graph view, the live charts and the trace waterfall, on Bookinfo with
 * ratings-v1 failing at 10 s (its callers' sidecars eject it), a 50-service
 * mesh, and the default mesh's failing users-v1. Virtual time moves through
 * the test handle (`playFor` plays wall time at the speed set), never by sleeping.
 */
describe('the service graph, the charts and the trace', () => {
  test('the Graph tab sits beside the pods: mouse and keys switch it, the link keeps it, and its layout engine loads only then', async ({ page }) => {
    expect((await scripts(page)).some((s) => /elk/.test(s))).toBe(false);
    await page.click('[data-testid="view-tab-graph"]');
    await page.waitForSelector('[data-testid="graph-svg"][data-laid-out="true"]');
    expect((await scripts(page)).some((s) => /elk\.bundled/.test(s))).toBe(true);
    expect(await page.isVisible('[data-testid="mesh"]')).toBe(false);
    expect(page.url()).toContain('view=graph');
    expect(await page.getAttribute('[data-testid="view-tab-graph"]', 'aria-selected')).toBe('true');
    // Every workload and Service is drawn before any traffic: the default mesh's six workloads (users' two versions apart).
    expect(await page.locator('[data-testid^="graph-node-"]').count()).toBeGreaterThanOrEqual(6);
    await page.focus('[data-testid="view-tab-graph"]');
    await page.keyboard.press('ArrowLeft');
    expect(await mv(page, (m) => m.view())).toBe('pods');
    expect(await page.isVisible('[data-testid="mesh"]')).toBe(true);
    await page.keyboard.press('ArrowRight');
    expect(await mv(page, (m) => m.view())).toBe('graph');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('view-tab-graph');
  });

  test('graph nodes take the keyboard: Tab reaches them with a visible ring, Enter and Space select as a click does', async ({ page }) => {
    await page.waitForSelector('[data-testid="graph-svg"][data-laid-out="true"]');
    // Paused after 3 s of the story: the graph holds still while the keys go through it.
    await mv(page, (m) => {
      m.playStory();
      m.setSpeed(1);
      m.pause();
      m.playFor(3_000);
    });
    await page.waitForSelector('[data-testid="graph-svg"][data-laid-out="true"]');
    const web = '[data-testid="graph-node-vapp_Kubernetes_default_web"]';
    await page.focus('[data-testid="graph-actual"]');
    let reached: string | null | undefined;
    for (let i = 0; i < 40 && !reached?.startsWith('graph-node-'); i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
    }
    expect(reached).toMatch(/^graph-node-/);
    const focused = `[data-testid="${reached}"]`;
    // The ring: the node's outline in the focus colour, thicker than the others'.
    const ring = await page.locator(`${focused} > rect`).first().evaluate((el) => [getComputedStyle(el).stroke, getComputedStyle(el).strokeWidth]);
    const plain = await page.locator('[data-testid^="graph-node-"]:not(:focus) > rect').first().evaluate((el) => [getComputedStyle(el).stroke, getComputedStyle(el).strokeWidth]);
    expect(ring[0]).toBe('rgb(10, 88, 202)');
    expect(parseFloat(ring[1] as string)).toBeGreaterThan(parseFloat(plain[1] as string));
    await page.keyboard.press('Enter');
    expect(await page.getAttribute(focused, 'aria-pressed')).toBe('true');
    expect(await page.textContent('[data-testid="graph-selected"]')).toBe(await page.getAttribute(focused, 'aria-label'));
    await page.keyboard.press(' ');
    expect(await page.getAttribute(focused, 'aria-pressed')).toBe('false');
    expect(await page.locator('[data-testid="graph-selected"]').count()).toBe(0);
    // A click selects the same way; its calls stand out, the others fade.
    await page.click(web);
    expect(await page.getAttribute(web, 'aria-pressed')).toBe('true');
    expect(await page.textContent('[data-testid="graph-selected"]')).toContain('web (app web, version v1)');
    expect(await page.locator('[data-testid^="graph-edge-vapp_Kubernetes_default_web>"].linked').count()).toBe(1);
    expect(await page.locator('.graph-edge.dimmed').count()).toBeGreaterThan(0);
    await page.keyboard.press('Enter');
    expect(await page.getAttribute(web, 'aria-pressed')).toBe('false');
  });

  test('the default mesh’s web Service is an idle node: the browse traffic starts in web’s pod, nothing calls the Service', async ({ page }) => {
    const service = '[data-testid="graph-node-svc_Kubernetes_default_web"]';
    expect(await page.getAttribute(service, 'data-idle')).toBe('true');
    expect(await page.getAttribute(service, 'aria-label')).toContain('idle: no request has been sent to this Service');
    expect(await page.getAttribute('[data-testid="graph-node-vapp_Kubernetes_default_web"]', 'data-idle')).toBe('false');
    expect(await page.locator('[data-testid^="graph-edge-"][data-testid$=">svc_Kubernetes_default_web"]').count()).toBe(0);
  });

  test('a link with ?view=graph opens the Graph tab', async ({ app }) => {
    const other = await app.browser.newPage({ viewport: { width: 1280, height: 800 } });
    try {
      await other.goto(`${app.server.url}?view=graph`);
      await other.waitForSelector('[data-testid="graph-svg"][data-laid-out="true"]', { timeout: 60_000 });
      expect(await other.getAttribute('[data-testid="view-tab-graph"]', 'aria-selected')).toBe('true');
      expect(await other.isVisible('[data-testid="mesh"]')).toBe(false);
      // The page keeps its state in the fragment from then on.
      expect(new URL(other.url()).search).toBe('');
      expect(other.url()).toContain('view=graph');
    } finally {
      await other.close();
    }
  });

  test('Bookinfo with a failing pod: the calls to ratings turn red, ratings-v1 is marked ejected, mTLS edges carry the lock, traffic moves', async ({ page }) => {
    await playStoryOnGraph(page, BOOKINFO_FAILING, 'ratings-v1', 8_000);
    await page.waitForSelector('[data-testid="graph-svg"][data-laid-out="true"]');
    const toRatings = '[data-testid="graph-edge-vapp_Kubernetes_default_reviews-v2>svc_Kubernetes_default_ratings"]';
    expect(await page.getAttribute(toRatings, 'data-health')).toBe('healthy');
    expect(await page.locator('[data-testid="graph-failing"]').count()).toBe(0);
    await mv(page, (m) => m.playFor(9_000));
    await page.waitForFunction((sel) => document.querySelector(sel)?.getAttribute('data-health') === 'failure', toRatings);
    const edges = await mv(page, (m) => m.graphEdges());
    const edge = (id: string) => edges.find((e) => e.id === id);
    expect(edge('vapp_Kubernetes_default_reviews-v3>svc_Kubernetes_default_ratings')).toMatchObject({ health: 'failure', mtls: 'all' });
    expect(edge('vapp_Kubernetes_default_reviews-v2>svc_Kubernetes_default_ratings')?.errorPercent).toBeGreaterThan(50);
    expect(edge('vapp_Kubernetes_default_productpage-v1>svc_Kubernetes_default_details')).toMatchObject({ health: 'healthy', mtls: 'all' });
    // Words on the edge, and the lock drawn where every request crossed over mTLS.
    expect(await page.textContent(toRatings)).toMatch(/\d+(\.\d+)? rps.*\d+% err.*p99 [\d.]+m?s/);
    expect(await page.locator(`${toRatings} .lock`).count()).toBe(1);
    expect(await page.getAttribute('[data-testid="graph-node-vapp_Kubernetes_default_ratings-v1"]', 'data-ejected')).toBe('1');
    expect(await page.textContent('[data-testid="graph-node-vapp_Kubernetes_default_ratings-v1"] [data-testid="graph-ejected"]')).toBe('⊘ 1/1');
    expect(await page.textContent('[data-testid="graph-failing"]')).toBe('2 failing');
    // The outside readers' edge is plaintext: no lock; its traffic marks move.
    const fromOutside = '[data-testid="graph-edge-Kubernetes_unknown_source>svc_Kubernetes_default_productpage"]';
    expect(await page.locator(`${fromOutside} .lock`).count()).toBe(0);
    expect(await page.locator(`${fromOutside} .flow`).evaluate((el) => getComputedStyle(el).animationName)).toBe('graph-flow');
    expect(await page.locator('[data-testid="graph-namespace-default"]').count()).toBe(1);
  });

  test('the graph type, as Kiali’s: App puts reviews’ three versions in one node and their calls to ratings in one failing edge, the ejection mark follows; Workload names workloads; Service draws services calling services; mouse and keys choose', async ({ page }) => {
    await playStoryOnGraph(page, BOOKINFO_FAILING, 'ratings-v1', 17_000);
    await page.waitForSelector('[data-testid="graph-svg"][data-laid-out="true"]');
    expect(await page.inputValue('[data-testid="graph-type"]')).toBe('versionedApp');
    await page.selectOption('[data-testid="graph-type"]', 'app');
    await page.waitForSelector('[data-testid="graph-node-app_Kubernetes_default_reviews"]');
    expect(await page.locator('[data-testid^="graph-node-vapp_"]').count()).toBe(0);
    const toRatings = '[data-testid="graph-edge-app_Kubernetes_default_reviews>svc_Kubernetes_default_ratings"]';
    await page.waitForFunction((sel) => document.querySelector(sel)?.getAttribute('data-health') === 'failure', toRatings);
    expect(await page.getAttribute('[data-testid="graph-node-app_Kubernetes_default_ratings"]', 'data-ejected')).toBe('1');
    expect(await page.getAttribute('[data-testid="graph-node-app_Kubernetes_default_reviews"]', 'aria-label')).toContain('app reviews (every version)');
    // The keyboard: the next type down the list is Workload.
    await page.focus('[data-testid="graph-type"]');
    await page.keyboard.press('ArrowDown');
    await page.waitForSelector('[data-testid="graph-node-wl_Kubernetes_default_reviews-v2"]');
    expect(await page.locator('[data-testid^="graph-node-app_"]').count()).toBe(0);
    // And the last, Service: reviews' calls to ratings are the reviews service's edge, still failing; no workload is drawn, as something calls each.
    await page.keyboard.press('ArrowDown');
    const serviceToRatings = '[data-testid="graph-edge-svc_Kubernetes_default_reviews>svc_Kubernetes_default_ratings"]';
    await page.waitForSelector(serviceToRatings);
    await page.waitForFunction((sel) => document.querySelector(sel)?.getAttribute('data-health') === 'failure', serviceToRatings);
    expect(await page.inputValue('[data-testid="graph-type"]')).toBe('service');
    expect(await page.locator('[data-testid^="graph-node-wl_"]').count()).toBe(0);
    expect(await page.locator('[data-testid="graph-edge-svc_Kubernetes_default_productpage>svc_Kubernetes_default_reviews"]').count()).toBe(1);
  });

  test('the live charts show the 503s, the latency and the ejection of that story, second by second', async ({ page }) => {
    await page.waitForSelector('[data-testid="chart-codes"] canvas');
    const charts = await mv(page, (m) => m.charts());
    const s503 = charts.byCode.find((s) => s.code === 503)?.perSecond ?? [];
    expect(s503.slice(0, 10).every((n) => n === 0)).toBe(true);
    expect(s503.slice(10).some((n) => n > 0)).toBe(true);
    expect(charts.ejections.slice(10, 12).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1);
    expect(charts.p99.filter((v) => v !== null).length).toBeGreaterThan(10);
    for (const id of ['codes', 'latency', 'retries']) expect(await page.locator(`[data-testid="chart-${id}"] canvas`).count()).toBe(1);
    expect(await page.textContent('[data-testid="chart-codes"] .u-legend')).toContain('503');
  });

  test('the trace waterfall of the last request: attempts with the back-off between them, the failed spans with their status and flags', async ({ page }) => {
    await page.selectOption('[data-testid="scenario"]', 'default');
    await page.waitForFunction(() => window.__meshviz?.scenario() === 'default');
    await mv(page, (m) => {
      m.pause();
      m.select('api', 'users', '/users/1');
      m.setFailing(m.podOf('users-v1') as string, '503');
      m.send(1);
      m.finishPlayback();
    });
    await page.waitForSelector('[data-testid="trace"] [data-kind="backoff"]');
    const rows = await page.$$eval('[data-testid="trace"] [role="row"][data-kind]', (els) => els.map((el) => ({ kind: el.getAttribute('data-kind'), failed: el.getAttribute('data-failed'), text: el.textContent ?? '' })));
    expect(rows[0]).toMatchObject({ kind: 'request', failed: 'true' });
    expect(rows[0]?.text).toMatch(/GET users:8080\/users\/1.*503 URX/);
    expect(rows.filter((r) => r.kind === 'client').length).toBe(4);
    expect(rows.filter((r) => r.kind === 'backoff').length).toBe(3);
    expect(rows.filter((r) => r.kind === 'server').every((r) => r.failed === 'true' && /503/.test(r.text))).toBe(true);
  });

  test('the stat row splits the requests sent by fate: success, success after retry, failed after retries, fail-fast UH', async ({ page }) => {
    // users-v1 still fails: the request above failed after its retries and the sidecar ejected users-v1, so the next ones fail fast.
    await mv(page, (m) => {
      m.send(3);
      m.finishPlayback();
    });
    const fate = await mv(page, (m) => m.stats().fate);
    expect(fate).toMatchObject({ failedAfterRetries: 1, failFastUH: 3, success: 0 });
    expect(await page.textContent('[data-testid="fate-failFastUH"]')).toBe('fail-fast UH 3 75.0%');
    expect(await page.textContent('[data-testid="fate-failedAfterRetries"]')).toBe('failed after retries 1 25.0%');
    await mv(page, (m) => {
      m.setFailing(m.podOf('users-v1') as string, null);
      m.advance(60_000_000);
      m.send(1);
      m.finishPlayback();
    });
    expect(await mv(page, (m) => m.stats().fate.success + m.stats().fate.successAfterRetry)).toBe(1);
  });

  test('50 services: the graph fits the stage as an overview, and the failing edge is one click away at full size', async ({ page }) => {
    await playStoryOnGraph(page, ['tests/fixtures/graph/fifty-services.yaml'], 'ratings', 14_000);
    // The picture grows as calls reveal the mesh (a loaded machine plays the story slower): wait for the whole of it, laid out.
    await page.waitForFunction(() => document.querySelectorAll('[data-testid^="graph-node-"]').length > 50 && document.querySelector('[data-testid="graph-svg"]')?.getAttribute('data-laid-out') === 'true', undefined, { timeout: 60_000 });
    const fitted = Number(await page.getAttribute('[data-testid="graph-svg"]', 'data-scale'));
    expect(fitted).toBeLessThan(1);
    await page.waitForSelector('[data-testid="graph-failing"]');
    // The bar is full here (the counts, "2 failing", the hint): its controls keep their whole width, only the texts wrap.
    const squeezed = await page.$$eval('[data-testid="graph-type"], [data-testid="graph-failing"], [data-testid="graph-fit"], [data-testid="graph-actual"]', (controls) =>
      controls.flatMap((c) => {
        const whole = c.cloneNode(true) as HTMLElement;
        // Beside the control, out of the flow: the same styles, nothing to squeeze it.
        Object.assign(whole.style, { position: 'absolute', visibility: 'hidden', width: 'max-content' });
        c.after(whole);
        const [needs, has] = [whole.getBoundingClientRect(), c.getBoundingClientRect()];
        whole.remove();
        return has.width + 0.5 < needs.width || has.height > needs.height + 0.5 ? [`${c.getAttribute('data-testid')}: ${has.width}×${has.height} of ${needs.width}×${needs.height}`] : [];
      }),
    );
    expect(squeezed).toEqual([]);
    await page.click('[data-testid="graph-failing"]');
    expect(await page.getAttribute('[data-testid="graph-svg"]', 'data-scale')).toBe('1.00');
    // The first failing edge is now in view.
    const failing = page.locator('[data-testid^="graph-edge-"][data-health="failure"] text').first();
    const [edge, scroller] = await Promise.all([failing.boundingBox(), page.locator('.graph-scroll').boundingBox()]);
    expect(edge && scroller && edge.y >= scroller.y && edge.y + edge.height <= scroller.y + scroller.height && edge.x >= scroller.x && edge.x + edge.width <= scroller.x + scroller.width).toBe(true);
    // Back to the whole graph, then 100% without a place picked: where the requests enter (the callers from outside) is in view, not an empty corner.
    await page.click('[data-testid="graph-fit"]');
    await page.click('[data-testid="graph-actual"]');
    expect(await page.getAttribute('[data-testid="graph-svg"]', 'data-scale')).toBe('1.00');
    const entry = await page.locator('[data-testid="graph-node-Kubernetes_unknown_source"]').boundingBox();
    const stage = await page.locator('.graph-scroll').boundingBox();
    expect(entry && stage && entry.x >= stage.x && entry.x + entry.width <= stage.x + stage.width && entry.y >= stage.y && entry.y + entry.height <= stage.y + stage.height).toBe(true);
  });

  test('Bookinfo at 1440×900 and 1024×768: no text in the graph reads under 10 px at the zoom it opens with, and each namespace title fits its box', async ({ page }) => {
    await playStoryOnGraph(page, BOOKINFO_FAILING, 'ratings-v1', 4_000);
    for (const [width, height] of [
      [1440, 900],
      [1024, 768],
    ] as const) {
      await page.setViewportSize({ width, height });
      await mv(page, (m) => m.view('pods'));
      await mv(page, (m) => m.view('graph'));
      await page.waitForSelector('[data-testid="graph-svg"][data-laid-out="true"]');
      const smallest = await page.$eval('[data-testid="graph-svg"]', (svg) => {
        const scale = Number(svg.getAttribute('data-scale'));
        return Math.min(...[...svg.querySelectorAll('text')].map((t) => parseFloat(getComputedStyle(t).fontSize) * scale));
      });
      expect(smallest, `${width}×${height}`).toBeGreaterThanOrEqual(10);
      // Measured in the browser's own font: "outside the mesh" boxes one small node, its title must not reach the dashed border.
      const titles = await page.$$eval('[data-testid^="graph-namespace-"]', (boxes) =>
        boxes.map((g) => {
          const rect = (g.querySelector('rect') as SVGRectElement).getBBox();
          const text = (g.querySelector('text') as SVGTextElement).getBBox();
          return { title: g.textContent, room: rect.x + rect.width - (text.x + text.width) };
        }),
      );
      expect(titles.map((t) => t.title)).toContain('outside the mesh');
      for (const t of titles) expect(t.room, `${t.title} at ${width}×${height}: room right of the title`).toBeGreaterThanOrEqual(6);
    }
  });
});
