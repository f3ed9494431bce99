import { describe, expect, it } from 'vitest';
import { principalOf, rotationTime, spiffeId, WORKLOAD_CERT_TTL } from './identity.ts';

describe('workload identity (§6.3)', () => {
  it('spiffeId is spiffe://<trust domain>/ns/<namespace>/sa/<service account>', () => {
    expect(spiffeId('cluster.local', 'default', 'web')).toBe('spiffe://cluster.local/ns/default/sa/web');
  });

  it('principalOf is the SPIFFE ID without its scheme, as AuthorizationPolicy principals write it', () => {
    expect(principalOf('cluster.local', 'default', 'web')).toBe('cluster.local/ns/default/sa/web');
    expect(principalOf('example.org', 'shop', 'cart')).toBe('example.org/ns/shop/sa/cart');
  });
});

describe('rotationTime — renew at expiry − (0.5 ± jitter) × lifetime (§6.3)', () => {
  const issued = 5_000_000;

  it('with no jitter renews at exactly half the 24 h lifetime (12 h after issue)', () => {
    expect(WORKLOAD_CERT_TTL).toBe(24 * 3_600_000_000);
    expect(rotationTime(issued, WORKLOAD_CERT_TTL, 0)).toBe(issued + 43_200_000_000);
  });

  it('at +1 % jitter the grace period is 51 % of the lifetime: renews 14 min 24 s earlier', () => {
    expect(rotationTime(issued, WORKLOAD_CERT_TTL, 0.01)).toBe(issued + 42_336_000_000);
    expect(43_200_000_000 - 42_336_000_000).toBe(864_000_000);
  });

  it('at −1 % jitter the grace period is 49 % of the lifetime: renews 14 min 24 s later', () => {
    expect(rotationTime(issued, WORKLOAD_CERT_TTL, -0.01)).toBe(issued + 44_064_000_000);
  });

  it('returns whole microseconds for a lifetime that does not divide evenly', () => {
    expect(rotationTime(0, 3, 0)).toBe(1);
    expect(Number.isInteger(rotationTime(0, 86_400_000_001, 0.0037))).toBe(true);
  });

  it('clamps the ratio to [0, 1] like Istio and treats a non-finite jitter as 0', () => {
    expect(rotationTime(issued, 1_000, 0.9)).toBe(issued);
    expect(rotationTime(issued, 1_000, -0.9)).toBe(issued + 1_000);
    expect(rotationTime(issued, 1_000, Number.NaN)).toBe(issued + 500);
  });
});
