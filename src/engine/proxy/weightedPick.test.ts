import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng, type Rng } from '../kernel/Rng.ts';
import { pickWeighted, pickWeightedShowingDraw } from './weightedPick.ts';

/** An Rng whose int() returns the given values in turn, recording each n asked for. */
function scripted(values: number[]): Rng & { asked: number[] } {
  const asked: number[] = [];
  return {
    asked,
    next: () => {
      throw new Error('next() not expected');
    },
    int: (n: number) => {
      asked.push(n);
      const v = values.shift();
      if (v === undefined) throw new Error('no more scripted draws');
      return v;
    },
    uint32: () => {
      throw new Error('uint32() not expected');
    },
  };
}

describe('pickWeighted (§2.4 weighted_clusters)', () => {
  it('returns a single destination without drawing', () => {
    const rng = scripted([]);
    expect(pickWeighted([{ cluster: 'v1', weight: 100 }], rng)).toBe('v1');
    expect(rng.asked).toEqual([]);
  });

  it('draws one integer in [0, total) and walks the cumulative weights', () => {
    const clusters = [
      { cluster: 'v1', weight: 90 },
      { cluster: 'v2', weight: 10 },
    ];
    const rng = scripted([0, 89, 90, 99]);
    expect([0, 1, 2, 3].map(() => pickWeighted(clusters, rng))).toEqual(['v1', 'v1', 'v2', 'v2']);
    expect(rng.asked).toEqual([100, 100, 100, 100]);
  });

  it('90/10 split lands within ±1.5 % over 20 000 seeded draws', () => {
    const rng = createRng(7, 'route:reviews');
    const clusters = [
      { cluster: 'v1', weight: 90 },
      { cluster: 'v2', weight: 10 },
    ];
    let v2 = 0;
    for (let i = 0; i < 20_000; i++) if (pickWeighted(clusters, rng) === 'v2') v2 += 1;
    expect(Math.abs(v2 / 20_000 - 0.1)).toBeLessThan(0.015);
  });

  it('property: never returns a weight-0 cluster', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: 50 }), { minLength: 2, maxLength: 8 }).filter((ws) => ws.some((w) => w > 0)),
        fc.integer(),
        (weights, seed) => {
          const clusters = weights.map((weight, i) => ({ cluster: `c${i}`, weight }));
          const rng = createRng(seed, 'weights');
          for (let i = 0; i < 50; i++) {
            const name = pickWeighted(clusters, rng);
            expect(clusters.find((c) => c.cluster === name)?.weight).toBeGreaterThan(0);
          }
        },
      ),
    );
  });

  it('property: showing the draw picks the same cluster with the same one draw, and the draw lands in that cluster’s span', () => {
    const weights = fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 5 }).filter((ws) => ws.some((x) => x > 0));
    fc.assert(
      fc.property(weights, fc.integer({ min: 1, max: 1000 }), (ws, seed) => {
        const clusters = ws.map((weight, i) => ({ cluster: `c${i}`, weight }));
        const a = createRng(seed, 'route');
        const b = createRng(seed, 'route');
        const shown = pickWeightedShowingDraw(clusters, b);
        expect(shown.cluster).toBe(pickWeighted(clusters, a));
        expect(a.next()).toBe(b.next());
        if (clusters.length === 1) {
          expect(shown.total).toBe(0);
          return;
        }
        const index = clusters.findIndex((c) => c.cluster === shown.cluster);
        const start = ws.slice(0, index).reduce((n, x) => n + x, 0);
        expect(shown.draw).toBeGreaterThanOrEqual(start);
        expect(shown.draw).toBeLessThan(start + (ws[index] as number));
        expect(shown.total).toBe(ws.reduce((n, x) => n + x, 0));
      }),
    );
  });
});
