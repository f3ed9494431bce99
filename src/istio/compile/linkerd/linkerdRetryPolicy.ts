import { ISTIO_UNLIMITED, ms, parseDuration, type LinkerdRetryBudgetXds, type Micros, type RetryPolicyXds, type ServiceProfileSpec } from '../../../model/index.ts';
import type { AnnotationPolicy } from './linkerdAnnotations.ts';

/** Linkerd's retry back-off (§10.1: policy-controller `convert_retry`): 25 ms doubling to 250 ms, jitter ratio 1.0. */
export const LINKERD_BACKOFF = { min: ms(25), max: ms(250), jitter: 1 } as const;

/** A ServiceProfile route's timeout when it sets none (§10.1: 10 s, covering its retries). */
export const SERVICE_PROFILE_TIMEOUT: Micros = ms(10_000);

/** No retries: what a Linkerd route has without retry annotations or an `isRetryable` ServiceProfile route. */
export function noLinkerdRetry(): RetryPolicyXds {
  return {
    numRetries: 0,
    retryOn: [],
    retriableStatusCodes: [],
    perTryTimeout: 0,
    backoffBase: 0,
    backoffMax: 0,
    previousHosts: false,
    hostSelectionRetryMaxAttempts: 0,
  };
}

/**
 * Annotation (or HTTPRoute) retries, Linkerd 2.16+ (§10.1): `limit` retries
 * (default 1) on the listed statuses and on fail-fast errors and per-attempt
 * timeouts, `retry.linkerd.io/timeout` per attempt, Linkerd's back-off. No
 * budget: the limit bounds them.
 */
export function annotationRetry(retry: AnnotationPolicy['retry'], source: string): RetryPolicyXds {
  if (!retry) return noLinkerdRetry();
  return {
    ...noLinkerdRetry(),
    numRetries: retry.limit,
    perTryTimeout: retry.timeout,
    backoffBase: LINKERD_BACKOFF.min,
    backoffMax: LINKERD_BACKOFF.max,
    linkerd: { statuses: retry.statuses, errors: true, jitter: LINKERD_BACKOFF.jitter, source },
  };
}

/**
 * A ServiceProfile route's retries (§10.1): only with `isRetryable: true`;
 * failed responses (its response classes, default 5xx) are retried at once,
 * as often as the retry budget allows — the proxy counts no limit of its own
 * (linkerd2-proxy `outbound/src/http/retry.rs`).
 */
export function profileRetry(route: NonNullable<ServiceProfileSpec['routes']>[number], budget: LinkerdRetryBudgetXds, source: string): RetryPolicyXds {
  if (route.isRetryable !== true) return noLinkerdRetry();
  return {
    ...noLinkerdRetry(),
    numRetries: ISTIO_UNLIMITED,
    linkerd: { statuses: failureClasses(route.responseClasses), errors: false, jitter: 0, budget, source },
  };
}

/** The response classes that are failures; none listed: 5xx (Linkerd's default classification). */
function failureClasses(classes: NonNullable<ServiceProfileSpec['routes']>[number]['responseClasses']): Array<[number, number]> {
  const failing = (classes ?? []).filter((c) => c.isFailure === true);
  if (failing.length === 0) return [[500, 599]];
  return failing.map((c) => [c.condition.status?.min ?? 100, c.condition.status?.max ?? 599]);
}

/** A ServiceProfile's `retryBudget`, or Linkerd's default (retryRatio 0.2, 10 per second, ttl 10 s; §10.1). */
export function profileBudget(spec: ServiceProfileSpec): LinkerdRetryBudgetXds {
  const b = spec.retryBudget;
  if (!b) return { ratio: 0.2, minPerSecond: 10, ttl: ms(10_000) };
  return { ratio: b.retryRatio, minPerSecond: b.minRetriesPerSecond, ttl: parseDuration(b.ttl) ?? ms(10_000) };
}
