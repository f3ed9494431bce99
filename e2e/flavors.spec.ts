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
    await mv(page, (m) => m.advance(1_200_000));
    await page.waitForFunction((pod) => document.querySelector(`[data-testid="outlier-row"][data-endpoint="${pod}"]`)?.getAttribute('data-state') === 'probation', v1);
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
