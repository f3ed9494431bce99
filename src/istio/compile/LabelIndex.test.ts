import { describe, expect, it } from 'vitest';
import { LabelIndex } from './LabelIndex.ts';

interface Item {
  name: string;
  namespace: string;
  labels: Record<string, string>;
}

const items: Item[] = [
  { name: 'a', namespace: 'default', labels: { app: 'web', version: 'v1' } },
  { name: 'b', namespace: 'default', labels: { app: 'web', version: 'v2' } },
  { name: 'c', namespace: 'shop', labels: { app: 'web', version: 'v1' } },
  { name: 'd', namespace: 'default', labels: { app: 'api' } },
  // Keys and values that would run together if a label were one string: only the full check tells them apart.
  { name: 'e', namespace: 'default', labels: { 'x\ny': 'z' } },
];
const index = new LabelIndex(items, (i) => i.namespace, (i) => i.labels);
const names = (selected: Item[]) => selected.map((i) => i.name);

describe('LabelIndex', () => {
  it('selects the items of the namespace that carry every label, in the order given', () => {
    expect(names(index.select('default', { app: 'web' }))).toEqual(['a', 'b']);
    expect(names(index.select('default', { version: 'v1', app: 'web' }))).toEqual(['a']);
    expect(names(index.select('shop', { app: 'web' }))).toEqual(['c']);
  });

  it('selects nothing for an empty selector, an unknown namespace or a label nobody has', () => {
    expect(index.select('default', {})).toEqual([]);
    expect(index.select('nowhere', { app: 'web' })).toEqual([]);
    expect(index.select('default', { app: 'web', tier: 'front' })).toEqual([]);
  });

  it('does not confuse a label whose key holds a newline with another label', () => {
    expect(names(index.select('default', { x: 'y\nz' }))).toEqual([]);
    expect(names(index.select('default', { 'x\ny': 'z' }))).toEqual(['e']);
  });

  it('gives a list the caller may change without changing the index', () => {
    index.select('default', { app: 'web' }).pop();
    expect(names(index.select('default', { app: 'web' }))).toEqual(['a', 'b']);
  });
});
