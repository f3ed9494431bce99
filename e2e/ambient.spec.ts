import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mv, openPage, startApp } from './harness.ts';
import type { App } from './harness.ts';

describe('the same mesh under Istio ambient: a ztunnel per node, a waypoint card, requests drawn through them in order (§11)', () => {
  let app: App;
  let page: Page;

  beforeAll(async () => {
    app = await startApp();
    page = await openPage(app, { hash: 's=ambient' });
    await page.waitForFunction(() => window.__meshviz?.scenario() === 'ambient');
  });

  afterAll(async () => {
    await app?.close();
  });

  it('draws one ztunnel per node and the waypoint as its own card; pods have no sidecar and name their node', async () => {
    expect(await page.locator('[data-testid^="ztunnel-"]').count()).toBe(2);
    expect(await page.locator('[data-testid="waypoint-default/waypoint"]').innerText()).toContain('waypoint default/waypoint');
    const api = await mv(page, (m) => m.podOf('api') as string);
    expect(await page.locator(`[data-testid="sidecar-${api}"]`).innerText()).toMatch(/via ztunnel · node-\d/);
    expect(await page.locator('[data-testid="cost-istio-ambient"]').getAttribute('class')).toBe('current');
    expect(await page.locator('[data-testid="cost-note"]').innerText()).toContain('2 ztunnels (one per node) and 1 waypoint');
  });

  it('a request api → users travels app → its ztunnel → the waypoint → the destination’s ztunnel → app, in that order', async () => {
    await mv(page, (m) => {
      m.pause();
      m.select('api', 'users', '/users/1');
      m.send(1);
      m.finishPlayback();
    });
    const hops = (await mv(page, (m) => m.hops())).filter((h) => !h.startsWith('wire:'));
    const kinds = hops.map((h) => h.split(':')[0]);
    expect(kinds.slice(0, 5)).toEqual(['app', 'ztunnel', 'waypoint', 'ztunnel', 'app']);
    expect(hops[2]).toBe('waypoint:waypoint/default/waypoint');
    // And back: the destination's ztunnel, the waypoint, the caller's ztunnel, the caller's app.
    expect(kinds.slice(-4)).toEqual(['ztunnel', 'waypoint', 'ztunnel', 'app']);
  });

  it('the mesh switch runs the same scenario under Istio sidecars', async () => {
    await page.click('[data-testid="flavor-istio"]');
    await page.waitForFunction(() => window.__meshviz?.scenario() === 'default');
    expect(await page.locator('[data-testid^="ztunnel-"]').count()).toBe(0);
    const api = await mv(page, (m) => m.podOf('api') as string);
    expect(await page.locator(`[data-testid="sidecar-${api}"]`).innerText()).toContain('envoy');
  });
});

describe('ingress through a waypoint (istio.io/ingress-use-waypoint) in the visualizer', () => {
  let app: App;
  let page: Page;

  beforeAll(async () => {
    app = await startApp();
    page = await openPage(app);
    await page.setInputFiles('[data-testid="file-input"]', ['tests/fixtures/ambient/ingress-waypoint.yaml']);
    await page.waitForFunction(() => window.__meshviz?.pods().some((p) => p.workload === 'istio-ingressgateway'));
  });

  afterAll(async () => {
    await app?.close();
  });

  it('a request from outside is drawn client → gateway → waypoint → the destination’s ztunnel → app, and back the same way', async () => {
    await mv(page, (m) => {
      m.pause();
      m.select('external', 'istio-ingressgateway', '/');
      m.send(1);
      m.finishPlayback();
    });
    const hops = (await mv(page, (m) => m.hops())).filter((h) => !h.startsWith('wire:'));
    const kinds = hops.map((h) => h.split(':')[0]);
    expect(kinds.slice(0, 5)).toEqual(['client', 'sidecar', 'waypoint', 'ztunnel', 'app']);
    expect(hops[2]).toBe('waypoint:waypoint/default/waypoint');
    expect(kinds.slice(-4)).toEqual(['ztunnel', 'waypoint', 'sidecar', 'client']);
    await page.screenshot({ path: 'e2e/screenshots/ambient-ingress-waypoint.png' });
  });
});
