import { describe, expect, it } from 'vitest';
import { formatSpeed, SPEEDS, speedMeaning, storySpeed } from './speeds.ts';

describe('speeds', () => {
  it('offers slow motion down to 1/1000× and fast play up to 1000×, named as factors', () => {
    expect(SPEEDS.map(formatSpeed)).toEqual(['1/1000×', '1/100×', '1/10×', '1×', '2×', '5×', '10×', '100×', '1000×']);
    expect(speedMeaning(0.01)).toBe('1 s shows 10 ms');
    expect(speedMeaning(10)).toBe('1 s shows 10 s');
  });

  it('plays a story in under a minute at the slowest factor that does', () => {
    expect(storySpeed(40_000_000)).toBe(1);
    expect(storySpeed(60_000_000)).toBe(2);
    expect(storySpeed(200_000_000)).toBe(5);
    expect(storySpeed(3_600_000_000)).toBe(100);
  });
});
