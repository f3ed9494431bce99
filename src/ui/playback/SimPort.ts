import type { SendSpec } from '../../api/index.ts';
import type { Micros } from '../../model/index.ts';

/** The part of the live mesh that playback drives (`LiveMesh` is one): its clock, its next moment, and sending. */
export interface SimPort {
  readonly now: Micros;
  readonly inFlight: number;
  send(spec: SendSpec): number;
  runUntil(t: Micros): void;
  /** When the mesh next has something to do, if anything. */
  nextTaskTime(): Micros | undefined;
  /** Queues the scenario's own traffic and timeline. */
  scheduleScenario(): void;
  /** Nothing in flight, no traffic left to start, no timeline action or push left. */
  readonly idle: boolean;
  /** A config push is on its way to the proxies (worth playing on to watch it land). */
  readonly pushPending: boolean;
  /** Some sidecar has an endpoint ejected (its return, at an outlier tick, is worth waiting for). */
  anyEjected(): boolean;
}
