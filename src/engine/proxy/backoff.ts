import { advanceBackoff, MICROS_PER_MS, type BackoffState, type Micros } from '../../model/index.ts';
import type { Rng } from '../kernel/Rng.ts';

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
