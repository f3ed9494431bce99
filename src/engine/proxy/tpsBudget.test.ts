import { describe, expect, it } from 'vitest';
import { budgetBalance, budgetDeposit, budgetWithdraw, createTpsBudget } from './tpsBudget.ts';

const S = 1_000_000;
// Linkerd's default ServiceProfile budget (§10.1: profile_translator.go defaultRetryBudget): 20 %, 10/s, ttl 10 s.
const DEFAULT = { ratio: 0.2, minPerSecond: 10, ttl: 10 * S };

// tower/src/retry/budget/tps_budget.rs, as linkerd2-proxy outbound/src/http/retry.rs uses it.
describe('ServiceProfile retry budget (tower TpsBudget)', () => {
  it('ratio 0.2: a deposit is 1 token, a retry takes 5; the reserve is 10/s × 10 s × 5 = 500 tokens', () => {
    const b = createTpsBudget(DEFAULT, 0);
    expect([b.deposit, b.withdraw, b.reserve]).toEqual([1, 5, 500]);
  });

  it('with no traffic, the reserve alone allows 100 retries in a ttl (10 per second), then none', () => {
    const b = createTpsBudget(DEFAULT, 0);
    let granted = 0;
    while (budgetWithdraw(b, 1000)) granted += 1;
    expect(granted).toBe(100);
    expect(budgetBalance(b)).toBe(0);
  });

  it('at 100 requests per second, every one wanting a retry: at most 20 + 10 retries per second (§10.1)', () => {
    const b = createTpsBudget(DEFAULT, 0);
    const perSecond: number[] = [];
    for (let second = 0; second < 60; second++) {
      let granted = 0;
      for (let i = 0; i < 100; i++) {
        const now = second * S + i * 10_000;
        // Each request fails once and asks for a retry; the retry's answer is final (not retried) and deposits.
        if (budgetWithdraw(b, now)) granted += 1;
        budgetDeposit(b, now);
      }
      perSecond.push(granted);
    }
    // Any ttl-long stretch after the start: retries ≤ 0.2 × requests + 10/s × 10 s.
    for (let start = 0; start + 10 <= 60; start++) {
      const window = perSecond.slice(start, start + 10).reduce((a, b) => a + b, 0);
      expect(window).toBeLessThanOrEqual(0.2 * 1000 + 10 * 10);
    }
    // Once the reserve's first use has aged out, the budget settles at 20 + 10 = 30 a second.
    const steady = perSecond.slice(30).reduce((a, b) => a + b, 0) / 30;
    expect(steady).toBeGreaterThan(28);
    expect(steady).toBeLessThanOrEqual(30);
  });

  it('withdrawals expire with their slot: a spent budget is whole again a ttl later', () => {
    const b = createTpsBudget(DEFAULT, 0);
    while (budgetWithdraw(b, 0)) {
      /* spend the reserve */
    }
    expect(budgetWithdraw(b, 5 * S)).toBe(false);
    expect(budgetWithdraw(b, 11 * S + 1)).toBe(true);
  });
});
