import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mv, openPage, startApp } from './harness.ts';
import type { App } from './harness.ts';

describe('the same mesh under Linkerd, and the switch between meshes', () => {
  let app: App;
  let page: Page;

  beforeAll(async () => {
    app = await startApp();
    page = await openPage(app, { hash: 's=linkerd' });
    await page.waitForFunction(() => window.__meshviz?.scenario() === 'linkerd');
  });

  afterAll(async () => {
    await app?.close();
  });

  it('every sidecar strip says linkerd-proxy, and the cost table marks Linkerd', async () => {
    const api = await mv(page, (m) => m.podOf('api') as string);
    expect(await page.locator(`[data-testid="sidecar-${api}"]`).innerText()).toContain('linkerd-proxy');
    expect(await page.locator('[data-testid="cost-linkerd"]').getAttribute('class')).toBe('current');
    expect(await page.locator('[data-testid="cost-note"]').innerText()).toContain('6 linkerd-proxies');
  });

  it('a failing pod: failure accrual makes it unavailable, then on probation, in the caller’s grid', async () => {
    await mv(page, (m) => {
      m.pause();
      m.select('api', 'users', '/users/1');
      m.setFailing(m.podOf('users-v1') as string, '503');
      m.send(12);
      m.finishPlayback();
    });
    await page.selectOption('[data-testid="grid-caller"]', await mv(page, (m) => m.podOf('api') as string));
    const v1 = await mv(page, (m) => m.podOf('users-v1') as string);
    const row = page.locator(`[data-testid="outlier-row"][data-endpoint="${v1}"]`);
    expect(await row.getAttribute('data-state')).toBe('ejected');
    expect(await row.innerText()).toContain('unavailable');
    expect(await row.locator('[data-testid="breaker"]').getAttribute('data-breaker')).toBe('open');
    expect(await page.locator('[data-testid="ewma-cost"]').count()).toBe(2);
    // Requests waiting in the backend's queue take each probe as a back-off ends (and fail it, doubling the next);
    // once the queue has failed them (3 s without an endpoint) a back-off ends with nobody waiting: probation stays.
    let state = await row.getAttribute('data-state');
    for (let i = 0; i < 60 && state !== 'probation'; i++) {
      await mv(page, (m) => m.advance(500_000));
      await page.waitForTimeout(30);
      state = await row.getAttribute('data-state');
    }
    expect(state).toBe('probation');
    expect(await row.innerText()).toContain('probation');
  });

  it('the mesh switch runs the same scenario under Istio: envoy strips, Istio marked in the cost table', async () => {
    await page.click('[data-testid="flavor-istio"]');
    await page.waitForFunction(() => window.__meshviz?.scenario() === 'default');
    const api = await mv(page, (m) => m.podOf('api') as string);
    expect(await page.locator(`[data-testid="sidecar-${api}"]`).innerText()).toContain('envoy');
    expect(await page.locator('[data-testid="cost-istio"]').getAttribute('class')).toBe('current');
  });
});

describe('the mesh switch on a scenario the user loaded: translated as compare does', () => {
  let app: App;
  let page: Page;

  beforeAll(async () => {
    app = await startApp();
    page = await openPage(app);
    await page.setInputFiles('[data-testid="file-input"]', ['tests/fixtures/bookinfo/bookinfo.yaml']);
    await page.waitForFunction(() => window.__meshviz?.pods().some((p) => p.workload === 'productpage-v1'));
  });

  afterAll(async () => {
    await app?.close();
  });

  it('Bookinfo (Istio) under Linkerd: linkerd-proxy strips, Linkerd marked in the cost table, and what was not translated listed', async () => {
    const loaded = await mv(page, (m) => m.scenario());
    expect(await page.locator('[data-testid="translation"]').count()).toBe(0);
    await page.click('[data-testid="flavor-linkerd"]');
    await page.waitForFunction((id) => window.__meshviz?.scenario() === `${id}@linkerd`, loaded);
    const reviews = await mv(page, (m) => m.podOf('reviews-v1') as string);
    expect(await page.locator(`[data-testid="sidecar-${reviews}"]`).innerText()).toContain('linkerd-proxy');
    expect(await page.locator('[data-testid="cost-linkerd"]').getAttribute('class')).toBe('current');
    expect(await page.locator('[data-testid="translation"]').innerText()).toMatch(/Translated from the Istio scenario as meshviz compare does: \d+ carried over, \d+ not\./);
    const missing = await page.locator('[data-testid="not-translated"] li').allInnerTexts();
    expect(missing).toContain("Istio's default retries (2, on connect failures and refused streams) have no Linkerd counterpart: routes without retry annotations are not retried");
    // The translated mesh runs: a request from productpage to reviews is answered.
    const answered = await mv(page, (m) => {
      m.pause();
      m.select('productpage-v1', 'reviews', '/reviews/0');
      m.send(1);
      m.finishPlayback();
      return m.pods().length;
    });
    expect(answered).toBeGreaterThan(0);
  });

  it('from there to ambient translates the loaded Istio files again; back to Istio loads them as they were', async () => {
    const translated = await mv(page, (m) => m.scenario());
    const loaded = translated.replace(/@linkerd$/, '');
    await page.click('[data-testid="flavor-istio-ambient"]');
    await page.waitForFunction((id) => window.__meshviz?.scenario() === `${id}@istio-ambient`, loaded);
    expect(await page.locator('[data-testid="cost-istio-ambient"]').getAttribute('class')).toBe('current');
    expect(await page.locator('[data-testid="cost-note"]').innerText()).toMatch(/ztunnels? \(one per node\)/);
    await page.click('[data-testid="flavor-istio"]');
    await page.waitForFunction((id) => window.__meshviz?.scenario() === id, loaded);
    const reviews = await mv(page, (m) => m.podOf('reviews-v1') as string);
    expect(await page.locator(`[data-testid="sidecar-${reviews}"]`).innerText()).toContain('envoy');
    expect(await page.locator('[data-testid="translation"]').count()).toBe(0);
  });
});
