import type { SendSpec, Simulation } from '../../engine/index.ts';
import type { Micros } from '../../model/index.ts';

/** The part of the engine that playback drives: its clock, its queue's next moment, and sending. */
export interface SimPort {
  readonly now: Micros;
  readonly inFlight: number;
  send(spec: SendSpec): number;
  runUntil(t: Micros): void;
  /** When the engine next has something to do, if anything. */
  nextTaskTime(): Micros | undefined;
  /** Queues the scenario's own traffic and timeline. */
  scheduleScenario(): void;
  /** Nothing in flight, no traffic left to start, no timeline action left. */
  readonly idle: boolean;
  /** Some sidecar has an endpoint ejected (its return, at an outlier tick, is worth waiting for). */
  anyEjected(): boolean;
}

export function simPort(sim: Simulation): SimPort {
  return {
    get now() {
      return sim.now;
    },
    get inFlight() {
      return sim.inFlight;
    },
    send: (spec) => sim.send(spec),
    runUntil: (t) => sim.runUntil(t),
    nextTaskTime: () => sim.nextTaskTime(),
    scheduleScenario: () => sim.scheduleScenario(),
    get idle() {
      return sim.idle;
    },
    anyEjected: () => sim.anyEjected(),
  };
}
