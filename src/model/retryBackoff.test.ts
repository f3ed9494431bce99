import { describe, expect, it } from 'vitest';
import { backoffWindows, createBackoff, retryBackoff } from './retryBackoff.ts';
import { ms } from './units.ts';

describe('retryBackoff (§1.4, §2.1)', () => {
  it('Envoy default: 25 ms base, 10 × base max', () => {
    expect(retryBackoff()).toEqual({ backoffBase: ms(25), backoffMax: ms(250) });
  });

  it('Istio `backoff` sets the base; a base under 1 ms rounds up', () => {
    expect(retryBackoff(ms(100))).toEqual({ backoffBase: ms(100), backoffMax: ms(1_000) });
    expect(retryBackoff(100)).toEqual({ backoffBase: ms(1), backoffMax: ms(10) });
  });
});

describe('createBackoff (§1.4)', () => {
  it('rounds a base below 1 ms up to 1 ms', () => {
    expect(createBackoff(300, ms(250))).toEqual({ base: ms(1), max: ms(250), next: ms(1) });
  });

  it('works in whole milliseconds, truncating like Envoy', () => {
    expect(createBackoff(ms(25.7), ms(250.9))).toEqual({ base: ms(25), max: ms(250), next: ms(25) });
  });

  it('raises a max below the base to the base; 0 means Envoy default 10 × base', () => {
    expect(createBackoff(ms(100), ms(50)).max).toBe(ms(100));
    expect(createBackoff(ms(25), 0).max).toBe(ms(250));
  });
});

describe('backoffWindows (§1.4)', () => {
  it('default windows: 0–24, 0–49, 0–99, 0–199, 0–249, 0–249 ms', () => {
    expect(backoffWindows(retryBackoff(), 6).map((w) => w / 1000)).toEqual([25, 50, 100, 200, 250, 250]);
  });

  it('counts in whole ms as the proxy does: a 1.5 ms base is 1 ms', () => {
    expect(backoffWindows(retryBackoff(1_500), 5).map((w) => w / 1000)).toEqual([1, 2, 4, 8, 15]);
  });

  it('no retries, no windows', () => {
    expect(backoffWindows(retryBackoff(), 0)).toEqual([]);
  });
});
