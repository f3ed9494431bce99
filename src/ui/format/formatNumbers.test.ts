import { describe, expect, it } from 'vitest';
import { formatClock, formatCompactCount, formatCount, formatLatency, formatOffset, formatTimeLeft, podSuffix } from './formatNumbers.ts';

describe('formatNumbers', () => {
  it('formats counts with grouping', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
  });

  it('formats latencies, with a dash when unknown', () => {
    expect(formatLatency(12_500)).toBe('12.5ms');
    expect(formatLatency(undefined)).toBe('—');
  });

  it('formats the virtual clock at a precision that fits its size', () => {
    expect(formatClock(48_390)).toBe('48.390 ms');
    expect(formatClock(15_250_000)).toBe('15.2500 s');
    expect(formatClock(62_500_000)).toBe('1 m 02.500 s');
    expect(formatClock(3_600_000_000 + 5 * 60_000_000 + 2_500_000)).toBe('1 h 05 m 02.500 s');
  });

  it('formats ejection time left, rounded up to a tenth of a second', () => {
    expect(formatTimeLeft(24_410_000)).toBe('24.5s left');
    expect(formatTimeLeft(-3)).toBe('returns at next check');
  });

  it('formats offsets and pod suffixes', () => {
    expect(formatOffset(1_850)).toBe('+1.85ms');
    expect(podSuffix('users-v1-ttj77pwzb7-gzr92', 'users-v1')).toBe('…gzr92');
    expect(podSuffix('other', 'users-v1')).toBe('');
  });

  it('shortens big counts for the pod cards', () => {
    expect([0, 9_999, 10_000, 12_345, 999_999, 1_234_567].map(formatCompactCount)).toEqual(['0', '9,999', '10k', '12.3k', '999k', '1.2M']);
  });
});
