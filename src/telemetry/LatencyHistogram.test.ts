import { build } from 'hdr-histogram-js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketOf, LatencyHistogram, lowestValueOf } from './LatencyHistogram.ts';

const PERCENTILES = [0, 1, 10, 25, 50, 75, 90, 99, 99.9, 100];

describe('LatencyHistogram', () => {
  it('property: every percentile equals HdrHistogram fed the same values one by one', () => {
    const value = fc.oneof(fc.integer({ min: 1, max: 3_000 }), fc.integer({ min: 1, max: 5_000_000 }), fc.integer({ min: 1, max: 2 ** 40 }), fc.double({ min: 0, max: 1e6, noNaN: true }));
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 500 }), (values) => {
        const ours = new LatencyHistogram();
        const hdr = build({ numberOfSignificantValueDigits: 3, lowestDiscernibleValue: 1 });
        for (const v of values) {
          ours.record(v);
          hdr.recordValue(Math.max(1, Math.round(v)));
        }
        expect(ours.count).toBe(values.length);
        for (const p of PERCENTILES) expect(ours.percentile(p)).toBe(hdr.getValueAtPercentile(p));
      }),
      { numRuns: 300 },
    );
  });

  it('maps each bucket’s lowest value back to the bucket, at every power of two up to 2^45', () => {
    for (let k = 0; k <= 45; k++) {
      for (const v of [2 ** k, 2 ** k + 1, 2 ** (k + 1) - 1]) {
        const i = bucketOf(v);
        expect(bucketOf(lowestValueOf(i))).toBe(i);
        expect(lowestValueOf(i)).toBeLessThanOrEqual(v);
      }
    }
  });

  it('answers again after more values, and after a reset forgets them', () => {
    const h = new LatencyHistogram();
    for (let v = 1; v <= 100; v++) h.record(v * 1000);
    expect(h.percentile(50)).toBe(50_015);
    for (let v = 1; v <= 100; v++) h.record(1_000_000);
    expect(h.percentile(90)).toBe(1_000_447);
    h.reset();
    expect([h.count, h.percentile(50)]).toEqual([0, 0]);
    h.record(7);
    expect(h.percentilesMs()).toEqual({ p50: 0.01, p90: 0.01, p99: 0.01 });
  });

  it('counts past 2^32 in one bucket without wrapping', () => {
    const h = new LatencyHistogram();
    // Fill one bucket to the brim through the public API would take minutes; the carry is what matters.
    const counts = (h as unknown as { counts: Uint32Array }).counts;
    counts[500] = 2 ** 32 - 1;
    (h as unknown as { total: number }).total = 2 ** 32 - 1;
    h.record(500);
    h.record(500);
    h.record(9_000);
    expect(h.count).toBe(2 ** 32 + 2);
    expect(h.percentile(50)).toBe(500);
    expect(h.percentile(100)).toBe(9_007);
  });
});

describe('LatencyHistogram.add', () => {
  it('gives the percentiles of recording both sets into one, a larger one included', () => {
    const a = new LatencyHistogram();
    const b = new LatencyHistogram();
    const both = new LatencyHistogram();
    for (let i = 1; i <= 900; i++) {
      a.record(i * 37);
      both.record(i * 37);
    }
    // b reaches values a has no buckets for yet: add grows a's.
    for (let i = 1; i <= 100; i++) {
      b.record(60_000_000 + i * 1_000);
      both.record(60_000_000 + i * 1_000);
    }
    a.add(b);
    expect(a.count).toBe(1_000);
    for (const p of [50, 90, 99, 99.9]) expect(a.percentile(p)).toBe(both.percentile(p));
    expect(b.count).toBe(100);
  });
});
