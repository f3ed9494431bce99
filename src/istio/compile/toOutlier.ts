import { type Micros, type OutlierDetection, type OutlierXds, parseDuration, seconds } from '../../model/index.ts';

/** Envoy's default healthy panic threshold, in percent (§3.6). */
export const ENVOY_PANIC_THRESHOLD = 50;

/**
 * DestinationRule `outlierDetection` → Envoy outlier detection and panic
 * threshold, exactly as istiod's `applyOutlierDetection` (§3.5, §3.1):
 * no block → no detection and Envoy's 50 % panic threshold; a block →
 * panic threshold `minHealthPercent` (default 0 = panic mode off).
 */
export function toOutlier(od: OutlierDetection | undefined): { outlier?: OutlierXds; healthyPanicThreshold: number } {
  if (!od) return { healthyPanicThreshold: ENVOY_PANIC_THRESHOLD };
  const baseEjectionTime = duration(od.baseEjectionTime, seconds(30));
  const outlier: OutlierXds = {
    consecutive5xx: od.consecutive5xxErrors ?? 5,
    enforcing5xx: enforcing(od.consecutive5xxErrors, 100),
    consecutiveGatewayFailure: od.consecutiveGatewayErrors ?? 5,
    // Envoy detects gateway failures by default but enforces 0 % of them.
    enforcingGatewayFailure: enforcing(od.consecutiveGatewayErrors, 0),
    interval: duration(od.interval, seconds(10)),
    baseEjectionTime,
    // Istio does not expose max_ejection_time: Envoy's 300 s, or the base if larger (§3.1).
    maxEjectionTime: Math.max(seconds(300), baseEjectionTime),
    maxEjectionPercent: od.maxEjectionPercent !== undefined && od.maxEjectionPercent > 0 ? od.maxEjectionPercent : 10,
  };
  // istiod passes consecutiveLocalOriginFailures only when > 0; otherwise Envoy's default of 5 applies.
  if (od.splitExternalLocalOriginErrors) {
    outlier.localOrigin = { consecutive: od.consecutiveLocalOriginFailures !== undefined && od.consecutiveLocalOriginFailures > 0 ? od.consecutiveLocalOriginFailures : 5 };
  }
  // istiod only writes the threshold for minHealthPercent ≥ 0; a negative value leaves Envoy's 50 %.
  const minHealth = od.minHealthPercent ?? 0;
  return { outlier, healthyPanicThreshold: minHealth >= 0 ? minHealth : ENVOY_PANIC_THRESHOLD };
}

/** Set → enforced at 100 % unless the threshold is 0 (disabled); unset → Envoy's default. */
function enforcing(value: number | undefined, unsetDefault: number): number {
  if (value === undefined) return unsetDefault;
  return value > 0 ? 100 : 0;
}

function duration(text: string | undefined, fallback: Micros): Micros {
  return (text === undefined ? undefined : parseDuration(text)) ?? fallback;
}
