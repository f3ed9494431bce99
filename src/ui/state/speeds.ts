import type { Micros } from '../../model/index.ts';

/**
 * The speed control's real-time factors: at 1× one simulated millisecond
 * takes one millisecond; below it, slow motion.
 */
export const SPEEDS: readonly number[] = [0.001, 0.01, 0.1, 1, 2, 5, 10, 100, 1000];

/** Sending one request (or ten): a request of a few tens of ms plays in a few seconds. */
export const SEND_SPEED = 0.01;
/** A burst of a hundred, 2 ms apart: about two seconds for the lot. */
export const BURST_SPEED = 0.1;
/** Auto: its rate is per simulated second, so at 1× it is per second of wall time too. */
export const AUTO_SPEED = 1;
/** The story plays in under this much wall time at the factor chosen for it. */
export const STORY_WALL: Micros = 50_000_000;

/** The slowest factor offered that plays a story of `length` (virtual µs) in under `STORY_WALL`. */
export function storySpeed(length: Micros): number {
  return SPEEDS.find((s) => s >= 1 && length / s <= STORY_WALL) ?? (SPEEDS[SPEEDS.length - 1] as number);
}

/** `1/100×`, `1×`, `1000×`. */
export function formatSpeed(factor: number): string {
  return factor >= 1 ? `${factor}×` : `1/${Math.round(1 / factor)}×`;
}

/** What one second of wall time shows at `factor`: `10 ms of simulated time`. */
export function speedMeaning(factor: number): string {
  const ms = 1_000 * factor;
  return ms >= 1_000 ? `1 s shows ${ms / 1_000} s` : `1 s shows ${ms} ms`;
}
