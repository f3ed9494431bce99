import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mv, openPage, startApp, textOf } from './harness.ts';
import type { App } from './harness.ts';

const file = (path: string) => ({ name: path.split('/').pop() as string, mimeType: 'text/yaml', buffer: readFileSync(new URL(`../${path}`, import.meta.url)) });


/**
 * Security in the picture: the default mesh plus a sidecar-less pod and
 * Istio's RBAC example, loaded through the file input. STRICT mTLS resets
 * the legacy pod's plaintext call at api's sidecar; the AuthorizationPolicy
 * answers 403 for a caller it does not allow. Time moves only through the
 * test handle.
 */
describe('security policies in the picture', () => {
  let app: App;
  let page: Page;

  beforeAll(async () => {
    app = await startApp();
    page = await openPage(app);
    await page.setInputFiles('[data-testid="file-input"]', [file('scenarios/default.yaml'), file('examples/legacy-client.yaml'), file('examples/rbac.yaml')]);
    await page.waitForFunction(() => window.__meshviz?.scenario() === 'custom');
  });

  afterAll(async () => {
    await app?.close();
  });

  it('STRICT from the control: the legacy pod’s plaintext call stops at api’s sidecar, marked there and told in the log', async () => {
    const api = await mv(page, (m) => m.podOf('api') as string);
    const legacy = await mv(page, (m) => m.podOf('legacy') as string);
    expect(await page.textContent(`[data-testid="pod-${legacy}"] .card-sidecar`)).toBe('no sidecar');
    await page.check('[data-testid="mtls-STRICT"]');
    expect(await textOf(page, 'mtls-note')).toContain('resets any plaintext connection');
    // istiod pushes the PeerAuthentication to the sidecars after its push delay.
    await mv(page, (m) => m.advance(100_000));
    await page.selectOption('[data-testid="send-from"]', 'legacy');
    await page.selectOption('[data-testid="send-to"]', 'default/api');
    await mv(page, (m) => m.pause());
    await page.click('[data-testid="send-one"]');
    // Step to the stop: the request crosses the wire and halts at api's sidecar.
    const hops = await mv(page, (m) => [m.step(), m.step()]);
    expect(hops).toEqual([`wire:${legacy}>${api}`, `sidecar:${api}`]);
    expect(await mv(page, (m) => m.marks())).toEqual([{ pod: api, kind: 'mtls', label: 'mTLS STRICT: reset' }]);
    await mv(page, (m) => m.finishPlayback());
    expect(await textOf(page, 'log-stopped')).toContain("api's sidecar reset the connection: plaintext is refused under PeerAuthentication STRICT");
    expect(await textOf(page, 'log-app-saw')).toMatch(/^no response \(reset\)/);
    expect(await page.locator('[data-testid="event-log"] li[data-kind="mtls.reject"]').textContent()).toContain("sidecar rejects the connection");
    expect(await textOf(page, `received-${api}`)).toBe('rx 0');
  });

  it('RBAC: api’s sidecar answers 403 to a caller the AuthorizationPolicy does not allow; api’s app never sees it', async () => {
    const api = await mv(page, (m) => m.podOf('api') as string);
    await page.selectOption('[data-testid="send-from"]', 'cache');
    await page.click('[data-testid="send-one"]');
    await mv(page, (m) => {
      m.step();
      m.step();
      m.step();
    });
    expect(await mv(page, (m) => m.marks().filter((k) => k.kind === 'authz'))).toEqual([{ pod: api, kind: 'authz', label: '403 RBAC: denied' }]);
    await mv(page, (m) => m.finishPlayback());
    expect(await textOf(page, 'log-app-saw')).toMatch(/^403 /);
    expect(await textOf(page, 'log-stopped')).toContain('AuthorizationPolicy/default/api-readers');
    expect(await page.locator('[data-testid="event-log"] li[data-kind="authz.deny"]').textContent()).toContain('403 RBAC: access denied');
    expect(await page.locator('[data-testid="event-log"] li[data-kind="app.receive"]').count()).toBe(0);
  });
});
