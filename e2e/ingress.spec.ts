import { describe, expect } from 'vitest';
import { test } from './fixtures.ts';
import { mv, playStoryOnGraph } from './harness.ts';

const INGRESS = ['examples/ingress/mesh.yaml', 'examples/ingress/simulation.yaml'];

/**
 * The ingress gateway in the picture: its pods are cards of their own (an
 * Envoy, no app), the outside client's wire goes to them and theirs to the
 * services their routes name, and a request from outside crosses that path.
 */
describe('the ingress gateway in the visualizer', () => {
  test('the gateway is its own card, entered from outside; a request from outside crosses it to web and catalog', async ({ page }) => {
    await page.setInputFiles('[data-testid="file-input"]', INGRESS);
    await page.waitForFunction(() => window.__meshviz?.pods().some((p) => p.workload === 'istio-ingressgateway'));
    const gateways = (await mv(page, (m) => m.pods())).filter((p) => p.workload === 'istio-ingressgateway').map((p) => p.name);
    expect(gateways).toHaveLength(2);
    for (const pod of gateways) {
      expect(await page.textContent(`[data-testid="gateway-${pod}"]`)).toBe('ingress gateway');
      expect(await page.textContent(`[data-testid="sidecar-${pod}"]`)).toContain('envoy (router)');
      expect(await page.locator(`[data-testid="health-${pod}"]`).count()).toBe(0);
    }
    // The outside client sends through the gateway by default: its wire and the gateway's to web are drawn.
    expect(await page.isVisible('.client-box')).toBe(true);
    expect(await page.textContent('[data-testid="send-to"] option:checked')).toBe('shop.example.com:443 (via istio-ingressgateway)');
    // The client's TLS ends at the gateway (tls SIMPLE); the gateway's own calls are Istio mTLS.
    expect(await page.textContent(`[data-wire="external>${gateways[0]}"] text`)).toBe('TLS');
    await mv(page, (m) => {
      m.setSpeed(1);
      m.send(1);
      m.finishPlayback();
    });
    const hops = await mv(page, (m) => m.hops());
    expect(hops.some((h) => /istio-ingressgateway/.test(h))).toBe(true);
    expect(hops.some((h) => /web-/.test(h))).toBe(true);
    expect(await mv(page, (m) => [m.stats().completed, m.stats().failures])).toEqual([1, 0]);
    await page.screenshot({ path: 'e2e/screenshots/ingress-gateway.png' });
  });
});

describe('the ingress gateway on the Graph view', () => {
  test('the gateway workload calls the web Service, as Kiali draws it (no node for the host the client sent)', async ({ page }) => {
    await playStoryOnGraph(page, INGRESS, 'istio-ingressgateway', 3_000);
    await page.waitForSelector('[data-testid="graph-edge-vapp_Kubernetes_istio-system_istio-ingressgateway>svc_Kubernetes_shop_web"]');
    const nodes = await page.$$eval('[data-testid^="graph-node-"]', (els) => els.map((e) => e.getAttribute('data-testid')));
    expect(nodes.some((n) => n?.includes('example.com'))).toBe(false);
    expect(nodes).toContain('graph-node-vapp_Kubernetes_istio-system_istio-ingressgateway');
    await page.screenshot({ path: 'e2e/screenshots/ingress-graph.png' });
  });
});

describe('a gateway’s TCP proxies on the Graph view', () => {
  test('PASSTHROUGH to vault and a TCP server to catalog are TCP edges: connections/s and bytes/s, no response time', async ({ page }) => {
    await playStoryOnGraph(page, ['examples/ingress/mesh.yaml', 'tests/fixtures/telemetry/tcp-proxies.yaml'], 'vault', 1_500);
    const toVault = '[data-testid="graph-edge-vapp_Kubernetes_istio-system_istio-ingressgateway>svc_Kubernetes_shop_vault>tcp"]';
    await page.waitForSelector(toVault);
    const label = (await page.textContent(toVault)) ?? '';
    expect(label).toMatch(/conn\/s/);
    expect(label).toMatch(/B\/s/);
    expect(label).not.toMatch(/p99/);
    expect(await page.getAttribute(toVault, 'aria-label')).toMatch(/: TCP, /);
    await page.screenshot({ path: 'e2e/screenshots/tcp-graph.png' });
  });
});
