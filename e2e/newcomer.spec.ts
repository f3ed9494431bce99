import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attrIs, mv, openPage, stat, startApp, textOf } from './harness.ts';
import type { App } from './harness.ts';

/**
 * The story a newcomer follows on the default mesh, in one page: send to
 * users, break users-v1, watch retries, ejection and fail-fast, recover it,
 * turn mTLS off, and step through one request hop by hop. Virtual time
 * moves only through the test handle; nothing here sleeps.
 */
describe('a newcomer on the default mesh', () => {
  let app: App;
  let page: Page;
  let pod: Record<string, string>;

  beforeAll(async () => {
    app = await startApp();
    page = await openPage(app);
    const pods = await mv(page, (m) => m.pods());
    pod = Object.fromEntries(pods.map((p) => [p.workload, p.name]));
  });

  afterAll(async () => {
    await app?.close();
  });

  const received = async (workload: string) => Number((await textOf(page, `received-${pod[workload]}`)).replace(/\D/g, ''));

  it('opens on the built-in scenario: pods as cards grouped by service, each with its envoy sidecar', async () => {
    for (const workload of ['web', 'api', 'cache', 'users-v1', 'users-v2', 'db']) {
      const card = page.locator(`[data-testid="pod-${pod[workload]}"]`);
      expect(await card.locator('.card-name').textContent()).toBe(workload);
      expect(await card.locator('.card-sidecar').textContent()).toContain('envoy');
    }
    expect(await page.locator('.group-label').allTextContents()).toEqual(expect.arrayContaining(['service users', 'service api', 'service db']));
    expect(await page.inputValue('[data-testid="send-from"]')).toBe('api');
    expect(await page.inputValue('[data-testid="send-to"]')).toBe('default/users');
  });

  it('shows a pod’s labels on hover', async () => {
    await page.hover(`[data-testid="pod-${pod['users-v2']}"] .card-name`);
    const labels = page.locator(`#labels-${pod['users-v2']}`);
    expect(await labels.isVisible()).toBe(true);
    expect(await labels.textContent()).toContain('version: v2');
  });

  it('sends 50 requests to users and both versions receive traffic in proportion to 90/10', async () => {
    for (let i = 0; i < 5; i++) await page.click('[data-testid="send-ten"]');
    await mv(page, (m) => m.finishPlayback());
    expect(await stat(page, 'requests')).toBe(50);
    const v1 = await received('users-v1');
    const v2 = await received('users-v2');
    expect(v1 + v2).toBe(50);
    expect(v2).toBeGreaterThanOrEqual(1);
    expect(v2).toBeLessThanOrEqual(12);
    expect(await stat(page, 'failures')).toBe(0);
  });

  it('marks users-v1 failing: retries rise, requests fail, the caller ejects it, and fail-fast requests never reach it', async () => {
    await page.selectOption(`[data-testid="health-${pod['users-v1']}"]`, '503');
    await attrIs(page, `[data-testid="pod-${pod['users-v1']}"]`, 'data-state', 'failing-503');
    expect(await page.locator(`[data-testid="health-${pod['users-v1']}"] option:checked`).textContent()).toBe('failing 503');

    await page.click('[data-testid="send-ten"]');
    await mv(page, (m) => m.finishPlayback());
    expect(await stat(page, 'retries')).toBeGreaterThan(0);
    expect(await stat(page, 'failures')).toBeGreaterThan(0);
    expect(await stat(page, 'ejections')).toBeGreaterThanOrEqual(1);
    const row = page.locator(`[data-testid="outlier-row"][data-endpoint="${pod['users-v1']}"]`);
    expect(await row.getAttribute('data-state')).toBe('ejected');
    expect(await row.textContent()).toMatch(/ejected · [\d.]+s left/);
    expect(await page.textContent(`[data-testid="ejected-${pod['users-v1']}"]`)).toContain('ejected');

    const before = await received('users-v1');
    const failuresBefore = await stat(page, 'failures');
    await page.click('[data-testid="send-ten"]');
    await mv(page, (m) => m.finishPlayback());
    expect(await received('users-v1')).toBe(before);
    expect(await stat(page, 'failures')).toBeGreaterThan(failuresBefore);

    // One fail-fast request, looked at closely: it turns back at api's own sidecar.
    let hops: string[] = [];
    for (let i = 0; i < 10 && !hops.length; i++) {
      await page.click('[data-testid="send-one"]');
      await mv(page, (m) => m.finishPlayback());
      const h = await mv(page, (m) => m.hops());
      if (!h.some((k) => k.startsWith('wire:'))) hops = h;
    }
    expect(hops).toEqual([`app:${pod.api}`, `sidecar:${pod.api}`, `app:${pod.api}`]);
    expect(await textOf(page, 'log-sidecar-did')).toContain('failed fast');
    expect(await textOf(page, 'log-app-saw')).toContain('503 [UH]');
    expect(await received('users-v1')).toBe(before);
  });

  it('recovers users-v1: it is let back in once its ejection has run out', async () => {
    await page.selectOption(`[data-testid="health-${pod['users-v1']}"]`, 'healthy');
    await attrIs(page, `[data-testid="pod-${pod['users-v1']}"]`, 'data-state', 'healthy');
    await mv(page, (m) => m.advance(40_000_000));
    await attrIs(page, `[data-testid="outlier-row"][data-endpoint="${pod['users-v1']}"]`, 'data-state', 'healthy');
    const before = await received('users-v1');
    await page.click('[data-testid="send-ten"]');
    await mv(page, (m) => m.finishPlayback());
    expect(await received('users-v1')).toBeGreaterThan(before);
  });

  it('turns mTLS off: the PeerAuthentication appears in the YAML, and once istiod has pushed it every wire of the mesh is drawn solid, labelled plaintext', async () => {
    const wire = `[data-wire="${pod.api}>${pod['users-v1']}"]`;
    const cacheWire = `[data-wire="${pod.api}>${pod.cache}"]`;
    await attrIs(page, wire, 'data-mtls', 'true');
    expect(await page.getAttribute(`${wire} path`, 'class')).toBe('wire mtls');
    // Wires show the setting, not the last request: api has never called cache, and its wire says mTLS already.
    await attrIs(page, cacheWire, 'data-mtls', 'true');

    await mv(page, (m) => m.pause());
    await page.check('[data-testid="mtls-DISABLE"]');
    const yaml = await textOf(page, 'yaml-pane', (t) => t.includes('PeerAuthentication istio-system/default'));
    expect(yaml).toContain('mode: DISABLE');
    // The proxies still run the old config until the push lands (100 ms later): no wire is half one, half the other.
    expect(await page.getAttribute(wire, 'data-mtls')).toBe('true');
    expect(await textOf(page, 'istiod-status', (t) => t.includes('pushing'))).toMatch(/^istiod up · pushing config v1: the sidecars get it at \d/);
    await mv(page, (m) => m.advance(100_000));
    expect(await textOf(page, 'istiod-status', (t) => t.includes('pushed'))).toMatch(/config v1 pushed at/);
    await attrIs(page, wire, 'data-mtls', 'false');
    await attrIs(page, cacheWire, 'data-mtls', 'false');
    expect(await page.getAttribute(`${cacheWire} path`, 'class')).toBe('wire');
    expect(await page.textContent(cacheWire)).toBe('plaintext');

    await page.selectOption('[data-testid="send-to"]', 'default/cache');
    await page.click('[data-testid="send-one"]');
    await mv(page, (m) => m.finishPlayback());
    expect(await mv(page, (m, p) => m.wireMtls(p.api as string, p.cache as string), pod)).toBe(false);

    await page.check('[data-testid="mtls-STRICT"]');
    await textOf(page, 'yaml-pane', (t) => t.includes('mode: STRICT'));
    await mv(page, (m) => m.advance(100_000));
    await mv(page, (m) => m.play());
  });

  it('steps through one request hop by hop, in the order the bytes travel, and back', async () => {
    await page.selectOption('[data-testid="send-to"]', 'default/cache');
    await page.click('[data-testid="play"]');
    await attrIs(page, '[data-testid="play"]', 'data-playing', 'false');
    await page.click('[data-testid="send-one"]');
    const seen = [await page.getAttribute('[data-testid="current-hop"]', 'data-hop')];
    for (let i = 0; i < 8; i++) {
      await page.click('[data-testid="step-forward"]');
      await page.waitForFunction((prev) => document.querySelector('[data-testid="current-hop"]')?.getAttribute('data-hop') !== prev, seen.at(-1));
      seen.push(await page.getAttribute('[data-testid="current-hop"]', 'data-hop'));
    }
    const { api, cache } = pod as { api: string; cache: string };
    expect(seen).toEqual([`app:${api}`, `sidecar:${api}`, `wire:${api}>${cache}`, `sidecar:${cache}`, `app:${cache}`, `sidecar:${cache}`, `wire:${cache}>${api}`, `sidecar:${api}`, `app:${api}`]);
    await page.click('[data-testid="step-back"]');
    await attrIs(page, '[data-testid="current-hop"]', 'data-hop', `sidecar:${api}`);
    expect(await textOf(page, 'current-hop')).toContain("api's envoy sidecar");
  });
});
