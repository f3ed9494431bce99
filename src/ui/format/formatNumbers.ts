import { formatDuration } from '../../model/index.ts';
import type { Micros } from '../../model/index.ts';

/** `1,234` (grouping fixed to English so screenshots and tests do not depend on the browser's locale). */
export function formatCount(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A count for a small space: `9,999`, then `12.3k`, `1.2M` (pod cards). */
export function formatCompactCount(n: number): string {
  if (n < 10_000) return formatCount(n);
  if (n < 1_000_000) return `${trimTenths(n / 1_000)}k`;
  return `${trimTenths(n / 1_000_000)}M`;
}

function trimTenths(x: number): string {
  return x >= 100 ? String(Math.floor(x)) : String(Math.floor(x * 10) / 10);
}

/** A latency for the stat row: `12.5ms`, or an em dash before there is any. */
export function formatLatency(value: Micros | undefined): string {
  return value === undefined ? '—' : formatDuration(Math.round(value));
}

/** The virtual clock: milliseconds with three decimals under a second, then seconds. */
export function formatClock(t: Micros): string {
  const us = Math.max(0, Math.floor(t));
  if (us < 1_000_000) return `${(us / 1_000).toFixed(3)} ms`;
  if (us < 60_000_000) return `${(us / 1_000_000).toFixed(4)} s`;
  const seconds = `${((us % 60_000_000) / 1_000_000).toFixed(3).padStart(6, '0')} s`;
  const minutes = Math.floor(us / 60_000_000);
  if (minutes < 60) return `${minutes} m ${seconds}`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} m ${seconds}`;
}

/** Time left on an ejection: `24.5s left`, or that it ends at the next check. */
export function formatTimeLeft(left: Micros | undefined): string {
  if (left === undefined) return '';
  if (left <= 0) return 'returns at next check';
  return `${formatDuration(Math.ceil(left / 100_000) * 100_000)} left`;
}

/** Time until something happens, to a tenth of a second: `in 3.2s`. */
export function formatTimeUntil(micros: Micros): string {
  return `in ${formatDuration(Math.max(100_000, Math.ceil(micros / 100_000) * 100_000))}`;
}

/** A time relative to a request's start in the event log: `+1.85ms`. */
export function formatOffset(t: Micros): string {
  return `+${formatDuration(Math.max(0, Math.round(t)))}`;
}

/** A pod name without its generated suffixes: `users-v1-7d4b9c8f6-x2k9p` → `users-v1`, when it has them. */
export function shortPod(pod: string, workload?: string): string {
  if (workload && pod.startsWith(`${workload}-`)) return workload;
  return pod;
}

/** The generated part of a pod name: `users-v1-7d4b9c8f6-x2k9p` → `…x2k9p`. */
export function podSuffix(pod: string, workload: string): string {
  if (!pod.startsWith(`${workload}-`)) return '';
  const rest = pod.slice(workload.length + 1);
  const last = rest.split('-').pop() ?? rest;
  return `…${last}`;
}
