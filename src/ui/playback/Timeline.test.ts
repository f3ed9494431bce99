import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Timeline, unwarp, warp, WARP_UNIT } from './Timeline.ts';

describe('warp', () => {
  it('is close to linear for gaps much shorter than the unit and logarithmic for long ones', () => {
    expect(warp(1)).toBeCloseTo(1, 1);
    expect(warp(WARP_UNIT)).toBeCloseTo(WARP_UNIT * Math.LN2);
    // A 30 s gap is shown in under 13 units.
    expect(warp(30_000_000)).toBeLessThan(13 * WARP_UNIT);
  });

  it('unwarp inverts warp', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 60_000_000 }), (gap) => Math.abs(unwarp(warp(gap)) - gap) < 1e-6 * Math.max(1, gap)));
  });
});

describe('Timeline', () => {
  it('maps knots to increasing beats and back', () => {
    const tl = new Timeline();
    const a = tl.commit(100);
    const b = tl.commit(5_100);
    expect(a).toBeCloseTo(warp(100));
    expect(b).toBeCloseTo(warp(100) + warp(5_000));
    expect(tl.timeAt(a)).toBeCloseTo(100);
    expect(tl.timeAt(b)).toBeCloseTo(5_100);
    expect(tl.tauAt(100)).toBeCloseTo(a);
  });

  it('between knots, time and τ are inverse and never pass the next knot', () => {
    const tl = new Timeline();
    tl.commit(1_000);
    tl.commit(2_000);
    const mid = tl.tauAt(1_500);
    expect(tl.timeAt(mid)).toBeCloseTo(1_500);
    expect(tl.tauAt(1_999)).toBeLessThanOrEqual(tl.lastTau);
  });

  it('is monotonic for any sequence of appended knots', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 100_000 }), { maxLength: 40 }), fc.integer({ min: 0, max: 5_000_000 }), (gaps, probe) => {
        const tl = new Timeline();
        let t = 0;
        for (const g of gaps) tl.commit((t += g));
        const p = Math.min(probe, t);
        return tl.tauAt(p) <= tl.tauAt(p + 1) + 1e-9 && Math.abs(tl.timeAt(tl.tauAt(p)) - p) < 1e-3;
      }),
    );
  });

  it('refuses knots out of order', () => {
    const tl = new Timeline();
    tl.commit(10);
    expect(() => tl.commit(5)).toThrow(/in order/);
  });

  it('pruning keeps lookups after the cut exact', () => {
    const tl = new Timeline();
    for (let t = 100; t <= 1_000; t += 100) tl.commit(t);
    const tau = tl.tauAt(550);
    tl.pruneBefore(tl.tauAt(500));
    expect(tl.tauAt(550)).toBeCloseTo(tau);
    expect(tl.size).toBe(6);
  });
});
