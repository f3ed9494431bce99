import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mv, openPage, startApp, textOf } from './harness.ts';
import type { App } from './harness.ts';

const file = (path: string) => ({ name: path.split('/').pop() as string, mimeType: 'text/yaml', buffer: readFileSync(new URL(`../${path}`, import.meta.url)) });
const hostile = (name: string) => file(`tests/fixtures/hostile/${name}`);

/** The page answers a trivial question within `ms`: its main thread is not stuck. */
async function responsive(page: Page, ms: number): Promise<boolean> {
  const answered = page.evaluate(() => true);
  const late = new Promise<false>((resolve) => setTimeout(() => resolve(false), ms));
  return Promise.race([answered, late]);
}

/**
 * The worst of tests/fixtures/hostile/ loaded into the visualizer as a user
 * drops them: each is either refused with its problems listed, or loads and
 * plays; none freezes the tab (regexes that backtrack, call cycles, a story
 * of 60 billion requests).
 */
describe('hostile files in the visualizer', () => {
  let app: App;
  let page: Page;

  beforeAll(async () => {
    app = await startApp();
    page = await openPage(app);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('app calls in a cycle are refused with the call path; the previous scenario stays', async () => {
    await page.setInputFiles('[data-testid="file-input"]', [hostile('call-cycles.yaml')]);
    const text = await textOf(page, 'diagnostics', (t) => t.includes('MV0418'));
    expect(text).toContain('call-cycles.yaml was not loaded');
    expect(text).toContain('app calls go round in a cycle: api → cache → api');
    expect(await responsive(page, 2_000)).toBe(true);
    await page.click('[data-testid="diagnostics-dismiss"]');
  });

  it('regexes that backtrack match in linear time: the story plays and requests flow', async () => {
    await page.setInputFiles('[data-testid="file-input"]', [hostile('regex-backtracking.yaml')]);
    await page.waitForFunction(() => window.__meshviz?.scenario() === 'custom');
    const started = Date.now();
    await mv(page, (m) => {
      m.playStory(true);
      m.advance(20_000_000);
      m.select('api', 'users', '/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaac');
      m.send(5);
      m.finishPlayback();
    });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await mv(page, (m) => m.stats().requests)).toBeGreaterThan(0);
    expect(await responsive(page, 2_000)).toBe(true);
  });

  it('a story of 60 billion requests is not played: the panel says why and points to the CLI', async () => {
    await page.setInputFiles('[data-testid="file-input"]', [hostile('flood-rps.yaml')]);
    await page.waitForFunction(() => document.querySelector('[data-testid="story-too-large"]') !== null);
    expect(await textOf(page, 'story-too-large')).toBe(
      'This story would simulate about 60,000,000,000 requests (≈ 240,000,000,000 request-hops, ≈ 9 days here); the visualizer plays stories of up to 1,000,000 request-hops. Run it with npx meshviz simulate instead.',
    );
    expect(await page.isDisabled('[data-testid="story-play"]')).toBe(true);
    await mv(page, (m) => m.playStory(true));
    expect(await mv(page, (m) => m.story())).toBeUndefined();
    expect(await responsive(page, 2_000)).toBe(true);
  });

  it('names that are prototype members load and play', async () => {
    await page.setInputFiles('[data-testid="file-input"]', [hostile('prototype-names.yaml')]);
    await page.waitForFunction(() => window.__meshviz?.pods().some((p) => p.workload === 'constructor'));
    await mv(page, (m) => {
      m.playStory(true);
      m.advance(5_000_000);
      m.finishPlayback();
    });
    expect(await mv(page, (m) => m.podReceived(m.podOf('constructor') as string))).toBeGreaterThan(0);
    expect(await responsive(page, 2_000)).toBe(true);
  });
});
