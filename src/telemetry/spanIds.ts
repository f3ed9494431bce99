/**
 * Span ids for the spans meshviz writes, made from what identifies a span
 * in one run (the request, the attempt, the side) so the same run gives the
 * same ids: 16 hex digits, never all zero (W3C trace context forbids it).
 * Attempt 0 is the request's own client span; attempt n ≥ 1 its n-th
 * upstream try, or the callee's server span for that try.
 */
export function spanIdOf(requestId: number, attempt: number, side: 'client' | 'server'): string {
  return spanIdOfRef(spanRef(requestId, attempt, side));
}

/** A span as one number (what records carry; the hex id is made only when a span is written). */
export function spanRef(requestId: number, attempt: number, side: 'client' | 'server'): number {
  return requestId * 64 + attempt * 2 + (side === 'server' ? 1 : 0);
}

/** The id of the span `spanRef` made. */
export function spanIdOfRef(seed: number): string {
  const hi = mix(Math.floor(seed / 0x1_0000_0000), 0x9e37_79b9 ^ (seed >>> 0));
  const lo = mix(seed >>> 0, 0x85eb_ca6b ^ hi) || 1;
  return hex8(hi) + hex8(lo);
}

/**
 * `x-request-id` as Envoy writes it (a UUID v4), made from the trace id the
 * first sidecar started: the apps meshviz models copy it with the trace
 * headers, so the requests of one trace share it.
 */
export function requestIdOf(traceId: string): string {
  const t = traceId.padEnd(32, '0');
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-4${t.slice(13, 16)}-a${t.slice(17, 20)}-${t.slice(20, 32)}`;
}

function mix(a: number, b: number): number {
  let h = Math.imul((a >>> 0) ^ b, 0xcc9e_2d51);
  h = Math.imul((h << 15) | (h >>> 17), 0x1b87_3593);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85eb_ca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2_ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function hex8(n: number): string {
  return n.toString(16).padStart(8, '0');
}

/** The trace id in a W3C `traceparent` (`00-<32 hex>-<16 hex>-<flags>`); '' for none. */
export function traceIdOf(traceparent: string): string {
  return traceparent === '' ? '' : traceparent.slice(3, 35);
}

/** A `traceparent`'s length when it is well formed (`00-` 32 hex `-` 16 hex `-` 2 hex). */
export const TRACEPARENT_LENGTH = 55;

/**
 * Where a `traceparent` goes in a small table of the traces last seen
 * (`size` a power of two): taken from the last four characters of its trace
 * id, which are random hex, so the traces in flight at once seldom share a
 * place. Read in place: `traceparent` must be at least 35 characters long.
 */
export function traceSlot(traceparent: string, size: number): number {
  let v = 0;
  for (let i = 31; i < 35; i++) v = (v << 4) ^ traceparent.charCodeAt(i);
  return v & (size - 1);
}
