import type { CardFact } from '../stats/cardFacts.ts';

/** Cards refreshed per frame at most; 200 cards take 8 turns. */
export const CARD_SLICE = 25;

const NOTHING: CardFact = { received: 0 };

/**
 * The facts the pod cards show, refreshed one slice of cards at a time.
 * A card's fact object is replaced only when its content changes, so
 * memoised cards re-render only when what they show changed, and the
 * layout and paint of a refresh touch at most one slice of cards.
 */
export class CardFacts {
  private readonly shown = new Map<string, CardFact>();
  private next = 0;

  constructor(private readonly pods: readonly string[]) {}

  get slices(): number {
    return Math.max(1, Math.ceil(this.pods.length / CARD_SLICE));
  }

  get(pod: string): CardFact {
    return this.shown.get(pod) ?? NOTHING;
  }

  /** Refreshes the next `share` of the slices (at least one); returns whether any card changed. */
  refreshNext(read: (pod: string) => CardFact, share = 1 / this.slices): boolean {
    let changed = false;
    for (let n = Math.max(1, Math.ceil(share * this.slices)); n > 0; n--) {
      const start = this.next * CARD_SLICE;
      this.next = (this.next + 1) % this.slices;
      if (this.refresh(this.pods.slice(start, start + CARD_SLICE), read)) changed = true;
    }
    return changed;
  }

  /** Refreshes every card (after a control change or a step, where the picture must be exact). */
  refreshAll(read: (pod: string) => CardFact): boolean {
    return this.refresh(this.pods, read);
  }

  private refresh(pods: readonly string[], read: (pod: string) => CardFact): boolean {
    let changed = false;
    for (const pod of pods) {
      const now = read(pod);
      const before = this.shown.get(pod);
      if (before && before.received === now.received && before.mode === now.mode && before.ejectedBy === now.ejectedBy) continue;
      this.shown.set(pod, now);
      changed = true;
    }
    return changed;
  }
}
