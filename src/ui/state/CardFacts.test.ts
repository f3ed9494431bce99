import { describe, expect, it } from 'vitest';
import type { CardFact } from '../stats/cardFacts.ts';
import { CARD_SLICE, CardFacts } from './CardFacts.ts';

const pods = Array.from({ length: 60 }, (_, i) => `pod-${i}`);

describe('CardFacts', () => {
  it('refreshes one slice of cards per turn, in order, and wraps around', () => {
    const facts = new CardFacts(pods);
    const counts = new Map<string, number>();
    const read = (pod: string): CardFact => ({ received: counts.get(pod) ?? 0 });
    for (const p of pods) counts.set(p, 1);
    expect(facts.slices).toBe(3);
    expect(facts.refreshNext(read)).toBe(true);
    expect(pods.map((p) => facts.get(p).received).filter((n) => n === 1)).toHaveLength(CARD_SLICE);
    facts.refreshNext(read);
    facts.refreshNext(read);
    expect(pods.every((p) => facts.get(p).received === 1)).toBe(true);
    expect(facts.refreshNext(read)).toBe(false);
  });

  it('keeps a card’s fact object while nothing on it changed, so a memoised card does not re-render', () => {
    const facts = new CardFacts(['a', 'b']);
    let b: CardFact = { received: 1 };
    facts.refreshAll((pod) => (pod === 'a' ? { received: 1, mode: '503' } : b));
    const a = facts.get('a');
    const before = facts.get('b');
    b = { received: 2, ejectedBy: 'api' };
    expect(facts.refreshAll((pod) => (pod === 'a' ? { received: 1, mode: '503' } : b))).toBe(true);
    expect(facts.get('a')).toBe(a);
    expect(facts.get('b')).not.toBe(before);
    expect(facts.get('b')).toEqual({ received: 2, ejectedBy: 'api' });
  });
});
