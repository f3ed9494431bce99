import { describe, expect, it } from 'vitest';
import { backoffBase, expBackoff } from './expBackoff.ts';

const MS = 1000;
const S = 1_000_000;

// linkerd2-proxy linkerd/exp-backoff/src/lib.rs (`base`, `jitter`); mesh-semantics §10.1.
describe('Linkerd exponential back-off', () => {
  it('retries (§10.1: 25 ms doubling to 250 ms): bases 25, 50, 100, 200, 250, 250 ms', () => {
    expect([0, 1, 2, 3, 4, 5].map((n) => backoffBase(25 * MS, 250 * MS, n))).toEqual([25 * MS, 50 * MS, 100 * MS, 200 * MS, 250 * MS, 250 * MS]);
  });

  it('adds base × jitter × draw, never past the max: jitter 1.0 gives [25, 50) ms, then [50, 100), then the cap', () => {
    expect(expBackoff(25 * MS, 250 * MS, 1, 0, 0)).toBe(25 * MS);
    expect(expBackoff(25 * MS, 250 * MS, 1, 0, 0.5)).toBe(37_500);
    expect(expBackoff(25 * MS, 250 * MS, 1, 1, 0.999)).toBe(99_950);
    // base 200 ms plus up to 200 ms of jitter is capped at 250 ms: the jitter is at most max − base.
    expect(expBackoff(25 * MS, 250 * MS, 1, 3, 0.9)).toBe(250 * MS);
    expect(expBackoff(25 * MS, 250 * MS, 1, 3, 0.2)).toBe(240 * MS);
    expect(expBackoff(25 * MS, 250 * MS, 1, 9, 0.7)).toBe(250 * MS);
  });

  it('failure accrual (§10.4: 1 s doubling to 60 s, jitter 0.5): whole-second bases get whole seconds of jitter, as Linkerd truncates them', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((n) => expBackoff(S, 60 * S, 0.5, n, 0))).toEqual([1, 2, 4, 8, 16, 32, 60, 60].map((s) => s * S));
    // 4 s × 0.5 × 0.6 = 1.2 s, truncated to 1 s; 1 s × 0.5 × 0.99 < 1 s, truncated to none.
    expect(expBackoff(S, 60 * S, 0.5, 2, 0.6)).toBe(5 * S);
    expect(expBackoff(S, 60 * S, 0.5, 0, 0.99)).toBe(S);
    // 32 s + 15 s of jitter; 60 s is the cap.
    expect(expBackoff(S, 60 * S, 0.5, 5, 0.95)).toBe(47 * S);
    expect(expBackoff(S, 60 * S, 0.5, 6, 0.95)).toBe(60 * S);
  });

  it('without jitter the wait is the base', () => {
    expect(expBackoff(S, 60 * S, 0, 3, 0.9)).toBe(8 * S);
  });
});
