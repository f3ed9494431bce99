import { describe, expect, it } from 'vitest';
import { toOutlier } from './toOutlier.ts';

describe('toOutlier (§3.5 DestinationRule outlierDetection, §3.6 panic threshold)', () => {
  it('§3.5 no block → no outlier detection; §3.6 Envoy panic threshold 50 %', () => {
    expect(toOutlier(undefined)).toEqual({ healthyPanicThreshold: 50 });
  });

  it('§3.5 an empty block → Envoy defaults exactly, gateway errors detected but not enforced; panic 0 %', () => {
    expect(toOutlier({})).toEqual({
      outlier: {
        consecutive5xx: 5,
        enforcing5xx: 100,
        consecutiveGatewayFailure: 5,
        enforcingGatewayFailure: 0,
        interval: 10_000_000,
        baseEjectionTime: 30_000_000,
        maxEjectionTime: 300_000_000,
        maxEjectionPercent: 10,
      },
      healthyPanicThreshold: 0,
    });
  });

  it('§3.5 set thresholds are enforced at 100 %; 0 disables them', () => {
    expect(toOutlier({ consecutive5xxErrors: 1, consecutiveGatewayErrors: 3 }).outlier).toMatchObject({
      consecutive5xx: 1,
      enforcing5xx: 100,
      consecutiveGatewayFailure: 3,
      enforcingGatewayFailure: 100,
    });
    expect(toOutlier({ consecutive5xxErrors: 0, consecutiveGatewayErrors: 0 }).outlier).toMatchObject({
      consecutive5xx: 0,
      enforcing5xx: 0,
      consecutiveGatewayFailure: 0,
      enforcingGatewayFailure: 0,
    });
  });

  it('§3.5 splitExternalLocalOriginErrors → split mode; consecutiveLocalOriginFailures when > 0, else Envoy’s 5', () => {
    expect(toOutlier({ splitExternalLocalOriginErrors: true, consecutiveLocalOriginFailures: 3 }).outlier?.localOrigin).toEqual({ consecutive: 3 });
    expect(toOutlier({ splitExternalLocalOriginErrors: true }).outlier?.localOrigin).toEqual({ consecutive: 5 });
    expect(toOutlier({ consecutiveLocalOriginFailures: 3 }).outlier?.localOrigin).toBeUndefined();
  });

  it('§3.5 durations pass through; maxEjectionPercent only when > 0', () => {
    const { outlier } = toOutlier({ interval: '1s', baseEjectionTime: '3m', maxEjectionPercent: 100 });
    expect(outlier).toMatchObject({ interval: 1_000_000, baseEjectionTime: 180_000_000, maxEjectionPercent: 100 });
    expect(toOutlier({ maxEjectionPercent: 0 }).outlier?.maxEjectionPercent).toBe(10);
  });

  it('§3.1 max ejection time is 300 s, or the base ejection time when that is larger', () => {
    expect(toOutlier({ baseEjectionTime: '10m' }).outlier?.maxEjectionTime).toBe(600_000_000);
  });

  it('§3.6 minHealthPercent sets the panic threshold', () => {
    expect(toOutlier({ minHealthPercent: 30 }).healthyPanicThreshold).toBe(30);
  });
});
