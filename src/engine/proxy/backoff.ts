import { advanceBackoff, MICROS_PER_MS, type BackoffState, type Micros, type RetryPolicyXds } from '../../model/index.ts';
import type { Rng } from '../kernel/Rng.ts';
import { backoffBase, expBackoff } from './expBackoff.ts';

/**
 * The next retry's delay: the schedule's window b (`advanceBackoff`, §1.4),
 * then one draw of random() % b in whole ms, as Envoy does. Mutates
 * `state.next`. `range` is [0, b) in µs, upper bound exclusive.
 */
export function nextBackoff(state: BackoffState, rng: Rng): { delay: Micros; range: [Micros, Micros] } {
  const window = advanceBackoff(state);
  const delayMs = rng.int(window / MICROS_PER_MS);
  return { delay: delayMs * MICROS_PER_MS, range: [0, window] };
}

/**
 * A Linkerd route's wait before its `retry`-th retry (from 1): the
 * exponential back-off of §10.1 (25 ms doubling to 250 ms, plus up to
 * jitter × base, never past the max), one draw; none at all for a
 * ServiceProfile route (`backoffBase` 0: its retries go out at once).
 */
export function nextLinkerdBackoff(policy: RetryPolicyXds, retry: number, rng: Rng): { delay: Micros; range: [Micros, Micros] } {
  const jitter = policy.linkerd?.jitter ?? 0;
  if (policy.backoffBase <= 0) return { delay: 0, range: [0, 0] };
  const base = backoffBase(policy.backoffBase, policy.backoffMax, retry - 1);
  const delay = expBackoff(policy.backoffBase, policy.backoffMax, jitter, retry - 1, rng.next());
  return { delay, range: [base, Math.min(base + Math.floor(base * jitter), policy.backoffMax)] };
}
