import type { Page } from 'playwright-core';
import { describe, expect } from 'vitest';
import { test } from './fixtures.ts';
import { attrIs, mv, openPage, textOf } from './harness.ts';

describe('controls, links and scenarios', () => {
  const podOf = (p: Page, workload: string) => mv(p, (m, w) => m.podOf(w) as string, workload);

  test('moves the users canary with the keyboard; the VirtualService weights follow and so does the traffic', async ({ page }) => {
    const v1 = page.locator('[data-testid="weight-default/users#0-v1"]');
    await v1.focus();
    for (let i = 0; i < 40; i++) await page.keyboard.press('ArrowLeft');
    expect(await v1.inputValue()).toBe('50');
    expect(await page.locator('[data-testid="weight-default/users#0-v2"]').inputValue()).toBe('50');
    const yaml = await textOf(page, 'yaml-pane', (t) => /weight: 50[\s\S]*weight: 50/.test(t));
    expect(yaml).toContain('VirtualService default/users');
    await mv(page, (m) => {
      m.send(100);
      m.finishPlayback();
    });
    const v2 = await mv(page, (m) => m.podReceived(m.podOf('users-v2') as string));
    expect(v2).toBeGreaterThan(30);
    expect(v2).toBeLessThan(70);
  });

  test('keeps the scenario and the controls across a reload, and a copied link opens the same state', async ({ app, page }) => {
    const slow = await podOf(page, 'users-v2');
    await page.selectOption(`[data-testid="health-${slow}"]`, 'slow');
    await page.check('[data-testid="mtls-STRICT"]');
    await page.selectOption('[data-testid="speed"]', '0.1');
    await page.waitForFunction(() => location.hash.includes('mtls=STRICT') && location.hash.includes('slow'));
    const url = page.url();

    await page.reload();
    await page.waitForFunction(() => window.__meshviz !== undefined);
    await attrIs(page, `[data-testid="pod-${slow}"]`, 'data-state', 'failing-slow');
    expect(await page.isChecked('[data-testid="mtls-STRICT"]')).toBe(true);
    expect(await page.inputValue('[data-testid="weight-default/users#0-v1"]')).toBe('50');
    expect(await page.inputValue('[data-testid="speed"]')).toBe('0.1');

    const other = await app.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await other.goto(url);
    await other.waitForFunction(() => window.__meshviz !== undefined);
    await attrIs(other, `[data-testid="pod-${slow}"]`, 'data-state', 'failing-slow');
    expect(await other.isChecked('[data-testid="mtls-STRICT"]')).toBe(true);
    await other.close();
  });

  test('drives playback from the keyboard: Space pauses and plays, → steps, even right after clicking a button', async ({ page }) => {
    await page.locator('h1').click();
    const playing = await page.getAttribute('[data-testid="play"]', 'data-playing');
    await page.keyboard.press('Space');
    await attrIs(page, '[data-testid="play"]', 'data-playing', playing === 'true' ? 'false' : 'true');
    // Focus stays on Send: the arrows still step.
    await page.click('[data-testid="send-one"]');
    const before = await page.getAttribute('[data-testid="current-hop"]', 'data-hop');
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction((b) => document.querySelector('[data-testid="current-hop"]')?.getAttribute('data-hop') !== b, before);
  });

  test('the Auto rate can be retyped: an empty or out-of-range value is not applied and says what is allowed', async ({ page }) => {
    const rate = page.locator('[data-testid="auto-rate"]');
    await rate.fill('');
    expect(await rate.inputValue()).toBe('');
    await rate.pressSequentially('500');
    expect(await mv(page, (m) => m.rate())).toBe(500);
    await rate.fill('9999');
    expect(await rate.getAttribute('aria-invalid')).toBe('true');
    expect(await mv(page, (m) => m.rate())).toBe(500);
    await rate.press('Enter');
    expect(await rate.inputValue()).toBe('500');
  });

  test('switches to Bookinfo: its pods, an outside client, and a canary control for reviews', async ({ page }) => {
    await page.selectOption('[data-testid="scenario"]', 'bookinfo');
    await page.waitForFunction(() => window.__meshviz?.scenario() === 'bookinfo');
    const workloads = (await mv(page, (m) => m.pods())).map((p) => p.workload).sort();
    expect(workloads).toEqual(['details-v1', 'productpage-v1', 'ratings-v1', 'reviews-v1', 'reviews-v2', 'reviews-v3']);
    expect(await page.inputValue('[data-testid="send-from"]')).toBe('external');
    expect(await page.locator('.client-label').textContent()).toBe('outside client');
    expect(await page.locator('[data-testid="canary-default/reviews#0"]').count()).toBe(1);
    await mv(page, (m) => {
      m.send(1);
      m.finishPlayback();
    });
    expect(await mv(page, (m) => m.podReceived(m.podOf('productpage-v1') as string))).toBe(1);
    expect(await textOf(page, 'log-app-saw')).toMatch(/^200/);
    // The outside client has no sidecar: the log says so, and the grid shows productpage's sidecar, not a pod of the old scenario.
    expect(await textOf(page, 'log-sidecar-did')).toMatch(/^none: the call went straight to a pod/);
    expect(await page.inputValue('[data-testid="grid-caller"]')).toBe(await mv(page, (m) => m.podOf('productpage-v1') as string));
  });

  test('loads a user’s YAML, and shows what is wrong with a broken one without losing the current mesh', async ({ page }) => {
    const good = `apiVersion: apps/v1
kind: Deployment
metadata: { name: shop }
spec:
  replicas: 2
  selector: { matchLabels: { app: shop } }
  template:
    metadata: { labels: { app: shop } }
    spec: { containers: [{ name: shop, image: shop, ports: [{ containerPort: 8080 }] }] }
---
apiVersion: v1
kind: Service
metadata: { name: shop }
spec:
  selector: { app: shop }
  ports: [{ port: 8080 }]
`;
    await page.setInputFiles('[data-testid="file-input"]', { name: 'shop.yaml', mimeType: 'text/yaml', buffer: Buffer.from(good) });
    await page.waitForFunction(() => window.__meshviz?.scenario() === 'custom');
    expect((await mv(page, (m) => m.pods())).map((p) => p.workload)).toEqual(['shop', 'shop']);

    const broken = `${good}---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: shop }
spec:
  hosts: [shop]
  http: [{ route: [{ destination: { host: shop, subset: v9 } }] }]
  tcp: 7
`;
    await page.setInputFiles('[data-testid="file-input"]', { name: 'broken.yaml', mimeType: 'text/yaml', buffer: Buffer.from(broken) });
    const diagnostics = await textOf(page, 'diagnostics', (t) => t.includes('broken.yaml'));
    expect(diagnostics).toContain('was not loaded');
    expect(diagnostics).toMatch(/broken\.yaml:\d+:\d+/);
    expect(await mv(page, (m) => m.scenario())).toBe('custom');
    expect((await mv(page, (m) => m.pods())).length).toBe(2);

    await page.reload();
    await page.waitForFunction(() => window.__meshviz?.scenario() === 'custom');
    expect((await mv(page, (m) => m.pods())).length).toBe(2);
  });

  test('respects prefers-reduced-motion: requests jump from place to place instead of gliding', async ({ app }) => {
    const calm = await openPage(app, { reducedMotion: true });
    expect(await calm.evaluate(() => matchMedia('(prefers-reduced-motion: reduce)').matches)).toBe(true);
    await mv(calm, (m) => {
      m.pause();
      m.send(1);
      m.step();
      m.step();
    });
    expect(await mv(calm, (m) => m.currentHop())).toMatch(/^wire:/);
    await calm.close();
  });
});
