import { retryBackoff, type RetryOn, type RetryPolicyXds } from '../../../model/index.ts';

/** A compiled retry policy for tests: 2 retries, Envoy's back-off, previous-hosts with 5 re-picks, unless `over` says otherwise. */
export function retryPolicy(retryOn: RetryOn[], over: Partial<RetryPolicyXds> = {}): RetryPolicyXds {
  return {
    numRetries: 2,
    retryOn,
    retriableStatusCodes: [],
    perTryTimeout: 0,
    ...retryBackoff(),
    previousHosts: true,
    hostSelectionRetryMaxAttempts: 5,
    ...over,
  };
}

/** §2.1: what Istio programs when a VirtualService has no `retries` block. */
export const ISTIO_DEFAULT_RETRY = retryPolicy(['connect-failure', 'refused-stream', 'unavailable', 'cancelled', 'retriable-status-codes']);

/** No retry policy at all (`attempts: 0`): Istio drops it. */
export const NO_RETRY = retryPolicy([], { numRetries: 0, previousHosts: false, hostSelectionRetryMaxAttempts: 1 });
