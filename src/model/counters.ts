import type { ResponseFlag } from './events.ts';
import type { Micros } from './units.ts';

/**
 * What a long headless run counts instead of building events: the engine
 * calls these at the points where it would emit `request.start`,
 * `request.end`, `inbound.complete`, `retry.backoff`,
 * `outlier.eject` and `outlier.uneject`, with the same values. Folding the
 * full event stream and counting through this interface give the same report.
 */
/** Opaque to the engine: whatever the counters want back when the request ends. */
export type RequestTally = unknown;

export interface RunCounters {
  /**
   * `request.start`: `traffic` is the traffic source's name for requests it
   * sent. Returns what the request counts toward; the engine keeps it with
   * the request and hands it back to `requestEnded` (no lookup by id).
   */
  requestStarted(requestId: number, fromWorkload: string, host: string, traffic: string | undefined): RequestTally;
  /** `request.end`, as the caller sees it. */
  requestEnded(tally: RequestTally, status: number, flags: readonly ResponseFlag[], duration: Micros): void;
  /** `inbound.complete`: the destination sidecar's view. */
  inboundCompleted(sourceWorkload: string, destinationWorkload: string, destinationService: string, status: number, duration: Micros): void;
  /** `retry.backoff`: a retry was granted. */
  retried(): void;
  ejected(clientPod: string, cluster: string, endpoint: string, at: Micros): void;
  unejected(clientPod: string, cluster: string, endpoint: string, ejectedFor: Micros): void;
}
