import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attrIs, mv, openPage, startApp, textOf } from './harness.ts';
import type { App } from './harness.ts';

/**
 * The default scenario's own story: browse traffic at 20 req/s, users-v1
 * failing from 15 s to 45 s. The test pauses right after starting it and
 * moves virtual time only through the test handle.
 */
describe('playing the scenario’s story', () => {
  let app: App;
  let page: Page;
  let v1: string;

  beforeAll(async () => {
    app = await startApp();
    page = await openPage(app);
    v1 = await mv(page, (m) => m.podOf('users-v1') as string);
  });

  afterAll(async () => {
    await app?.close();
  });

  const steps = () => page.locator('[data-testid="story-step"]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-state'), e.textContent]));

  it('lists the traffic and the timeline before it plays', async () => {
    expect(await textOf(page, 'story-traffic-browse')).toContain('web → api:8080/products, 20 req/s for 1m');
    expect(await steps()).toEqual([
      ['later', '15s· users-v1 starts failing (503)'],
      ['later', '45s· users-v1 recovers'],
    ]);
  });

  it('plays from 0 s: the clock, the requests sent, and what comes next and when', async () => {
    await page.click('[data-testid="story-play"]');
    await mv(page, (m) => m.pause());
    await attrIs(page, '[data-testid="story"]', 'data-state', 'playing');
    await mv(page, (m) => m.advance(Math.ceil(12_000_000 - m.now())));
    expect(await textOf(page, 'story-clock', (t) => t.includes('12.0000 s'))).toContain('story time');
    expect(await textOf(page, 'story-traffic-browse', (t) => /sent 24\d of 1200/.test(t))).toBeTruthy();
    // On a loaded machine the step list was seen one refresh behind the clock ("in 3.1s" at 12.0 s); both are this step, about 3 s away.
    const [next] = await steps();
    expect(next?.[0]).toBe('next');
    expect(next?.[1]).toMatch(/^15s▸ users-v1 starts failing \(503\) · in 3(\.1)?s$/);
    await attrIs(page, `[data-testid="pod-${v1}"]`, 'data-state', 'healthy');
  });

  it('at 15 s users-v1 starts failing: its card says so, and failures and an ejection follow', async () => {
    await mv(page, (m) => m.advance(4_000_000));
    await attrIs(page, `[data-testid="pod-${v1}"]`, 'data-state', 'failing-503');
    expect((await steps()).map(([state]) => state)).toEqual(['done', 'next']);
    const s = await mv(page, (m) => m.stats());
    expect(s.failures + s.retries).toBeGreaterThan(0);
    expect(s.ejections).toBeGreaterThanOrEqual(1);
  });

  it('at 45 s it recovers, and at the end the story says it is over', async () => {
    await mv(page, (m) => m.advance(30_000_000));
    await attrIs(page, `[data-testid="pod-${v1}"]`, 'data-state', 'healthy');
    await mv(page, (m) => m.advance(20_000_000));
    await attrIs(page, '[data-testid="story"]', 'data-state', 'over');
    expect(await textOf(page, 'story-traffic-browse')).toContain('sent 1200 of 1200');
    expect(await mv(page, (m) => m.story()?.over)).toBe(true);
  });
});
