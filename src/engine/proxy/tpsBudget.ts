import type { LinkerdRetryBudgetXds, Micros } from '../../model/index.ts';

/**
 * A ServiceProfile retry budget as tower's `TpsBudget` keeps it
 * (`tower/src/retry/budget/tps_budget.rs`, used by linkerd2-proxy
 * `outbound/src/http/retry.rs`; §10.1): ten slots over the ttl, a writer for
 * the current slot, and a fixed reserve. A deposit adds `deposit`, a retry
 * takes `withdraw`; with the default ratio 0.2 that is 1 and 5, and the
 * reserve is minPerSecond × ttl-in-seconds × 5. So over any ttl, retries ≤
 * ratio × deposits + minPerSecond × ttl. Plain data.
 */
export interface TpsBudgetState {
  slots: number[];
  writer: number;
  index: number;
  generationAt: Micros;
  window: Micros;
  reserve: number;
  deposit: number;
  withdraw: number;
}

const SLOTS = 10;

export function createTpsBudget(cfg: LinkerdRetryBudgetXds, now: Micros): TpsBudgetState {
  // retry_percent is an f32 in tower: 1 / 0.2 is worked out in single precision (and is 5).
  const ratio = Math.fround(cfg.ratio);
  const [deposit, withdraw] =
    ratio === 0 ? [0, 1] : ratio <= 1 ? [1, Math.trunc(Math.fround(1 / ratio))] : [1000, Math.trunc(Math.fround(1000 / ratio))];
  const ttlSeconds = Math.floor(cfg.ttl / 1_000_000);
  return {
    slots: new Array<number>(SLOTS).fill(0),
    writer: 0,
    index: 0,
    generationAt: now,
    window: Math.floor(cfg.ttl / SLOTS),
    reserve: cfg.minPerSecond * ttlSeconds * withdraw,
    deposit,
    withdraw,
  };
}

/** A request that was not retried: its deposit. Mutates `budget`. */
export function budgetDeposit(budget: TpsBudgetState, now: Micros): void {
  expire(budget, now);
  budget.writer += budget.deposit;
}

/** A retry asks the budget: granted (and taken) when the balance covers one withdrawal. Mutates `budget`. */
export function budgetWithdraw(budget: TpsBudgetState, now: Micros): boolean {
  expire(budget, now);
  if (budgetBalance(budget) < budget.withdraw) return false;
  budget.writer -= budget.withdraw;
  return true;
}

/** Tokens in the budget now (deposits and withdrawals within the ttl, plus the reserve). */
export function budgetBalance(budget: TpsBudgetState): number {
  let sum = budget.writer + budget.reserve;
  for (const slot of budget.slots) sum += slot;
  return sum;
}

/** tower's `expire`: once a window has passed, commit the writer to its slot and clear the slots of windows gone by. */
function expire(budget: TpsBudgetState, now: Micros): void {
  let elapsed = now - budget.generationAt;
  if (elapsed < budget.window) return;
  budget.slots[budget.index] = budget.writer;
  budget.writer = 0;
  let index = (budget.index + 1) % SLOTS;
  while (elapsed > budget.window) {
    budget.slots[index] = 0;
    elapsed -= budget.window;
    index = (index + 1) % SLOTS;
  }
  budget.index = index;
  budget.generationAt = now;
}
