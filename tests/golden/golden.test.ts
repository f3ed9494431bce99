import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GOLDEN_CASES, digestOf } from './cases.ts';

/**
 * The full event stream of every case, pinned by digest. A change here must be
 * deliberate: say in the commit which behaviour changed and why, then rewrite
 * the file with `MESHVIZ_UPDATE_GOLDEN=1 npx vitest run tests/golden`.
 */
const FILE = new URL('./streams.json', import.meta.url);
const update = process.env.MESHVIZ_UPDATE_GOLDEN === '1';
const pinned = JSON.parse(readFileSync(FILE, 'utf8')) as Record<string, string>;
const seen: Record<string, string> = {};

describe('golden event streams (design: same scenario + seed ⇒ identical stream)', () => {
  for (const c of GOLDEN_CASES) {
    it(c.name, () => {
      const digest = digestOf(c);
      seen[c.name] = digest;
      if (update) {
        if (Object.keys(seen).length === GOLDEN_CASES.length) writeFileSync(FILE, `${JSON.stringify(seen, null, 2)}\n`);
        return;
      }
      expect(digest).toBe(pinned[c.name]);
    });
  }

  it.runIf(!update)('every pinned case is still run', () => {
    expect(Object.keys(pinned).sort()).toEqual(GOLDEN_CASES.map((c) => c.name).sort());
  });
});
