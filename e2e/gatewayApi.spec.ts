import { describe, expect } from 'vitest';
import { test } from './fixtures.ts';
import { mv } from './harness.ts';

const GATEWAY_API = ['examples/gateway-api/mesh.yaml', 'examples/gateway-api/simulation.yaml'];

/**
 * A Gateway API Gateway in the picture: the pod istiod would deploy for it
 * (`shop-gateway-istio`, made by meshviz as no manifest has it) is an
 * ingress gateway card, and a request from outside crosses it to the
 * service its HTTPRoute names.
 */
describe('a Gateway API Gateway in the visualizer', () => {
  test('the deployed gateway pod is an ingress gateway card; a request from outside crosses it to web', async ({ page }) => {
    await page.setInputFiles('[data-testid="file-input"]', GATEWAY_API);
    await page.waitForFunction(() => window.__meshviz?.pods().some((p) => p.workload === 'shop-gateway-istio'));
    const gateway = (await mv(page, (m) => m.pods())).find((p) => p.workload === 'shop-gateway-istio')!.name;
    expect(await page.textContent(`[data-testid="gateway-${gateway}"]`)).toBe('ingress gateway');
    expect(await page.textContent(`[data-testid="sidecar-${gateway}"]`)).toContain('envoy (router)');
    await page.selectOption('[data-testid="send-from"]', 'external');
    const options = await page.$$eval('[data-testid="send-to"] option', (els) => els.map((e) => e.textContent ?? ''));
    // The outside client's target: a host one of the Gateway's routes takes, entered through its pod.
    expect(options).toContain('www.shop.example:80 (via shop-gateway-istio)');
    await page.selectOption('[data-testid="send-to"]', { label: 'www.shop.example:80 (via shop-gateway-istio)' });
    await mv(page, (m) => {
      m.setSpeed(1);
      m.send(1);
      m.finishPlayback();
    });
    const hops = await mv(page, (m) => m.hops());
    // The HTTPRoute's catch-all rule sends / to web: the gateway's wire goes there.
    const through = hops.findIndex((h) => h.startsWith(`wire:${gateway}>web-`));
    expect(hops.slice(0, through)).toContain(`sidecar:${gateway}`);
    expect(through).toBeGreaterThan(0);
    expect(await mv(page, (m) => [m.stats().completed, m.stats().failures])).toEqual([1, 0]);
    // The gateway card counts the request it took from outside.
    expect(await page.textContent(`[data-testid="received-${gateway}"]`)).toBe('rx 1');
    await page.screenshot({ path: 'e2e/screenshots/gateway-api.png' });
  });
});
