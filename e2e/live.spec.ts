import { readFileSync } from 'node:fs';
import { describe, expect } from 'vitest';
import { analyze } from '../src/api/index.ts';
import { REAPPLY_USERS_RULE, withTimeline } from '../tests/helpers/storyTimeline.ts';
import { test } from './fixtures.ts';
import { attrIs, mv, textOf } from './harness.ts';

/** The default mesh whose story re-applies the users DestinationRule at 1 s (its outlier detection dropped). */
const reapply = withTimeline(REAPPLY_USERS_RULE);

/**
 * One live mesh, honest time, the canary: each test drives virtual time
 * through the page's test handle and never sleeps.
 */
describe('one live mesh and honest time', () => {
  test('a slider edit survives the story pushing the users DestinationRule again: the sliders, the YAML and the traffic all stay 0/100', async ({ page }) => {
    await page.setInputFiles('[data-testid="file-input"]', { name: 'reapply.yaml', mimeType: 'text/yaml', buffer: Buffer.from(reapply) });
    await page.waitForFunction(() => window.__meshviz?.scenario() === 'custom');
    await mv(page, (m) => m.setWeights('default/users#0', [0, 100]));
    await page.click('[data-testid="story-play"]');
    await mv(page, (m) => {
      m.pause();
      m.advance(3_000_000);
    });
    await attrIs(page, '[data-testid="story-step"]', 'data-state', 'done');
    expect(await page.locator('[data-testid="story-step"] .note').count()).toBe(0);
    expect(await page.inputValue('[data-testid="weight-default/users#0-v1"]')).toBe('0');
    expect(await page.inputValue('[data-testid="weight-default/users#0-v2"]')).toBe('100');
    expect(await textOf(page, 'yaml-pane')).toMatch(/subset: v1 }\s+weight: 0[\s\S]*subset: v2 }\s+weight: 100/);
    const received = await mv(page, (m) => [m.podReceived(m.podOf('users-v1') as string), m.podReceived(m.podOf('users-v2') as string)]);
    expect(received[0]).toBe(0);
    expect(received[1]).toBeGreaterThan(40);
  });

  test('speed 1× plays a request in as much wall time as it takes in simulated time; the clock shows the time and the factor', async ({ page }) => {
    await page.selectOption('[data-testid="scenario"]', 'default');
    await page.waitForFunction(() => window.__meshviz?.scenario() === 'default');
    await mv(page, (m) => {
      m.pause();
      m.select('api', 'cache');
      m.send(1);
    });
    expect(await mv(page, (m) => m.speed())).toBe(0.01);
    expect(await textOf(page, 'clock-speed')).toBe('1/100×');
    await page.selectOption('[data-testid="speed"]', '1');
    await textOf(page, 'clock-speed', (t) => t === '1×');
    const { wall, simulated } = await mv(page, (m) => {
      const start = m.now();
      let wall = 0;
      while (m.stats().completed === 0 && wall < 10_000) {
        m.playFor(1);
        wall += 1;
      }
      return { wall, simulated: m.now() - start };
    });
    expect(simulated).toBeGreaterThan(1_000);
    expect(wall).toBe(Math.ceil(simulated / 1_000));
  });

  test('Send 100 shows the canary: about 10 % of the burst goes to v2, and each share bar says how many', async ({ page }) => {
    await mv(page, (m) => m.select('api', 'users'));
    await page.click('[data-testid="send-hundred"]');
    expect(await mv(page, (m) => m.speed())).toBe(0.1);
    await mv(page, (m) => m.finishPlayback());
    const v2 = Number(await page.getAttribute('[data-testid="share-default/users#0-v2"]', 'data-observed'));
    const v1 = Number(await page.getAttribute('[data-testid="share-default/users#0-v1"]', 'data-observed'));
    expect(v1 + v2).toBe(100);
    expect(v2).toBeGreaterThanOrEqual(4);
    expect(v2).toBeLessThanOrEqual(18);
    expect(await textOf(page, 'share-default/users#0-v2')).toBe(`observed ${v2}% · ${v2} of 100`);
  });

  test('Space plays and pauses wherever focus is: a focused button, a select, a slider; in a text field it types', async ({ page }) => {
    for (const selector of ['[data-testid="send-one"]', '[data-testid="speed"]', '[data-testid="weight-default/users#0-v1"]', '[data-testid="mtls-PERMISSIVE"]']) {
      await page.focus(selector);
      const before = await page.getAttribute('[data-testid="play"]', 'data-playing');
      const requests = await mv(page, (m) => m.stats().requests);
      await page.keyboard.press('Space');
      await attrIs(page, '[data-testid="play"]', 'data-playing', before === 'true' ? 'false' : 'true');
      expect(await mv(page, (m) => m.stats().requests)).toBe(requests);
    }
    await page.fill('[data-testid="send-path"]', '/a');
    const before = await page.getAttribute('[data-testid="play"]', 'data-playing');
    await page.focus('[data-testid="send-path"]');
    await page.keyboard.press('Space');
    expect(await page.inputValue('[data-testid="send-path"]')).toBe('/a ');
    expect(await page.getAttribute('[data-testid="play"]', 'data-playing')).toBe(before);
  });

  test('files in the page get exactly what `meshviz analyze` says; an empty file is refused with MV0004 and the mesh stays; an example is added beside the mesh in one click', async ({ page }) => {
    await page.selectOption('[data-testid="scenario"]', 'default');
    await page.waitForFunction(() => window.__meshviz?.scenario() === 'default');
    await page.setInputFiles('[data-testid="file-input"]', { name: 'empty.yaml', mimeType: 'text/yaml', buffer: Buffer.from('') });
    expect(await textOf(page, 'diagnostics', (t) => t.includes('empty.yaml'))).toContain('empty.yaml was not loaded: there is nothing in it to simulate');
    const findings = () => page.locator('[data-testid="finding"]').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-code')} ${e.getAttribute('data-severity')}`));
    expect(await findings()).toEqual(['MV0004 info']);
    expect(await mv(page, (m) => m.scenario())).toBe('default');
    await page.click('[data-testid="diagnostics-dismiss"]');

    const examples = ['scenarios/default.yaml', 'examples/legacy-client.yaml', 'examples/rbac.yaml'].map((p) => ({ name: p.split('/').pop() as string, text: readFileSync(new URL(`../${p}`, import.meta.url), 'utf8') }));
    await page.setInputFiles('[data-testid="add-input"]', examples.slice(1).map((f) => ({ name: f.name, mimeType: 'text/yaml', buffer: Buffer.from(f.text) })));
    await page.waitForFunction(() => window.__meshviz?.scenario() === 'custom');
    expect((await mv(page, (m) => m.pods())).map((p) => p.workload)).toContain('legacy');
    const expected = analyze(examples).diagnostics.filter((d) => d.severity !== 'info').map((d) => `${d.code} ${d.severity}`);
    expect(await findings()).toEqual(expected);
  });

  test('the Live config pane is an editor: analyze’s findings inline, Apply pushes the edit like a slider, the sliders follow', async ({ page }) => {
    await page.selectOption('[data-testid="scenario"]', 'default');
    await page.waitForFunction(() => window.__meshviz?.scenario() === 'default');
    const editor = page.locator('[data-testid="editor-VirtualService-users"]');
    const line = (text: string) => editor.locator('.cm-line', { hasText: text }).first();
    const retype = async (text: string, chars: number, typed: string) => {
      await line(text).click();
      await page.keyboard.press('End');
      for (let i = 0; i < chars; i++) await page.keyboard.press('Backspace');
      await page.keyboard.type(typed);
    };
    await retype('subset: v2 }', 4, 'v3 }');
    await editor.locator('.cm-lintRange-error').first().waitFor();
    await retype('subset: v3 }', 4, 'v2 }');
    await editor.locator('.cm-lintRange-error').first().waitFor({ state: 'detached' });
    await retype('weight: 90', 2, '30');
    await retype('weight: 10', 2, '70');
    await attrIs(page, '[data-testid="editor-VirtualService-users"]', 'data-dirty', 'true');
    await mv(page, (m) => m.pause());
    await page.keyboard.press('Control+Enter');
    await attrIs(page, '[data-testid="editor-VirtualService-users"]', 'data-dirty', 'false');
    expect(await page.inputValue('[data-testid="weight-default/users#0-v1"]')).toBe('30');
    expect(await page.inputValue('[data-testid="weight-default/users#0-v2"]')).toBe('70');
    // Only the two edited lines are marked as changed.
    expect(await editor.locator('.cm-line.cm-changed').allTextContents()).toEqual([expect.stringContaining('weight: 30'), expect.stringContaining('weight: 70')]);
    await mv(page, (m) => m.advance(100_000));
    await mv(page, (m) => {
      m.select('api', 'users');
      m.send(100);
      m.finishPlayback();
    });
    const v2 = Number(await page.getAttribute('[data-testid="share-default/users#0-v2"]', 'data-observed'));
    expect(v2).toBeGreaterThan(55);
    expect(v2).toBeLessThan(85);
  });

  test('weights that do not add up to 100 are shown as Istio reads them, shares of their sum, and the slider panel says so', async ({ page }) => {
    await mv(page, (m) => m.setWeights('default/users#0', [30, 30]));
    expect(await textOf(page, 'canary-sum-default/users#0')).toContain('These weights add up to 60, not 100');
    expect(await page.textContent('[data-testid="canary-default/users#0"] output')).toBe('30 → 50%');
    await page.locator('[data-testid="weight-default/users#0-v1"]').focus();
    await page.keyboard.press('ArrowRight');
    // Moving a slider makes them add up to 100 again: v1 31, v2 the rest.
    await page.waitForSelector('[data-testid="canary-sum-default/users#0"]', { state: 'detached' });
    expect(await page.inputValue('[data-testid="weight-default/users#0-v2"]')).toBe('69');
  });
});
