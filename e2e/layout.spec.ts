import type { CDPSession, Page } from 'playwright-core';
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

/**
 * Chromium's own accessibility tree: the names a screen reader is given.
 * One DevTools session per page, kept open until the page closes: detaching
 * it turns the renderer's accessibility off, and a page changed right after
 * that sometimes crashes Chromium's renderer (Debian's Chromium 150: 4 of 40
 * pages that clicked Send after a detach, none of 40 with the session kept).
 */
async function axNames(page: Page, role: string): Promise<string[]> {
  let cdp = axSessions.get(page);
  if (!cdp) axSessions.set(page, (cdp = await page.context().newCDPSession(page)));
  const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: Array<{ role?: { value?: string }; name?: { value?: string }; ignored?: boolean }> };
  return nodes.filter((n) => !n.ignored && n.role?.value === role).map((n) => n.name?.value ?? '');
}

const axSessions = new WeakMap<Page, CDPSession>();

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
    it(`at ${width}×${height} the Send button and the picture are on screen at once (a mesh wider than the stage scrolls inside it), default and Bookinfo`, async () => {
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
      // A picture wider than the stage scrolls (text is never shrunk under 10 px): the labels scroll into view with it.
      await page.locator(`#labels-${pod}`).scrollIntoViewIfNeeded();
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

  for (const [width, height] of [
    [1024, 768],
    [1280, 800],
    [1440, 900],
  ] as const) {
    it(`at ${width}×${height} no text in the picture is under 10 px and no two labels overlap: default, Bookinfo, two lessons' meshes`, async () => {
      const page = await openPage(app, { width, height });
      for (const scenario of ['default', 'bookinfo', 'lesson:failing-pod', 'lesson:retry-storm']) {
        if (scenario.startsWith('lesson:')) {
          if ((await page.locator('[data-testid="lessons"]').count()) > 0) await page.click('[data-testid="lesson-leave"]');
          await page.selectOption('[data-testid="lesson-pick"]', scenario.slice('lesson:'.length));
          await page.click('[data-testid="lesson-start"]');
          await page.waitForFunction((s) => window.__meshviz?.scenario() === s, scenario);
        } else if (scenario !== 'default') {
          await page.selectOption('[data-testid="scenario"]', scenario);
          await page.waitForFunction((s) => window.__meshviz?.scenario() === s, scenario);
        }
        // A failing pod, an ejection and traffic put every kind of label on screen.
        await mv(page, (m) => {
          m.pause();
          const pods = m.pods();
          m.setFailing((pods[pods.length - 1] as { name: string }).name, 'refuse');
          m.send(10);
          m.finishPlayback();
        });
        const labels = await page.evaluate(() => {
          const mesh = document.querySelector('[data-testid="mesh"]') as HTMLElement;
          const stage = mesh.querySelector('.mesh-static') as HTMLElement;
          const scale = new DOMMatrix(getComputedStyle(stage).transform).a;
          const selector = '.card-name, .card-version, .health, .card-rx, .card-sidecar, .ejected, .wire-label, .group-label, .group-port, .client-label';
          return [...mesh.querySelectorAll<Element>(selector)].map((el) => {
            const r = el.getBoundingClientRect();
            return { text: `${el.className.toString()} ${el.textContent ?? ''}`, px: parseFloat(getComputedStyle(el).fontSize) * scale, box: { x: r.x, y: r.y, w: r.width, h: r.height }, within: selector.split(', ').filter((s) => el.parentElement?.closest(s)).length > 0 };
          });
        });
        expect(labels.filter((l) => l.px < 10 - 1e-6).map((l) => `${l.text} ${l.px.toFixed(1)}px`)).toEqual([]);
        const overlaps: string[] = [];
        const free = labels.filter((l) => !l.within && l.box.w > 0);
        free.forEach((a, i) =>
          free.slice(i + 1).forEach((b) => {
            const dx = Math.min(a.box.x + a.box.w, b.box.x + b.box.w) - Math.max(a.box.x, b.box.x);
            const dy = Math.min(a.box.y + a.box.h, b.box.y + b.box.h) - Math.max(a.box.y, b.box.y);
            if (dx > 0.5 && dy > 0.5) overlaps.push(`${a.text} × ${b.text}`);
          }),
        );
        expect(overlaps).toEqual([]);
      }
      await page.close();
    });
  }

  it('draws wires at 3:1 or more against the stage', async () => {
    const page = await openPage(app, { width: 1280, height: 800 });
    const ratio = await page.evaluate(() => {
      const wire = document.querySelector('.wire') as SVGPathElement;
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
