import type { Micros } from './units.ts';

/** Workload certificate lifetime the Istio agent requests (`SECRET_TTL`, 24 h, §6.3). */
export const WORKLOAD_CERT_TTL: Micros = 86_400_000_000;

/** `SECRET_GRACE_PERIOD_RATIO` (§6.3): renew when this share of the lifetime is left. */
export const CERT_GRACE_RATIO = 0.5;

/** `SECRET_GRACE_PERIOD_RATIO_JITTER` (§6.3): the agent draws its jitter uniformly within ± this. */
export const CERT_GRACE_JITTER = 0.01;

/** A workload's identity as its certificate carries it: `spiffe://cluster.local/ns/default/sa/web` (§6.3). */
export function spiffeId(trustDomain: string, namespace: string, serviceAccount: string): string {
  return `spiffe://${principalOf(trustDomain, namespace, serviceAccount)}`;
}

/** The SPIFFE ID without its scheme, as AuthorizationPolicy `principals` write it: `cluster.local/ns/default/sa/web` (§6.3). */
export function principalOf(trustDomain: string, namespace: string, serviceAccount: string): string {
  return `${trustDomain}/ns/${namespace}/sa/${serviceAccount}`;
}

/**
 * When the Istio agent renews a certificate issued at `issuedAt` for
 * `lifetime` (§6.3, `rotateTime` in Istio's `secretcache.go`): at
 * expiry − (0.5 + jitter) × lifetime, the ratio clamped to [0, 1]. The caller
 * draws `jitter` in [−0.01, +0.01]; a positive jitter renews earlier, as in
 * Istio. Rounded to the microsecond; a non-finite jitter counts as 0.
 */
export function rotationTime(issuedAt: Micros, lifetime: Micros, jitter: number): Micros {
  const ratio = Math.min(1, Math.max(0, CERT_GRACE_RATIO + (Number.isFinite(jitter) ? jitter : 0)));
  return issuedAt + lifetime - Math.round(ratio * lifetime);
}
