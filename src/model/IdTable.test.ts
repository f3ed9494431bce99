import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IdTable } from './IdTable.ts';

describe('IdTable', () => {
  it('property: behaves like a Map from id to record for increasing ids, however long records live', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.nat(400)), { maxLength: 3000 }), (ops) => {
        const table = new IdTable<{ id: number }>();
        const map = new Map<number, { id: number }>();
        let next = 1;
        for (const [add, pick] of ops) {
          if (add || map.size === 0) {
            const r = { id: next++ };
            table.set(r.id, r);
            map.set(r.id, r);
          } else {
            const ids = [...map.keys()];
            const id = ids[pick % ids.length] as number;
            table.delete(id);
            map.delete(id);
          }
          expect(table.size).toBe(map.size);
        }
        for (let id = 0; id <= next; id++) expect(table.get(id)).toBe(map.get(id));
        expect(table.values()).toEqual([...map.values()].sort((a, b) => a.id - b.id));
      }),
    );
  });

  it('a long-lived record keeps its place while 10,000 younger ones come and go', () => {
    const table = new IdTable<{ id: number }>();
    const old = { id: 1 };
    table.set(old.id, old);
    for (let id = 2; id < 10_002; id++) {
      table.set(id, { id });
      table.delete(id);
    }
    expect(table.get(1)).toBe(old);
    expect(table.get(10_001)).toBeUndefined();
    expect(table.size).toBe(1);
    expect(table.capacity).toBeLessThanOrEqual(128);
  });

  it('the first record pushed aside does not throw away the code of a caller V8 compiled before (IdTable.prime took that path)', () => {
    const script = fileURLToPath(new URL('../../tests/helpers/idTableStaysOptimized.ts', import.meta.url));
    const run = spawnSync(process.execPath, ['--allow-natives-syntax', '--import', 'tsx', script], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ before: true, after: true, found: 100 });
  });
});
