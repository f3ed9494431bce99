import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mv, openPage, startApp } from './harness.ts';
import type { App } from './harness.ts';

type Box = { x: number; y: number; width: number; height: number };

async function box(page: Page, selector: string): Promise<Box> {
  const b = await page.locator(selector).first().boundingBox();
  if (!b) throw new Error(`${selector} is not shown`);
  return b;
}

const inside = (inner: Box, outer: Box) => inner.x >= outer.x - 0.5 && inner.y >= outer.y - 0.5 && inner.x + inner.width <= outer.x + outer.width + 0.5 && inner.y + inner.height <= outer.y + outer.height + 0.5;

/** Chromium's own accessibility tree: the names a screen reader is given. */
async function axNames(page: Page, role: string): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: Array<{ role?: { value?: string }; name?: { value?: string }; ignored?: boolean }> };
  await cdp.detach();
  return nodes.filter((n) => !n.ignored && n.role?.value === role).map((n) => n.name?.value ?? '');
}

/** Layout at the sizes we support, and what assistive technology is told. */
describe('layout and accessibility', () => {
  let app: App;

  beforeAll(async () => {
    app = await startApp();
  });

  afterAll(async () => {
    await app?.close();
  });

  for (const [width, height] of [
    [1024, 768],
    [1280, 800],
    [1440, 900],
  ] as const) {
    it(`at ${width}×${height} the Send button and the whole mesh are on screen at once, default and Bookinfo`, async () => {
      const page = await openPage(app, { width, height });
      const viewport = { x: 0, y: 0, width, height };
      for (const scenario of ['default', 'bookinfo']) {
        if (scenario !== 'default') {
          await page.selectOption('[data-testid="scenario"]', scenario);
          await page.waitForFunction((s) => window.__meshviz?.scenario() === s, scenario);
        }
        expect(inside(await box(page, '[data-testid="send-one"]'), viewport)).toBe(true);
        expect(inside(await box(page, '[data-testid="send-to"]'), viewport)).toBe(true);
        expect(inside(await box(page, '[data-testid="mesh"]'), viewport)).toBe(true);
      }
      // Sending and watching need no scrolling.
      await page.click('[data-testid="play"]');
      await page.click('[data-testid="send-one"]');
      expect(await page.evaluate(() => window.scrollY)).toBe(0);
      await page.close();
    });
  }

  it('opens a top-row card’s labels below it, wholly inside the mesh and the window', async () => {
    const page = await openPage(app, { width: 1024, height: 768 });
    const cache = await mv(page, (m) => m.podOf('cache') as string);
    await page.hover(`[data-testid="pod-${cache}"] .card-name`);
    const tip = page.locator(`#labels-${cache}`);
    expect(await tip.isVisible()).toBe(true);
    expect(await tip.getAttribute('data-side')).toBe('below');
    const tipBox = await box(page, `#labels-${cache}`);
    expect(inside(tipBox, await box(page, '[data-testid="mesh"]'))).toBe(true);
    expect(inside(tipBox, { x: 0, y: 0, width: 1024, height: 768 })).toBe(true);
    // Every other card's labels stay inside the picture too.
    for (const pod of await mv(page, (m) => m.pods().map((p) => p.name))) {
      await page.hover(`[data-testid="pod-${pod}"] .card-name`);
      expect(inside(await box(page, `#labels-${pod}`), await box(page, '[data-testid="mesh"]'))).toBe(true);
    }
    await page.close();
  });

  it('fits the longest health state, "failing refuse", in its tag; long names have their full text in a title', async () => {
    const page = await openPage(app, { width: 1280, height: 800 });
    const cache = await mv(page, (m) => m.podOf('cache') as string);
    await page.selectOption(`[data-testid="health-${cache}"]`, 'refuse');
    const room = await page.evaluate((sel) => {
      const el = document.querySelector(sel) as HTMLSelectElement;
      const cs = getComputedStyle(el);
      const ctx = document.createElement('canvas').getContext('2d') as CanvasRenderingContext2D;
      ctx.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
      const text = el.selectedOptions[0]?.textContent ?? '';
      return { text, need: ctx.measureText(text).width, have: el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) };
    }, `[data-testid="health-${cache}"]`);
    expect(room.text).toBe('failing refuse');
    expect(room.need).toBeLessThanOrEqual(room.have);

    await page.selectOption('[data-testid="scenario"]', 'bookinfo');
    await page.waitForFunction(() => window.__meshviz?.scenario() === 'bookinfo');
    const productpage = await mv(page, (m) => m.podOf('productpage-v1') as string);
    expect(await page.getAttribute(`[data-testid="pod-${productpage}"] .card-name`, 'title')).toBe('productpage-v1');
    for (const label of await page.locator('.group-label').allTextContents()) expect(label).toMatch(/^service /);
    await page.close();
  });

  it('gives panel headings normal-case names, keeps Dismiss out of the heading, and names the tables', async () => {
    const page = await openPage(app, { width: 1280, height: 800 });
    const headings = await axNames(page, 'heading');
    expect(headings).toEqual(expect.arrayContaining(['Send requests', 'Canary weights', 'Mutual TLS', 'Endpoints as a caller sees them']));
    expect(headings.filter((h) => h.length > 3 && h === h.toUpperCase() && h !== h.toLowerCase())).toEqual([]);

    await page.click('[data-testid="send-one"]');
    await mv(page, (m) => m.finishPlayback());
    await page.waitForSelector('[data-testid="outlier-grid"]');
    await page.waitForSelector('[data-testid="pool-grid"]');
    const tables = await axNames(page, 'table');
    expect(tables).toEqual(expect.arrayContaining(['Endpoints as the sidecar of api sees them', 'Connection pools (circuit breakers)']));
    expect(tables.filter((t) => !t)).toEqual([]);

    await page.setInputFiles('[data-testid="file-input"]', { name: 'broken.yaml', mimeType: 'text/yaml', buffer: Buffer.from('apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: { name: x }\nspec:\n  hosts: [nowhere]\n  tcp: 7\n') });
    await page.waitForSelector('[data-testid="diagnostics-dismiss"]');
    expect(await page.locator('h1 button, h2 button, h3 button').count()).toBe(0);
    expect(await axNames(page, 'heading')).toContain('broken.yaml was not loaded: it has problems');
    await page.click('[data-testid="diagnostics-dismiss"]');
    await page.waitForSelector('[data-testid="diagnostics"]', { state: 'detached' });
    await page.close();
  });

  it('draws wires that have not carried traffic at 3:1 or more against the stage', async () => {
    const page = await openPage(app, { width: 1280, height: 800 });
    const ratio = await page.evaluate(() => {
      const wire = document.querySelector('.wire.unknown') as SVGPathElement;
      const stage = document.querySelector('.stage') as HTMLElement;
      const rgb = (c: string) => (c.match(/\d+/g) ?? []).slice(0, 3).map(Number);
      const lum = (c: string) => {
        const [r, g, b] = rgb(c).map((v) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4)) as [number, number, number];
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
      };
      const a = lum(getComputedStyle(wire).stroke);
      const b = lum(getComputedStyle(stage).backgroundColor);
      return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    });
    expect(ratio).toBeGreaterThanOrEqual(3);
    await page.close();
  });
});
