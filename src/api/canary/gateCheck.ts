import type { GateMetric } from '../../model/index.ts';
import type { WindowStats } from './CanaryFold.ts';

export interface GateCheck {
  metric: GateMetric['name'];
  /** The measured value (% or ms); null: no request reached the canary in the window ("no values found"). */
  value: number | null;
  /** `≥ 99` or `≤ 500`. */
  threshold: string;
  passed: boolean;
}

/** A built-in check of Flagger's over a window of the canary's answers. */
export function check(metric: GateMetric, window: WindowStats): GateCheck {
  if (metric.name === 'request-success-rate') {
    const min = metric.min ?? 0;
    return { metric: metric.name, value: window.successPercent, threshold: `≥ ${min} %`, passed: window.successPercent !== null && window.successPercent >= min && (metric.max === undefined || window.successPercent <= metric.max) };
  }
  const max = metric.max ?? Infinity;
  return { metric: metric.name, value: window.p99Ms, threshold: `≤ ${max} ms`, passed: window.p99Ms !== null && window.p99Ms <= max && (metric.min === undefined || window.p99Ms >= metric.min) };
}
