import type { RetryOn, RetryPolicyXds } from '../../model/index.ts';
import { describeLinkerdRetry, linkerdRetriable } from './linkerdRetry.ts';

/** How one upstream attempt ended, as the router's retry state sees it. */
export type AttemptOutcome =
  | { kind: 'response'; status: number; headers?: Record<string, string> }
  | {
      kind: 'reset';
      /** `fail-fast`: no endpoint could take the request (every one ejected or unavailable). */
      reason: 'connect-failure' | 'remote-reset' | 'per-try-timeout' | 'overflow' | 'refused-stream' | 'before-request' | 'fail-fast';
    };

export type ResetReason = Extract<AttemptOutcome, { kind: 'reset' }>['reason'];

/**
 * Whether the route's `retry_on` asks for another try after this outcome
 * (§1.1, §1.2). Says nothing about retries left or the retry budget — the
 * caller checks those next (that is where URX and UO come from). A policy
 * with `numRetries` 0 is no policy at all (Istio drops it, §2.1), so nothing
 * is retriable and no URX follows.
 */
export function isRetriable(policy: RetryPolicyXds, outcome: AttemptOutcome): boolean {
  if (policy.linkerd) return policy.numRetries > 0 && linkerdRetriable(policy.linkerd, outcome);
  // Most answers are a plain success: no condition can match a status under 400 without headers
  // unless the route lists retriable status codes (the same verdict as below, without the walk).
  if (outcome.kind === 'response' && outcome.status < 400 && outcome.headers === undefined && policy.retriableStatusCodes.length === 0) return false;
  return !REFUSALS.has(verdict(policy, outcome));
}

/** The same verdict in words, for the event log: which condition matched, or why none did. */
export function describeRetryOn(policy: RetryPolicyXds, outcome: AttemptOutcome): string {
  const what = describeOutcome(outcome);
  if (policy.linkerd) return describeLinkerdRetry(policy.linkerd, outcome, what);
  const v = verdict(policy, outcome);
  switch (v) {
    case 'no policy':
      return `${what}: no retry policy on this route`;
    case 'overflow':
      return `${what}: a local circuit-breaker overflow is never retried`;
    case 'overloaded':
      return `${what} carries x-envoy-overloaded: never retried`;
    case 'rate limited':
      return `${what} carries x-envoy-ratelimited and retryOn lacks envoy-ratelimited`;
    case 'no match':
      return `${what} matches none of retryOn ${policy.retryOn.length > 0 ? policy.retryOn.join(',') : '(empty)'}${hint(policy, outcome)}`;
    default:
      return `${what} matches retryOn ${v}${HOW[v] ? ` (${HOW[v]})` : ''}`;
  }
}

/** Why an outcome is not retried; any other verdict is the retryOn condition it matched. */
type Refusal = 'no policy' | 'overflow' | 'overloaded' | 'rate limited' | 'no match';
const REFUSALS: ReadonlySet<string> = new Set<Refusal>(['no policy', 'overflow', 'overloaded', 'rate limited', 'no match']);

const GRPC_CODES: Partial<Record<RetryOn, number>> = {
  cancelled: 1,
  'deadline-exceeded': 4,
  'resource-exhausted': 8,
  internal: 13,
  unavailable: 14,
};

const NO_HEADERS: Record<string, string> = {};

/** Envoy's retry decision (§1.2), as a constant: the matched condition or the refusal. Builds no strings (every attempt passes here). */
function verdict(policy: RetryPolicyXds, outcome: AttemptOutcome): RetryOn | Refusal {
  if (policy.numRetries <= 0) return 'no policy';
  if (outcome.kind === 'reset' && outcome.reason === 'overflow') return 'overflow';
  const headers = outcome.kind === 'response' ? (outcome.headers ?? NO_HEADERS) : NO_HEADERS;
  // Older Envoy refused these outright; §1.2 keeps that to be safe.
  if (has(headers, 'x-envoy-overloaded')) return 'overloaded';
  // Current Envoy: a rate-limited response is retried only under envoy-ratelimited, whatever its status.
  if (has(headers, 'x-envoy-ratelimited')) return policy.retryOn.includes('envoy-ratelimited') ? 'envoy-ratelimited' : 'rate limited';
  for (const c of policy.retryOn) if (matches(c, outcome, policy)) return c;
  return 'no match';
}

function matches(condition: RetryOn, outcome: AttemptOutcome, policy: RetryPolicyXds): boolean {
  if (outcome.kind === 'reset') return resetMatches(condition, outcome.reason);
  const { status } = outcome;
  switch (condition) {
    case '5xx':
      return status >= 500 && status <= 599;
    case 'gateway-error':
      return status === 502 || status === 503 || status === 504;
    case 'retriable-4xx':
      return status === 409;
    case 'retriable-status-codes':
      return policy.retriableStatusCodes.includes(status);
    case 'cancelled':
    case 'deadline-exceeded':
    case 'resource-exhausted':
    case 'internal':
    case 'unavailable':
      return grpcStatus(outcome.headers) === GRPC_CODES[condition];
    default:
      // Reset-only conditions; retriable-headers has no matchers in our xDS;
      // envoy-ratelimited is handled before; HTTP/3 is not simulated.
      return false;
  }
}

/** Envoy `wouldRetryFromReset` (§1.2): which conditions a reset satisfies. */
function resetMatches(condition: RetryOn, reason: ResetReason): boolean {
  // No healthy upstream is Envoy's local reply, never retried (§1.1).
  if (reason === 'fail-fast') return false;
  switch (condition) {
    case '5xx':
    case 'gateway-error':
    case 'reset':
      return true;
    case 'connect-failure':
      return reason === 'connect-failure';
    case 'refused-stream':
      return reason === 'refused-stream';
    case 'reset-before-request':
      // "No bytes sent upstream yet": a failed connect qualifies too.
      return reason === 'before-request' || reason === 'connect-failure';
    default:
      return false;
  }
}

const HOW: Partial<Record<RetryOn, string>> = {
  '5xx': 'any 5xx, and any reset counts as one',
  'gateway-error': '502, 503, 504, and any reset',
  reset: 'any reset, never a status',
  'connect-failure': 'the connection could not be made',
  'refused-stream': 'the upstream refused the stream',
  'reset-before-request': 'nothing had been sent upstream yet',
  'retriable-4xx': '409 only',
  'retriable-status-codes': 'status is in the route’s list',
};

function hint(policy: RetryPolicyXds, outcome: AttemptOutcome): string {
  if (outcome.kind === 'reset' && outcome.reason === 'per-try-timeout') {
    return '; a per-try timeout is a local reset, retried only with 5xx, gateway-error or reset';
  }
  if (outcome.kind === 'response' && policy.retryOn.includes('retriable-status-codes') && policy.retriableStatusCodes.length === 0) {
    return '; retriable-status-codes has an empty list, so it matches nothing';
  }
  return '';
}

const RESET_WORDS: Record<ResetReason, string> = {
  'connect-failure': 'connect failure',
  'remote-reset': 'upstream reset',
  'per-try-timeout': 'per-try timeout',
  overflow: 'overflow',
  'refused-stream': 'refused stream',
  'before-request': 'reset before the request was sent',
  'fail-fast': 'no endpoint available (fail fast)',
};

function describeOutcome(outcome: AttemptOutcome): string {
  if (outcome.kind === 'reset') return RESET_WORDS[outcome.reason];
  const grpc = grpcStatus(outcome.headers);
  return grpc === undefined ? `${outcome.status}` : `${outcome.status} with grpc-status ${grpc}`;
}

/** gRPC status from response headers only (§1.2: trailers after data never trigger a retry). */
function grpcStatus(headers: Record<string, string> | undefined): number | undefined {
  const raw = headers && has(headers, 'grpc-status') ? headers['grpc-status'] : undefined;
  if (raw === undefined || !/^\d+$/.test(raw.trim())) return undefined;
  return Number(raw.trim());
}

function has(record: Record<string, string>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(record, key);
}
