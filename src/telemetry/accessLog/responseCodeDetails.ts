import type { ResponseFlag } from '../../model/index.ts';

/**
 * Envoy's `%RESPONSE_CODE_DETAILS%` for the way the caller's sidecar ended a
 * request (Envoy src `envoy/stream_info/stream_info.h`,
 * `ResponseCodeDetailValues`: `via_upstream`, `no_healthy_upstream`,
 * `response_timeout`, `upstream_per_try_timeout`, `route_not_found`,
 * `cluster_not_found`, `upstream_reset_before_response_started{…}`; the fault
 * filter's `fault_filter_abort`). `answered`: the last try got an HTTP answer.
 */
export function responseCodeDetails(status: number, flags: readonly ResponseFlag[], answered: boolean): string {
  if (flags.length === 0) return answered && status > 0 ? 'via_upstream' : 'upstream_reset_before_response_started{remote_reset}';
  const has = (f: ResponseFlag): boolean => flags.includes(f);
  if (has('FI')) return 'fault_filter_abort';
  if (has('NR')) return 'route_not_found';
  if (has('NC')) return 'cluster_not_found';
  if (has('UH')) return 'no_healthy_upstream';
  if (has('UT')) return has('URX') ? 'upstream_per_try_timeout' : 'response_timeout';
  if (has('UO')) return 'upstream_reset_before_response_started{overflow}';
  if (has('UF')) return 'upstream_reset_before_response_started{connection_failure}';
  if (has('UC') || has('UR') || has('LR')) return 'upstream_reset_before_response_started{connection_termination}';
  return answered && status > 0 ? 'via_upstream' : 'upstream_reset_before_response_started{remote_reset}';
}
