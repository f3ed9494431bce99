import { build as packageBuild } from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { build } from './hdrHistogramBrowser.ts';

describe('the browser bundle’s HdrHistogram build', () => {
  it('gives the same percentiles as the package’s build', () => {
    const request = { numberOfSignificantValueDigits: 3, lowestDiscernibleValue: 1 } as const;
    const ours = build(request);
    const theirs = packageBuild(request);
    for (let i = 0; i < 5_000; i++) {
      const value = ((i * 7_919) % 3_000_000) + 1;
      ours.recordValue(value);
      theirs.recordValue(value);
    }
    for (const p of [0, 10, 50, 90, 99, 99.9, 100]) expect(ours.getValueAtPercentile(p)).toBe(theirs.getValueAtPercentile(p));
  });
});
