import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOLDEN_CASES, readCaseFiles } from '../tests/golden/cases.ts';
import { mv, openPage, startApp } from './harness.ts';
import type { App } from './harness.ts';

/**
 * Same scenario + seed ⇒ the same event stream, in Chromium as in Node: every
 * golden case runs in the page (the engine the visualizer plays) and must give
 * the digest pinned in tests/golden/streams.json by the Node run.
 */
const pinned = JSON.parse(readFileSync(new URL('../tests/golden/streams.json', import.meta.url), 'utf8')) as Record<string, string>;

describe('golden event streams in Chromium', () => {
  let app: App;
  let page: Page;

  beforeAll(async () => {
    app = await startApp();
    page = await openPage(app);
  });

  afterAll(async () => {
    await app?.close();
  });

  for (const c of GOLDEN_CASES) {
    it(c.name, async () => {
      const run = { ...c, files: readCaseFiles(c) };
      expect(await mv(page, (h, r) => h.digestRun(r), run)).toBe(pinned[c.name]);
    });
  }
});
