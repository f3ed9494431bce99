import { describe, expect, it } from 'vitest';
import type { ResponseFlag } from '../../model/index.ts';
import { FLAG_MEANING, formatFlags } from './flags.ts';

describe('formatFlags (§8.1)', () => {
  it('is - when there are no flags', () => {
    expect(formatFlags([])).toBe('-');
  });

  it('joins in Envoy’s print order, whatever order they were raised in (§1.7: UF,URX and UT,URX)', () => {
    expect(formatFlags(['URX', 'UF'])).toBe('UF,URX');
    expect(formatFlags(['URX', 'UT'])).toBe('UT,URX');
    expect(formatFlags(['FI', 'DI', 'UT'])).toBe('UT,DI,FI');
    expect(formatFlags(['NC', 'URX', 'DC', 'FI', 'DI', 'NR', 'UO', 'UC', 'UF', 'UR', 'LR', 'UT', 'UH'])).toBe(
      'UH,UT,LR,UR,UF,UC,UO,NR,DI,FI,DC,URX,NC',
    );
  });

  it('writes each flag once', () => {
    expect(formatFlags(['UO', 'UO'])).toBe('UO');
  });
});

describe('FLAG_MEANING', () => {
  it('explains every flag', () => {
    const all: ResponseFlag[] = ['UH', 'UF', 'UO', 'NR', 'URX', 'NC', 'UT', 'LR', 'UR', 'UC', 'DI', 'FI', 'DC'];
    for (const flag of all) expect(FLAG_MEANING[flag].length).toBeGreaterThan(5);
    expect(FLAG_MEANING.UH).toBe('no healthy upstream host (503)');
  });
});
