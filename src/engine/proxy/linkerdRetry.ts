import type { LinkerdRetryXds } from '../../model/index.ts';
import type { AttemptOutcome } from './retryPolicy.ts';

/**
 * Whether a Linkerd route retries this outcome (§10.1): a response whose
 * status is in the route's list; with HTTPRoute/annotation retries also a
 * fail-fast error (another backend may be available), a per-attempt
 * response-headers timeout and a refused stream — never a load-shed error
 * (linkerd2-proxy `outbound/src/http/logical/policy/route/retry.rs`
 * `retryable_error`). Connection errors are not retried there.
 */
export function linkerdRetriable(policy: LinkerdRetryXds, outcome: AttemptOutcome): boolean {
  if (outcome.kind === 'response') return inRanges(policy.statuses, outcome.status);
  if (!policy.errors) return false;
  return outcome.reason === 'fail-fast' || outcome.reason === 'per-try-timeout' || outcome.reason === 'refused-stream';
}

/** The same verdict in words, for the event log. */
export function describeLinkerdRetry(policy: LinkerdRetryXds, outcome: AttemptOutcome, what: string): string {
  const listed = policy.statuses.length > 0 ? policy.statuses.map(([lo, hi]) => (lo === hi ? `${lo}` : `${lo}-${hi}`)).join(',') : 'no status';
  if (linkerdRetriable(policy, outcome)) return `${what} is retried by ${policy.source} (${outcome.kind === 'response' ? `statuses ${listed}` : 'a proxy error Linkerd retries'})`;
  if (outcome.kind === 'response') return `${what} is not in ${listed} (${policy.source})`;
  if (outcome.reason === 'overflow') return `${what}: Linkerd never retries a load-shed request`;
  return policy.errors ? `${what}: Linkerd does not retry connection errors` : `${what}: ServiceProfile retries only failed responses`;
}

function inRanges(ranges: ReadonlyArray<readonly [number, number]>, status: number): boolean {
  for (const [lo, hi] of ranges) if (status >= lo && status <= hi) return true;
  return false;
}
