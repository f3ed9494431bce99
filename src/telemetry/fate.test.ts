import { describe, expect, it } from 'vitest';
import { FATES, FateTally, fateOf } from './fate.ts';

describe('fateOf', () => {
  it('splits answers below 400 by whether Envoy retried', () => {
    expect(fateOf(200, [], 1)).toBe('success');
    expect(fateOf(302, ['DI'], 1)).toBe('success');
    expect(fateOf(200, [], 3)).toBe('successAfterRetry');
  });

  it('names a failure by its flag first, in Envoy’s flag order (UH, UT, UO), then by the attempts', () => {
    expect(fateOf(503, ['UH'], 1)).toBe('failFastUH');
    expect(fateOf(503, ['UH'], 2)).toBe('failFastUH');
    expect(fateOf(503, ['UO'], 1)).toBe('overflowUO');
    expect(fateOf(504, ['UT'], 1)).toBe('timeoutUT');
    expect(fateOf(504, ['UT', 'URX'], 3)).toBe('timeoutUT');
    expect(fateOf(503, ['UF', 'URX'], 3)).toBe('failedAfterRetries');
    expect(fateOf(503, ['URX'], 4)).toBe('failedAfterRetries');
    expect(fateOf(500, [], 1)).toBe('notRetryable');
    expect(fateOf(403, [], 1)).toBe('notRetryable');
    expect(fateOf(0, ['UC'], 1)).toBe('notRetryable');
  });

  it('counts into a record with every fate, zeros included', () => {
    const tally = new FateTally();
    tally.add(200, [], 1);
    tally.add(200, [], 1);
    tally.add(503, ['UO'], 1);
    expect(tally.counts()).toEqual({ success: 2, successAfterRetry: 0, failedAfterRetries: 0, failFastUH: 0, overflowUO: 1, timeoutUT: 0, notRetryable: 0 });
    expect(Object.keys(tally.counts())).toEqual([...FATES]);
  });
});
