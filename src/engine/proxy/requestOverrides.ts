import { isRetryOn, ms } from '../../model/index.ts';
import type { Micros, RetryOn, RetryPolicyXds } from '../../model/index.ts';

const OVERRIDE_HEADERS = [
  'x-envoy-retry-on',
  'x-envoy-retriable-status-codes',
  'x-envoy-max-retries',
  'x-envoy-upstream-rq-timeout-ms',
  'x-envoy-upstream-rq-per-try-timeout-ms',
] as const;

/** Whether a header of this (lower-case) name is one the router reads to adjust the route's policy. */
export function isOverrideHeader(name: string): boolean {
  return (OVERRIDE_HEADERS as readonly string[]).includes(name);
}

/** Whether any header would change the route's policy (when not, `requestPolicy` is the route's own). */
export function hasOverrideHeaders(headers: Readonly<Record<string, string>>): boolean {
  for (const name of OVERRIDE_HEADERS) if (headers[name] !== undefined) return true;
  return false;
}

/** The route's retry policy and timeout as one request's own headers adjust them. */
export interface RequestPolicy {
  retry: RetryPolicyXds;
  /** Route timeout; 0 = none. */
  timeout: Micros;
  /** What the headers changed, in words (empty when nothing). */
  changes: string[];
}

/**
 * Envoy's router reads these request headers (§1.1, §1.3); an app behind an
 * Istio sidecar can send them, since the sidecar's outbound listener does not
 * strip them:
 *
 * - `x-envoy-retry-on` adds conditions to the route's; a route without a
 *   retry policy then retries once (Envoy's `num_retries` default).
 * - `x-envoy-retriable-status-codes` adds codes for `retriable-status-codes`.
 * - `x-envoy-max-retries` replaces the number of retries, when any condition is on.
 * - `x-envoy-upstream-rq-timeout-ms` replaces the route timeout (0 = none).
 * - `x-envoy-upstream-rq-per-try-timeout-ms` sets the per-try timeout; it is
 *   ignored unless shorter than the route timeout.
 *
 * Values that do not parse are ignored, as Envoy ignores them.
 */
export function requestPolicy(route: RetryPolicyXds, routeTimeout: Micros, headers: Readonly<Record<string, string>>): RequestPolicy {
  // Every request passes here: without any of these headers the route's policy is used as it is, uncopied.
  if (!hasOverrideHeaders(headers)) return { retry: route, timeout: routeTimeout, changes: [] };
  const retry: RetryPolicyXds = { ...route, retryOn: [...route.retryOn], retriableStatusCodes: [...route.retriableStatusCodes] };
  let timeout = routeTimeout;
  const changes: string[] = [];

  const added = (headers['x-envoy-retry-on'] ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter((t): t is RetryOn => isRetryOn(t) && !retry.retryOn.includes(t));
  if (added.length > 0) {
    if (retry.retryOn.length === 0 && retry.numRetries === 0) retry.numRetries = 1;
    retry.retryOn.push(...added);
    changes.push(`x-envoy-retry-on adds ${added.join(',')}`);
  }
  const codes = (headers['x-envoy-retriable-status-codes'] ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter((t) => /^\d{3}$/.test(t))
    .map(Number)
    .filter((c) => !retry.retriableStatusCodes.includes(c));
  if (codes.length > 0) {
    retry.retriableStatusCodes.push(...codes);
    changes.push(`x-envoy-retriable-status-codes adds ${codes.join(',')}`);
  }
  const maxRetries = wholeNumber(headers['x-envoy-max-retries']);
  if (maxRetries !== undefined && retry.retryOn.length > 0) {
    retry.numRetries = maxRetries;
    changes.push(`x-envoy-max-retries: ${maxRetries} ${maxRetries === 1 ? 'retry' : 'retries'}`);
  }
  const timeoutMs = wholeNumber(headers['x-envoy-upstream-rq-timeout-ms']);
  if (timeoutMs !== undefined) {
    timeout = ms(timeoutMs);
    changes.push(timeoutMs === 0 ? 'x-envoy-upstream-rq-timeout-ms: no route timeout' : `x-envoy-upstream-rq-timeout-ms: route timeout ${timeoutMs}ms`);
  }
  const perTryMs = wholeNumber(headers['x-envoy-upstream-rq-per-try-timeout-ms']);
  if (perTryMs !== undefined && perTryMs > 0) {
    if (timeout === 0 || ms(perTryMs) < timeout) {
      retry.perTryTimeout = ms(perTryMs);
      changes.push(`x-envoy-upstream-rq-per-try-timeout-ms: per-try timeout ${perTryMs}ms`);
    } else {
      changes.push(`x-envoy-upstream-rq-per-try-timeout-ms ignored: ${perTryMs}ms is not shorter than the route timeout`);
    }
  }
  return { retry, timeout, changes };
}

function wholeNumber(value: string | undefined): number | undefined {
  return value !== undefined && /^\s*\d+\s*$/.test(value) ? Number(value) : undefined;
}
