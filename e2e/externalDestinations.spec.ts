import { describe, expect } from 'vitest';
import { test } from './fixtures.ts';
import { mv } from './harness.ts';

const EGRESS = ['examples/egress/mesh.yaml', 'examples/egress/simulation.yaml'];

/**
 * The send panel offers the hosts outside the mesh as destinations: a
 * ServiceEntry's host (reached, under REGISTRY_ONLY) and a host the apps
 * dial without one (answered 502 by the sidecar's block_all route).
 */
describe('external hosts in the send panel', () => {
  test('lists the ServiceEntry hosts and the undeclared one; sending to each crosses the picture as the mesh would', async ({ page }) => {
    await page.setInputFiles('[data-testid="file-input"]', EGRESS);
    await page.waitForFunction(() => window.__meshviz?.pods().some((p) => p.workload === 'checkout'));
    const options = await page.$$eval('[data-testid="send-to"] optgroup[label="Outside the mesh"] option', (els) => els.map((e) => e.textContent));
    expect(options).toContain('payments.example.com:80 (external)');
    expect(options).toContain('rates.example.org:80 (external)');
    // A wildcard ServiceEntry host names no one host: not offered.
    expect(options.some((o) => o?.includes('*'))).toBe(false);
    await page.selectOption('[data-testid="send-from"]', 'checkout');
    await page.selectOption('[data-testid="send-to"]', 'external:payments.example.com:80');
    const pods = await mv(page, (m) => m.pods());
    const checkout = pods.find((p) => p.workload === 'checkout')!.name;
    await mv(page, (m) => {
      m.setSpeed(1);
      m.send(1);
      m.finishPlayback();
    });
    const hops = await mv(page, (m) => m.hops());
    // checkout's app → its sidecar → the wire → the external host's card, and back.
    expect(hops.slice(0, 4)).toEqual([`app:${checkout}`, `sidecar:${checkout}`, `wire:${checkout}>payments.example.com`, 'app:payments.example.com']);
    expect((await mv(page, (m) => m.stats())).failures).toBe(0);
    await page.screenshot({ path: 'e2e/screenshots/send-external.png' });
    // The undeclared host: the sidecar's block_all route answers 502 before any wire.
    await page.selectOption('[data-testid="send-to"]', 'external:rates.example.org:80');
    await mv(page, (m) => {
      m.send(1);
      m.finishPlayback();
    });
    expect((await mv(page, (m) => m.hops())).some((h) => h.startsWith('wire:'))).toBe(false);
    expect((await mv(page, (m) => m.stats())).failures).toBe(1);
  });
});
