import type { ResponseFlag } from './events.ts';
import type { Micros } from './units.ts';

/**
 * What a long headless run counts instead of building events: the engine
 * calls these at the points where it would emit `request.start`,
 * `request.end`, `inbound.complete`, `retry.backoff`,
 * `outlier.eject` and `outlier.uneject`, with the same values. Folding the
 * full event stream and counting through this interface give the same report.
 *
 * What a request counts toward is asked for once per kind of request
 * (`requestTally`, `edgeTally`) and handed back with every request of that
 * kind, so counting one request looks nothing up by name.
 */
/** Opaque to the engine: what requests of one caller, destination and traffic source count toward. */
export type RequestTally = unknown;
/** Opaque to the engine: what the destination sidecar's view of one (source workload, destination workload, service) counts toward. */
export type EdgeTally = unknown;

export interface RunCounters {
  /** What requests from `fromWorkload` to `host` count toward; `traffic` is the traffic source's name for requests it sent. */
  requestTally(fromWorkload: string, host: string, traffic: string | undefined): RequestTally;
  /** `request.start`, of a request counting toward `tally`. */
  requestStarted(tally: RequestTally): void;
  /** `request.end`, as the caller sees it, after `attempts` attempts at its sidecar. */
  requestEnded(tally: RequestTally, status: number, flags: readonly ResponseFlag[], duration: Micros, attempts: number): void;
  /** What the destination sidecar's view of these requests counts toward. */
  edgeTally(sourceWorkload: string, destinationWorkload: string, destinationService: string): EdgeTally;
  /** `inbound.complete`: the destination sidecar's view. */
  inboundCompleted(edge: EdgeTally, status: number, duration: Micros): void;
  /** `retry.backoff`: a retry was granted. */
  retried(): void;
  ejected(clientPod: string, cluster: string, endpoint: string, at: Micros): void;
  unejected(clientPod: string, cluster: string, endpoint: string, ejectedFor: Micros): void;
}
