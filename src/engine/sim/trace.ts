import type { Rng } from '../kernel/Rng.ts';
import { emitFor, watching } from './request.ts';
import type { RequestState, World } from './World.ts';

/** Headers an app must copy from its inbound request for a trace to continue (W3C, B3, Envoy's request id). */
export const TRACE_HEADERS = ['traceparent', 'tracestate', 'x-request-id', 'x-b3-traceid', 'x-b3-spanid', 'x-b3-parentspanid', 'x-b3-sampled', 'b3'];

/**
 * The first sidecar a request meets (the caller's, or the callee's when the
 * caller has none) starts a W3C trace when none arrives (§9); an app that
 * does not copy the trace headers onto its calls makes its downstream
 * sidecar start a new, disconnected trace. Every trace is sampled, as with
 * Istio's demo profile (the default profile samples 1 %); mirrored copies
 * are not (`unsampled`).
 */
export function ensureTrace(w: World, req: RequestState, sidecarPod: string, rng: Rng): void {
  if (req.head.headers['traceparent']) return;
  const traceId = hex(rng, 32);
  req.head.headers['traceparent'] = `00-${traceId}-${hex(rng, 16)}-01`;
  const reason =
    req.origin.kind === 'app' && req.untracedParent
      ? 'the calling app did not propagate trace headers, so the trace breaks here and a new one starts'
      : 'no traceparent arrived: this sidecar starts the trace';
  if (watching(w)) emitFor(w, req, { kind: 'sidecar', pod: sidecarPod }, { kind: 'trace.start', traceId, reason });
}

/** `digits` hex digits (a multiple of 4), one 16-bit draw per 4 digits. */
function hex(rng: Rng, digits: number): string {
  let out = '';
  for (let i = 0; i < digits; i += 4) {
    const v = rng.int(0x10000);
    out += HEX2[v >>> 8] + (HEX2[v & 0xff] as string);
  }
  return out;
}

const HEX2: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** The trace context of a mirrored copy: the same trace, marked not sampled (Istio sets `trace_sampled: false` on mirrors, §9). */
export function unsampled(headers: Record<string, string>): Record<string, string> {
  const parent = headers['traceparent'];
  return parent ? { ...headers, traceparent: parent.replace(/-[0-9a-f]{2}$/, '-00') } : { ...headers };
}
