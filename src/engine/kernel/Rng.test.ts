import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng, RngStreams, Sfc32 } from './Rng.ts';

describe('Rng', () => {
  it('gives the same sequence for the same seed and stream name', () => {
    const a = createRng(42, 'lb:web');
    const b = createRng(42, 'lb:web');
    expect(Array.from({ length: 5 }, () => a.next())).toEqual(Array.from({ length: 5 }, () => b.next()));
  });

  it('gives different sequences for different seeds or names', () => {
    const first = createRng(42, 'lb:web').next();
    expect(createRng(43, 'lb:web').next()).not.toBe(first);
    expect(createRng(42, 'lb:api').next()).not.toBe(first);
  });

  it('sub-streams are independent: drawing from one does not shift another', () => {
    const s1 = new RngStreams(7);
    const s2 = new RngStreams(7);
    s1.stream('noise').next();
    s1.stream('noise').next();
    expect(s1.stream('app').next()).toBe(s2.stream('app').next());
  });

  it('int(n) is uniform enough and within range', () => {
    const rng = createRng(1, 'uniform');
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 40_000; i++) counts[rng.int(4)]! += 1;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(400);
  });

  it('uint32() >>> (32 − k) is exactly int(2^k): the same draws, without floating point', () => {
    for (const k of [1, 8, 16, 31]) {
      const a = createRng(9, `bits${k}`);
      const b = createRng(9, `bits${k}`);
      for (let i = 0; i < 5_000; i++) expect(a.uint32() >>> (32 - k)).toBe(b.int(2 ** k));
    }
  });
});

/** sfc32 as its author writes it, on plain 32-bit numbers: what `Sfc32` must draw, word for word. */
function referenceSfc32(a: number, b: number, c: number, d: number): () => number {
  return () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
}

describe('Sfc32', () => {
  it('property: draws what the textbook sfc32 draws from the same state', () => {
    const word = fc.integer({ min: 0, max: 0xffff_ffff });
    fc.assert(
      fc.property(word, word, word, word, (a, b, c, d) => {
        const ours = new Sfc32(a, b, c, d);
        const reference = referenceSfc32(a, b, c, d);
        for (let i = 0; i < 200; i++) expect(ours.nextUint32()).toBe(reference());
      }),
    );
  });
});
