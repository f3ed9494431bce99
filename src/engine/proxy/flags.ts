import { RESPONSE_FLAGS, type ResponseFlag } from '../../model/index.ts';

/**
 * `%RESPONSE_FLAGS%` as Envoy writes it (§8.1): comma-joined in Envoy's
 * order, each flag once, `-` when there are none.
 */
export function formatFlags(flags: readonly ResponseFlag[]): string {
  const ordered = orderFlags(flags);
  return ordered.length > 0 ? ordered.join(',') : '-';
}

/** The union of flag lists, each flag once, in Envoy's order (`RESPONSE_FLAGS`). */
export function orderFlags(...lists: ReadonlyArray<readonly ResponseFlag[]>): ResponseFlag[] {
  const present = new Set(lists.flat());
  return RESPONSE_FLAGS.filter((f) => present.has(f));
}

/** What each flag means, in a learner's words (§8.1). */
export const FLAG_MEANING: Record<ResponseFlag, string> = {
  UH: 'no healthy upstream host (503)',
  UF: 'upstream connection failure (503)',
  UO: 'upstream overflow: a circuit breaker was full (503), including retry overflow',
  NR: 'no route configured (404)',
  URX: 'retry limit reached',
  NC: 'upstream cluster not found',
  UT: 'upstream request timeout (504)',
  LR: 'connection reset locally (503)',
  UR: 'upstream reset the connection (503)',
  UC: 'upstream connection terminated (503)',
  DI: 'request delayed by fault injection',
  FI: 'request aborted by fault injection',
  DC: 'downstream connection terminated',
};
