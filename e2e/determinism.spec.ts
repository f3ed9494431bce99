import { readFileSync } from 'node:fs';
import { describe, expect } from 'vitest';
import { test } from './fixtures.ts';
import { GOLDEN_CASES, readCaseFiles } from '../tests/golden/cases.ts';
import { mv } from './harness.ts';

/**
 * Same scenario + seed ⇒ the same event stream, in Chromium as in Node: every
 * golden case runs in the page (the engine the visualizer plays) and must give
 * the digest pinned in tests/golden/streams.json by the Node run.
 */
const pinned = JSON.parse(readFileSync(new URL('../tests/golden/streams.json', import.meta.url), 'utf8')) as Record<string, string>;

describe('golden event streams in Chromium', () => {
  for (const c of GOLDEN_CASES) {
    test(c.name, async ({ page }) => {
      const run = { ...c, files: readCaseFiles(c) };
      expect(await mv(page, (h, r) => h.digestRun(r), run)).toBe(pinned[c.name]);
    });
  }
});
