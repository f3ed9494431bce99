import type { ProxyError, ResponseFlag } from '../../model/index.ts';

/**
 * A Linkerd proxy's word for a failure the engine decided in Envoy's terms
 * (linkerd2-proxy route metrics `error` label, §10): no endpoint to take the
 * request is FAIL_FAST, an overflowing queue LOAD_SHED, the route's request
 * timeout REQUEST_TIMEOUT and a per-attempt timeout RESPONSE_HEADERS_TIMEOUT.
 * Other outcomes have no word of Linkerd's here (their status says it):
 * Linkerd flags nothing for spent retries, and its words for connection
 * errors (IO, RESET, UNKNOWN) depend on transport details the engine does
 * not model.
 */
export function proxyErrorFor(flags: readonly ResponseFlag[], requestTimedOut: boolean): ProxyError | undefined {
  if (flags.includes('UH')) return 'FAIL_FAST';
  if (flags.includes('UO')) return 'LOAD_SHED';
  if (flags.includes('UT')) return requestTimedOut ? 'REQUEST_TIMEOUT' : 'RESPONSE_HEADERS_TIMEOUT';
  return undefined;
}
