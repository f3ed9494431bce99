import { describe, expect, it } from 'vitest';
import { minimise } from './minimise.ts';

describe('minimise', () => {
  it('keeps only the files, documents and lines the failure needs', async () => {
    const files = [
      { name: 'a.yaml', text: 'kind: A\n---\nkind: B\nx: 1\nbad: yes\ny: 2\n---\nkind: C\n' },
      { name: 'b.yaml', text: 'kind: D\n' },
    ];
    const fails = async (f: Array<{ name: string; text: string }>) => f.some((file) => file.text.includes('bad: yes'));
    expect(await minimise(files, fails, performance.now() + 10_000)).toEqual([{ name: 'a.yaml', text: 'bad: yes' }]);
  });
});
