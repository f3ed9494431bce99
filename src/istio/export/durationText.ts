import type { Micros } from '../../model/index.ts';

/**
 * Microseconds as a duration Istio and the Simulation document both accept,
 * without losing precision: `2s`, `1500ms`, `250us`.
 */
export function durationText(value: Micros): string {
  if (value % 1_000 !== 0) return `${value}us`;
  const millis = value / 1_000;
  return millis % 1_000 === 0 ? `${millis / 1_000}s` : `${millis}ms`;
}
