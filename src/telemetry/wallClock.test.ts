import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoOf, WallClock } from './wallClock.ts';

describe('WallClock', () => {
  it('property: the ISO text equals Date’s for any instant from 1970 to 2200', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 7_258_118_400_000 }), (ms) => {
        expect(isoOf(ms)).toBe(new Date(ms).toISOString());
      }),
    );
  });

  it('writes seconds with ms and exact nanoseconds past 2^53', () => {
    const clock = new WallClock(1_764_669_600_000);
    expect(clock.seconds(15_000_123)).toBe('1764669615.000');
    expect(clock.nanos(15_000_123)).toBe('1764669615000123000');
    expect(clock.iso(1_500)).toBe('2025-12-02T10:00:00.001Z');
    expect([new WallClock(0).nanos(650), new WallClock(0).nanos(0), new WallClock(0).nanos(1_000)]).toEqual(['650000', '0', '1000000']);
  });
});
