import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../model/index.ts';
import { durationText } from './durationText.ts';

describe('durationText', () => {
  it('writes microseconds as Istio durations without losing precision', () => {
    expect([0, 250, 1_000, 1_500_000, 90_000_000, 2_500_001].map(durationText)).toEqual(['0s', '250us', '1ms', '1500ms', '90s', '2500001us']);
    for (const value of [0, 1, 999, 25_000, 10_000_000, 123_456_789]) expect(parseDuration(durationText(value))).toBe(value);
  });
});
