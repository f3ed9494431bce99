import { describe, expect, it } from 'vitest';
import { createLocalityWrr, effectiveLocalityWeight, pickLocality } from './localityWrr.ts';

describe('locality weighted round robin (Envoy edf_scheduler.h)', () => {
  it('picks each locality in proportion to its weight, earliest deadline first, the first added winning ties', () => {
    const wrr = createLocalityWrr([1, 2]);
    // Deadlines: 1 and 0.5 → 1; then 1 (0) vs 1 (1, re-added later) → 0; then 1.5 → 1.
    expect(Array.from({ length: 6 }, () => pickLocality(wrr))).toEqual([1, 0, 1, 1, 0, 1]);
  });

  it('never picks a locality of weight 0, and says -1 when none has weight', () => {
    const wrr = createLocalityWrr([0, 3]);
    expect(Array.from({ length: 3 }, () => pickLocality(wrr))).toEqual([1, 1, 1]);
    expect(pickLocality(createLocalityWrr([0, 0]))).toBe(-1);
  });

  it('scales a weight by min(1, 1.4 × healthy share): Envoy docs’ table, weight 1 at 50 % healthy vs 2 at 100 % → 26 %', () => {
    // 70 % healthy: 1.4 × 0.7 = 0.98, still 33 % against 2 (the docs' first rows).
    expect(Math.round((100 * effectiveLocalityWeight(1, 7, 10)) / (effectiveLocalityWeight(1, 7, 10) + 2))).toBe(33);
    const x = effectiveLocalityWeight(1, 1, 2);
    expect(x).toBeCloseTo(0.7, 10);
    expect(Math.round((100 * x) / (x + effectiveLocalityWeight(2, 4, 4)))).toBe(26);
    expect(effectiveLocalityWeight(5, 0, 0)).toBe(0);
  });
});
