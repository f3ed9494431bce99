import { describe, expect, it } from 'vitest';
import { accrualAdmits, createAccrualHost, recordAccrual, takeProbe } from './failureAccrual.ts';

const S = 1_000_000;
// Linkerd's defaults (§10.4: policy-controller parse_accrual_config): 7 failures, 1 s to 60 s; jitter 0 here to read the schedule.
const CFG = { maxFailures: 7, minPenalty: S, maxPenalty: 60 * S, jitterRatio: 0 };

// linkerd2-proxy outbound/src/http/breaker/consecutive_failures.rs; mesh-semantics §10.4.
describe('failure accrual (consecutive failures)', () => {
  it('the 7th failure in a row makes the endpoint unavailable for 1 s; a success before resets the count', () => {
    const h = createAccrualHost();
    for (let i = 0; i < 6; i++) expect(recordAccrual(h, CFG, false, 0, 0).kind).toBe('none');
    recordAccrual(h, CFG, true, 0, 0);
    for (let i = 0; i < 6; i++) recordAccrual(h, CFG, false, 0, 0);
    expect(recordAccrual(h, CFG, false, 10, 0)).toEqual({ kind: 'unavailable', duration: S, penalty: 1, reason: '7 consecutive failures' });
    expect(accrualAdmits(h, 10 + S - 1)).toBe(false);
  });

  it('each failed probe doubles the wait: 1 s, 2 s, 4 s … 60 s, with exactly one request let through each time', () => {
    const h = createAccrualHost();
    let now = 0;
    for (let i = 0; i < 7; i++) recordAccrual(h, CFG, false, now, 0);
    const waits: number[] = [];
    for (let round = 0; round < 8; round++) {
      const until = h.until;
      waits.push(until - now);
      expect(accrualAdmits(h, until - 1)).toBe(false);
      now = until;
      expect(accrualAdmits(h, now)).toBe(true);
      expect(h.state).toBe('probation');
      expect(takeProbe(h)).toBe(true);
      // The one probe is out: nothing else gets through.
      expect(accrualAdmits(h, now)).toBe(false);
      expect(takeProbe(h)).toBe(false);
      recordAccrual(h, CFG, false, now, 0);
    }
    expect(waits.map((w) => w / S)).toEqual([1, 2, 4, 8, 16, 32, 60, 60]);
  });

  it('a successful probe makes it available again, and the next breaker starts over at 1 s', () => {
    const h = createAccrualHost();
    for (let i = 0; i < 7; i++) recordAccrual(h, CFG, false, 0, 0);
    accrualAdmits(h, S);
    takeProbe(h);
    recordAccrual(h, CFG, false, S, 0);
    accrualAdmits(h, 3 * S);
    takeProbe(h);
    expect(recordAccrual(h, CFG, true, 3 * S, 0)).toEqual({ kind: 'available' });
    expect(accrualAdmits(h, 3 * S)).toBe(true);
    for (let i = 0; i < 6; i++) recordAccrual(h, CFG, false, 4 * S, 0);
    expect(recordAccrual(h, CFG, false, 4 * S, 0)).toMatchObject({ kind: 'unavailable', duration: S, penalty: 1 });
  });

  it('answers arriving while unavailable are ignored (Linkerd drains them)', () => {
    const h = createAccrualHost();
    for (let i = 0; i < 7; i++) recordAccrual(h, CFG, false, 0, 0);
    expect(recordAccrual(h, CFG, true, 100, 0).kind).toBe('none');
    expect(h.state).toBe('unavailable');
  });
});
