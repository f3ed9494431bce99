import { describe, expect } from 'vitest';
import type { Page } from 'playwright-core';
import { test } from './fixtures.ts';
import { mv, playStoryOnGraph } from './harness.ts';

const EGRESS = ['examples/egress-gateway/mesh.yaml', 'examples/egress-gateway/simulation.yaml'];

/**
 * checkout's sidecar → the wire → the gateway's Envoy → the wire → the external host, and back the same way
 * to the checkout pod that called (checkout runs two: the one the shopper's request reached calls out).
 */
function expectThroughGateway(hops: string[], gateway: string, external: string): void {
  const out = hops.findIndex((h) => h.startsWith('wire:checkout-') && h.endsWith(`>${gateway}`));
  expect(out).toBeGreaterThan(0);
  const caller = (hops[out] as string).slice('wire:'.length, -`>${gateway}`.length);
  expect(hops.slice(out + 1, out + 8)).toEqual([
    `sidecar:${gateway}`,
    `sidecar:${gateway}`,
    `wire:${gateway}>${external}`,
    `app:${external}`,
    `wire:${external}>${gateway}`,
    `sidecar:${gateway}`,
    `wire:${gateway}>${caller}`,
  ]);
}

/**
 * Loads an egress scenario in the Pods view (a view chosen by an earlier test would otherwise stay) and
 * names its egress gateway's pod and the first pod of the caller's workload.
 */
async function loadEgress(page: Page, files: string[], caller: string): Promise<[gateway: string, caller: string]> {
  await page.setInputFiles('[data-testid="file-input"]', files);
  await page.waitForFunction(() => window.__meshviz?.pods().some((p) => p.workload === 'istio-egressgateway'));
  await page.click('[data-testid="view-tab-pods"]');
  const pods = await mv(page, (m) => m.pods());
  return [pods.find((p) => p.workload === 'istio-egressgateway')!.name, pods.find((p) => p.workload === caller)!.name];
}

/** One request from the outside client to `to` (a `send-to` option), played to its end; the hops it lit. */
async function sendFromOutside(page: Page, to: string): Promise<string[]> {
  await page.selectOption('[data-testid="send-from"]', 'external');
  await page.selectOption('[data-testid="send-to"]', to);
  await mv(page, (m) => {
    m.setSpeed(1);
    m.send(1);
    m.finishPlayback();
  });
  return mv(page, (m) => m.hops());
}

/**
 * The egress gateway in the picture: its pod is a card of its own, labelled
 * an egress gateway; the caller's wire goes to it and its wire on to the
 * external service, and a request to the external host crosses it.
 */
describe('the egress gateway in the visualizer', () => {
  test('checkout → egress gateway → the external API: wires, card and the hops of a request', async ({ page }) => {
    const [gateway, checkout] = await loadEgress(page, EGRESS, 'checkout');
    expect(await page.textContent(`[data-testid="gateway-${gateway}"]`)).toBe('egress gateway');
    // The static wires follow the routes: checkout's to the gateway, the gateway's to the external API; none straight out.
    const wires = await page.$$eval('[data-wire]', (els) => els.map((e) => e.getAttribute('data-wire')));
    expect(wires.some((w) => w?.includes(gateway) && w.includes(checkout))).toBe(true);
    expect(wires.some((w) => w?.startsWith(`${gateway}>`) && w.includes('api.payments.example'))).toBe(true);
    expect(wires.some((w) => w?.includes(checkout) && w.includes('api.payments.example'))).toBe(false);
    // A shopper's request to checkout, whose app calls the external API.
    const hops = await sendFromOutside(page, 'default/checkout');
    expectThroughGateway(hops, gateway, 'api.payments.example');
    await page.screenshot({ path: 'e2e/screenshots/egress-gateway.png' });
  });
});

const TLS_ORIGINATION = ['examples/egress-tls-origination/mesh.yaml', 'examples/egress-tls-origination/simulation.yaml'];

describe('TLS origination at the egress gateway in the visualizer', () => {
  test('a request crosses the sidecar → gateway wire over mTLS (ISTIO_MUTUAL) and the gateway → external wire over the TLS the gateway originates', async ({ page }) => {
    const [gateway, sleep] = await loadEgress(page, TLS_ORIGINATION, 'sleep');
    const onward = `[data-wire="${gateway}>edition.cnn.com"]`;
    // The static wire from sleep to the gateway: the route sleep's calls take goes to the gateway's port 443, ISTIO_MUTUAL (its port 80 cluster, auto mTLS to a pod without a sidecar, is not taken).
    const first = `[data-wire="${sleep}>${gateway}"]`;
    expect(await page.getAttribute(first, 'data-mtls')).toBe('true');
    expect(await page.textContent(`${first} text`)).toBe('mTLS');
    // The static wire on to the external host: the gateway's cluster there originates TLS (SIMPLE).
    expect(await page.getAttribute(onward, 'data-mtls')).toBe('false');
    expect(await page.textContent(`${onward} text`)).toBe('TLS');
    // A reader's request to sleep, whose app calls edition.cnn.com over plain HTTP.
    await sendFromOutside(page, 'default/sleep');
    const seen = await mv(page, (m, p) => [m.wireMtls(p.sleep, p.gateway), m.wireMtls(p.gateway, 'edition.cnn.com')], { sleep, gateway });
    expect(seen).toEqual([true, false]);
    expect(await mv(page, (m) => [m.stats().completed, m.stats().failures])).toEqual([1, 0]);
    await page.screenshot({ path: 'e2e/screenshots/egress-tls-origination.png' });
  });
});

describe('ServiceEntry hosts on the Graph view', () => {
  test('the egress gateway calls the payments entry, drawn as Kiali draws it: one node named after the entry, in the caller’s namespace', async ({ page }) => {
    await playStoryOnGraph(page, EGRESS, 'istio-egressgateway', 3_000);
    const entry = '[data-testid="graph-node-svc_Kubernetes_istio-system_payments"]';
    await page.waitForSelector('[data-testid="graph-edge-vapp_Kubernetes_istio-system_istio-egressgateway>svc_Kubernetes_istio-system_payments"]');
    expect(await page.getAttribute(entry, 'aria-label')).toMatch(/^ServiceEntry payments \(MESH_EXTERNAL: api\.payments\.example\)/);
    expect(await page.textContent(entry)).toContain('service entry');
    const nodes = await page.$$eval('[data-testid^="graph-node-"]', (els) => els.map((e) => e.getAttribute('data-testid')));
    expect(nodes.some((n) => n?.includes('_unknown_api.payments.example'))).toBe(false);
    await page.screenshot({ path: 'e2e/screenshots/egress-graph.png' });
  });
});

const EGRESS_TLS = ['examples/egress-gateway-tls/mesh.yaml', 'examples/egress-gateway-tls/simulation.yaml'];

describe('the egress gateway for TLS the app originates, in the visualizer', () => {
  test('checkout’s sidecar and the gateway are TCP proxies routed by SNI: the hops go through the gateway, one attempt each', async ({ page }) => {
    const [gateway, checkout] = await loadEgress(page, EGRESS_TLS, 'checkout');
    // The tls rules send checkout's connections to the gateway and the gateway's on to the host; none goes straight out.
    const wires = await page.$$eval('[data-wire]', (els) => els.map((e) => e.getAttribute('data-wire')));
    expect(wires).toContain(`${checkout}>${gateway}`);
    expect(wires).toContain(`${gateway}>edition.cnn.com`);
    expect(wires.some((w) => w?.includes(checkout) && w.includes('edition.cnn.com'))).toBe(false);
    // Both wires carry the app's own TLS, passed through unopened: not mesh mTLS, not plaintext.
    for (const wire of [`${checkout}>${gateway}`, `${gateway}>edition.cnn.com`]) {
      expect(await page.getAttribute(`[data-wire="${wire}"]`, 'data-mtls')).toBe('false');
      expect(await page.textContent(`[data-wire="${wire}"] text`)).toBe('TLS');
    }
    const hops = await sendFromOutside(page, 'default/checkout');
    expectThroughGateway(hops, gateway, 'edition.cnn.com');
    expect(await mv(page, (m) => [m.stats().completed, m.stats().failures, m.stats().retries])).toEqual([1, 0, 0]);
    await page.screenshot({ path: 'e2e/screenshots/egress-gateway-tls.png' });
  });
});
