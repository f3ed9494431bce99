import { isWaypointKey } from '../../model/index.ts';
import type { Rng } from '../kernel/Rng.ts';
import { emitFor, watching } from './request.ts';
import { proxyKeyWhere } from './ambient.ts';
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
  const traceparent = newTraceparent(rng);
  req.head.headers['traceparent'] = traceparent;
  const reason =
    req.origin.kind === 'app' && req.untracedParent
      ? 'the calling app did not propagate trace headers, so the trace breaks here and a new one starts'
      : 'no traceparent arrived: this sidecar starts the trace';
  w.telemetry?.traceStarted(w.now, req.id, sidecarPod, traceparent);
  if (watching(w)) emitFor(w, req, isWaypointKey(sidecarPod) ? proxyKeyWhere(w, sidecarPod) : { kind: 'sidecar', pod: sidecarPod }, { kind: 'trace.start', traceId: traceparent.slice(3, 35), reason });
}

/**
 * `00-<32 hex trace id>-<16 hex span id>-01`, made as one flat string: one
 * 16-bit draw per 4 hex digits, trace id first.
 */
function newTraceparent(rng: Rng): string {
  const codes = TRACEPARENT;
  for (let i = 3; i < 52; i += 4) {
    if (i === 35) i = 36;
    const v = rng.uint32() >>> 16; // = rng.int(0x10000), the draw every earlier run made
    codes[i] = HEX_DIGIT[v >>> 12] as number;
    codes[i + 1] = HEX_DIGIT[(v >>> 8) & 0xf] as number;
    codes[i + 2] = HEX_DIGIT[(v >>> 4) & 0xf] as number;
    codes[i + 3] = HEX_DIGIT[v & 0xf] as number;
  }
  return String.fromCharCode.apply(null, codes);
}

/** Character codes of 0–9a–f. */
const HEX_DIGIT: readonly number[] = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
/** Scratch: the header's character codes, digits rewritten on each use (the engine is single-threaded; the string is copied out). */
const TRACEPARENT: number[] = Array.from('00-00000000000000000000000000000000-0000000000000000-01', (c) => c.charCodeAt(0));

/** The trace context of a mirrored copy: the same trace, marked not sampled (Istio sets `trace_sampled: false` on mirrors, §9). */
export function unsampled(headers: Record<string, string>): Record<string, string> {
  const parent = headers['traceparent'];
  return parent ? { ...headers, traceparent: parent.replace(/-[0-9a-f]{2}$/, '-00') } : { ...headers };
}
