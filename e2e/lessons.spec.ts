import type { Page } from 'playwright-core';
import { describe, expect } from 'vitest';
import { test } from './fixtures.ts';
import { attrIs, mv, textOf } from './harness.ts';

/** Starts a lesson from the panel, as a visitor does. */
async function start(page: Page, id: string): Promise<void> {
  if ((await page.locator('[data-testid="lessons"]').count()) > 0) await page.click('[data-testid="lesson-leave"]');
  await page.selectOption('[data-testid="lesson-pick"]', id);
  await page.click('[data-testid="lesson-start"]');
  await attrIs(page, '[data-testid="lessons"]', 'data-lesson', id);
}

/** Clicks Do it on the current step, lets what it started finish (or `micros` pass), and reads the numbers. */
async function doStep(page: Page, micros?: number) {
  await page.click('[data-testid="lesson-do"]');
  await mv(page, (m, us) => (us === undefined ? m.finishPlayback() : m.advance(us)), micros);
  return { stats: await mv(page, (m) => m.stats()) };
}

async function next(page: Page): Promise<void> {
  const { step } = (await mv(page, (m) => m.lesson())) as { step: number };
  await page.click('[data-testid="lesson-next"]');
  await attrIs(page, '[data-testid="lessons"]', 'data-step', String(step + 1));
}

const rx = (page: Page, workload: string) => mv(page, (m, w) => m.pods().filter((p) => p.workload === w).reduce((n, p) => n + m.podReceived(p.name), 0), workload);

/** Every lesson walked as a visitor would: pick it, then Do it and Next through its steps; what each step promises is checked. */
describe('lessons', () => {
  test('the panel lists the lessons; each step says what to do and shows its YAML', async ({ page }) => {
    const titles = await page.locator('[data-testid="lesson-pick"] option').allTextContents();
    expect(titles.length).toBeGreaterThanOrEqual(6);
    // The picked lesson says what it is about under the picker, and follows the pick.
    expect(await textOf(page, 'lesson-summary')).toContain('Move users from v1 to v2');
    await page.selectOption('[data-testid="lesson-pick"]', 'failing-pod');
    expect(await textOf(page, 'lesson-summary', (t) => t.includes('Break users-v1'))).toContain('Break users-v1 and watch');
    await start(page, 'canary');
    expect(await textOf(page, 'lesson-text')).toContain('drag the users v1 slider to 100');
    expect(await page.textContent('.lesson-yaml')).toContain('weight: 100');
  });

  test('canary rollout: 100/0, 50/50, 0/100', async ({ page }) => {
    await doStep(page);
    await next(page);
    await doStep(page);
    expect(await mv(page, (m) => m.shares('default/users#0'))).toEqual([100, 0]);
    await next(page);
    await doStep(page);
    const [, half] = await mv(page, (m) => m.shares('default/users#0'));
    expect(half).toBeGreaterThan(30);
    expect(half).toBeLessThan(70);
    await next(page);
    await doStep(page);
    expect(await mv(page, (m) => m.shares('default/users#0'))).toEqual([0, 100]);
    expect(await page.inputValue('[data-testid="weight-default/users#0-v2"]')).toBe('100');
    await page.click('[data-testid="lesson-end"]');
    await page.waitForSelector('[data-testid="lessons"]', { state: 'detached' });
  });

  test('a failing pod: retries, ejection, fail-fast, recovery', async ({ page }) => {
    await start(page, 'failing-pod');
    await doStep(page);
    await next(page);
    const broken = await doStep(page);
    expect(broken.stats.retries).toBeGreaterThan(0);
    expect(broken.stats.ejections).toBe(1);
    await next(page);
    const before = await rx(page, 'users-v1');
    await doStep(page);
    expect(await rx(page, 'users-v1')).toBe(before);
    await next(page);
    await doStep(page);
    await next(page);
    await doStep(page);
    expect(await rx(page, 'users-v1')).toBeGreaterThan(before);
  });

  test('a retry storm: 4, 16, 64 attempts down the layers; 4 once only one layer retries', async ({ page }) => {
    await start(page, 'retry-storm');
    await doStep(page);
    await next(page);
    await doStep(page);
    expect([await rx(page, 'api'), await rx(page, 'users'), await rx(page, 'db')]).toEqual([4, 16, 64]);
    await next(page);
    await doStep(page);
    expect(await rx(page, 'db')).toBe(68);
  });

  test('a slow pod: a third of the traffic under round robin, far less under least request', async ({ page }) => {
    await start(page, 'slow-pod');
    const share = async () => (await rx(page, 'api-slow')) / ((await rx(page, 'api')) + (await rx(page, 'api-slow')));
    await doStep(page, 11_000_000);
    expect(await share()).toBeGreaterThan(0.3);
    await next(page);
    await doStep(page, 11_000_000);
    expect(await share()).toBeLessThan(0.2);
  });

  test('STRICT mTLS resets the caller without a sidecar; api left PERMISSIVE lets it through', async ({ page }) => {
    await start(page, 'strict-mtls');
    expect((await doStep(page)).stats).toMatchObject({ completed: 1, failures: 0 });
    await next(page);
    expect((await doStep(page)).stats).toMatchObject({ completed: 2, failures: 1 });
    await textOf(page, 'log-stopped', (t) => t.includes('plaintext is refused under PeerAuthentication STRICT'));
    await next(page);
    expect((await doStep(page)).stats).toMatchObject({ completed: 3, failures: 1 });
  });

  test('a VirtualService before its DestinationRule: 503 NC for two seconds', async ({ page }) => {
    await start(page, 'subset-before-rule');
    await page.click('[data-testid="lesson-do"]');
    await mv(page, (m) => m.pause());
    await next(page);
    const { stats } = await doStep(page, 0);
    expect(stats.failures).toBeGreaterThan(5);
    await attrIs(page, '[data-testid="story"]', 'data-state', 'over');
  });

  test('an istiod outage: serving on, changes waiting, certificates expiring, healed when istiod is back', async ({ page }) => {
    await start(page, 'istiod-outage');
    await page.click('[data-testid="lesson-do"]');
    await mv(page, (m) => m.pause());
    await next(page);
    expect((await doStep(page)).stats).toMatchObject({ completed: 1, failures: 0 });
    await next(page);
    expect((await doStep(page)).stats).toMatchObject({ completed: 2, failures: 1 });
    await next(page);
    expect((await doStep(page)).stats).toMatchObject({ completed: 3, failures: 1 });
  });
});
