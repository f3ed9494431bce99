import { describe, expect, it } from 'vitest';
import { editDistance, suggest } from './suggest.ts';

describe('suggest', () => {
  it('measures edits', () => {
    expect(editDistance('subests', 'subsets')).toBe(2);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting', 2)).toBe(2);
  });

  it('suggests the one close field, ignoring case', () => {
    expect(suggest('timout', ['timeout', 'retries'])).toBe('timeout');
    expect(suggest('RPS', ['rps', 'duration'])).toBe('rps');
  });

  it('suggests nothing for far misses or ties', () => {
    expect(suggest('zzz', ['rps', 'duration'])).toBeUndefined();
    expect(suggest('pot', ['pod', 'pop'])).toBeUndefined();
  });
});
