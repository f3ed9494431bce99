import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBackoff, ms } from '../../model/index.ts';
import { createRng } from '../kernel/Rng.ts';
import { nextBackoff } from './backoff.ts';

/** Delays (ms) of retries 1..retries for many independent requests. */
function sampleDelays(base: number, max: number, retries: number, requests: number): number[][] {
  const rng = createRng(2024, 'retry:backoff');
  const byRetry: number[][] = Array.from({ length: retries }, () => []);
  for (let r = 0; r < requests; r++) {
    const state = createBackoff(ms(base), ms(max));
    for (let n = 0; n < retries; n++) byRetry[n]?.push(nextBackoff(state, rng).delay / 1000);
  }
  return byRetry;
}

describe('nextBackoff — the code-derived formula (§1.4)', () => {
  it('default 25 ms / 250 ms ranges are [0,25), [0,50), [0,100), [0,200), [0,250), [0,250) ms', () => {
    const state = createBackoff(ms(25), ms(250));
    const rng = createRng(1, 'retry');
    const ranges = Array.from({ length: 7 }, () => nextBackoff(state, rng).range);
    expect(ranges).toEqual([
      [0, ms(25)],
      [0, ms(50)],
      [0, ms(100)],
      [0, ms(200)],
      [0, ms(250)],
      [0, ms(250)],
      [0, ms(250)],
    ]);
  });

  it('observed delays over 5 000 seeded requests top out at exactly 24, 49, 99, 199, 249, 249 ms', () => {
    const byRetry = sampleDelays(25, 250, 6, 5_000);
    expect(byRetry.map((d) => Math.max(...d))).toEqual([24, 49, 99, 199, 249, 249]);
    expect(byRetry.map((d) => Math.min(...d))).toEqual([0, 0, 0, 0, 0, 0]);
    for (const delays of byRetry) for (const d of delays) expect(Number.isInteger(d)).toBe(true);
  });

  it('is NOT the router docs’ older formula: the 2nd retry never waits 50–74 ms', () => {
    const second = sampleDelays(25, 250, 2, 5_000)[1] ?? [];
    expect(second.filter((d) => d >= 50)).toEqual([]);
    expect(Math.max(...second)).toBe(49);
  });

  it('doubles while below max/2 in integer ms, then jumps to max', () => {
    const state = createBackoff(ms(100), ms(1_000));
    const rng = createRng(1, 'retry');
    expect(Array.from({ length: 6 }, () => nextBackoff(state, rng).range[1] / 1000)).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('property: every delay is a whole ms inside its range, and the range never exceeds max', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2_000_000 }), fc.integer({ min: 0, max: 20_000_000 }), fc.integer(), fc.integer({ min: 1, max: 12 }), (base, max, seed, retries) => {
        const state = createBackoff(base, max);
        const rng = createRng(seed, 'prop');
        for (let i = 0; i < retries; i++) {
          const { delay, range } = nextBackoff(state, rng);
          expect(range[0]).toBe(0);
          expect(delay % 1000).toBe(0);
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThan(range[1]);
          expect(range[1]).toBeLessThanOrEqual(state.max);
        }
      }),
    );
  });
});
