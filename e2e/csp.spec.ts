import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../src/cli/staticServer.ts';
import { mv, startApp } from './harness.ts';
import type { App } from './harness.ts';

/**
 * The production build under the server's Content-Security-Policy: the app
 * loads and works (send, a second scenario, YAML from a file, the story)
 * with no violation reported, no console error and no page error.
 */
describe('the visualizer under its Content-Security-Policy', () => {
  let app: App;
  let page: Page;
  const problems: string[] = [];
  const violations = () => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp.splice(0));

  beforeAll(async () => {
    app = await startApp();
    page = await app.browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    await page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { __csp: string[] }).__csp = seen;
      document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.effectiveDirective} ${e.blockedURI}`));
    });
    const response = await page.goto(app.server.url);
    expect(response?.headers()['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    await page.waitForFunction(() => window.__meshviz !== undefined && document.querySelector('[data-testid="mesh"]') !== null, undefined, { timeout: 60_000 });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('loads with no violation', async () => {
    expect(await violations()).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('works with no violation: sending, switching scenario, loading YAML, playing the story', async () => {
    await page.click('[data-testid="send-one"]');
    await mv(page, (m) => m.finishPlayback());
    expect(await mv(page, (m) => m.stats().completed)).toBe(1);
    await page.selectOption('[data-testid="scenario"]', 'bookinfo');
    await page.waitForFunction(() => window.__meshviz?.scenario() === 'bookinfo');
    await mv(page, (m) => m.send(3));
    await mv(page, (m) => m.finishPlayback());
    const file = { name: 'default.yaml', mimeType: 'text/yaml', buffer: readFileSync(new URL('../scenarios/default.yaml', import.meta.url)) };
    await page.setInputFiles('[data-testid="file-input"]', [file]);
    await page.waitForFunction(() => window.__meshviz?.scenario() === 'custom');
    await mv(page, (m) => m.playStory(true));
    await mv(page, (m) => m.advance(5_000_000));
    await mv(page, (m) => m.playStory(false));
    expect(await violations()).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('would notice a violation: an inline script is blocked and reported', async () => {
    await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.__ran = true;';
      document.body.append(script);
    });
    await page.waitForFunction(() => (window as unknown as { __csp: string[] }).__csp.length > 0);
    expect(await violations()).toEqual(['script-src-elem inline']);
    expect(await page.evaluate(() => (window as unknown as { __ran?: boolean }).__ran)).toBeUndefined();
  });
});
