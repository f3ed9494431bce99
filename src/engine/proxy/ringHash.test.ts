import { describe, expect, it } from 'vitest';
import { buildRing, hash32, ringLookup, type Ring } from './ringHash.ts';

describe('hash32', () => {
  it('is pinned: changing it would move every consistent-hash key in saved scenarios', () => {
    // Cross-checked against an independent FNV-1a + fmix32 over UTF-8 bytes.
    expect([hash32(''), hash32('jason'), hash32('users-v1-a_0'), hash32('é😀')]).toEqual([2872998923, 778333646, 3938990175, 166440505]);
  });
});

describe('ringLookup (Ketama, as Envoy Ring::chooseHost)', () => {
  const ring: Ring = { points: [10, 20, 30], hosts: ['a', 'b', 'c'], key: 'test' };

  it('takes the first point at or after the hash, wrapping past the last', () => {
    expect([0, 10, 11, 20, 30, 31, 2 ** 32 - 1].map((h) => ringLookup(ring, h))).toEqual(['a', 'a', 'b', 'b', 'c', 'a', 'a']);
  });

  it('steps `attempt` points further for re-picks', () => {
    expect([0, 1, 2, 3].map((attempt) => ringLookup(ring, 15, attempt))).toEqual(['b', 'c', 'a', 'b']);
  });
});

describe('buildRing', () => {
  it('gives every host ceil(min / hosts) points, sorted ascending, independent of host order', () => {
    const one = buildRing(['x', 'y', 'z'], 10);
    expect(one.points.length).toBe(12);
    expect(one.hosts.filter((h) => h === 'y').length).toBe(4);
    expect(buildRing(['z', 'x', 'y'], 10)).toEqual(one);
  });
});
