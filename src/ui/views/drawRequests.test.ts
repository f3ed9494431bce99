import { describe, expect, it } from 'vitest';
import { COLORS } from './drawRequests.ts';

/** WCAG contrast ratio of two #rrggbb colours. */
function contrast(a: string, b: string): number {
  const lum = (hex: string) => {
    const [r, g, bl] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [x, y] = [lum(a), lum(b)];
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
}

describe('request colours', () => {
  it('draws the retry back-off ring at 3:1 or more on the white it sits on, and on a failing card’s stripes', () => {
    expect(contrast(COLORS.backoff, '#ffffff')).toBeGreaterThanOrEqual(3);
    expect(contrast(COLORS.backoff, '#fbe9de')).toBeGreaterThanOrEqual(3);
  });
});
