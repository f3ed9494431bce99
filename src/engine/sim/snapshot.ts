import { asByName, IdTable } from '../../model/index.ts';
import { EventQueue } from '../kernel/EventQueue.ts';
import { RngStreams, Sfc32 } from '../kernel/Rng.ts';
import type { ControlPlaneState } from './controlPlane.ts';
import type { TrafficRuntime } from './traffic.ts';
import type { World } from './World.ts';

/** The structured-clone algorithm (HTML; Node ≥ 17): deep copies of plain data, Maps and typed arrays, shared references kept shared. */
declare function structuredClone<T>(value: T): T;

/** What a simulation holds besides its readers (sink, counters) and the session's functions (resolve, reconfigure). */
export type WorldData = Omit<World, 'emit' | 'counters' | 'telemetry' | 'tallies' | 'resolve' | 'listeners'>;

/**
 * The whole state of a simulation at one instant, as data: the clock, the
 * queue (plain task records), every request, attempt, server and connection
 * in flight, pools, outlier and balancer state, random streams, the
 * control plane and the traffic sources. Structured-cloneable (postMessage
 * to a worker, IndexedDB); `Simulation.restore` continues it exactly.
 * What the run's counters were given for requests in flight is not kept:
 * counters attached after a restore count what ends from then on.
 */
export interface SimulationSnapshot {
  readonly format: 'meshviz.simulation/1';
  readonly world: WorldData;
  readonly traffic: TrafficRuntime[];
  readonly controlPlane: ControlPlaneState;
  readonly timelineLeft: number;
}

export function takeSnapshot(w: World, traffic: TrafficRuntime[], controlPlane: ControlPlaneState, timelineLeft: number): SimulationSnapshot {
  const { emit: _emit, counters: _counters, telemetry: _telemetry, tallies: _tallies, resolve: _resolve, listeners: _listeners, ...world } = w;
  const tallies = w.requests.values().map((req) => [req, req.tally] as const);
  for (const [req] of tallies) req.tally = undefined;
  try {
    return structuredClone({ format: 'meshviz.simulation/1', world, traffic, controlPlane, timelineLeft });
  } finally {
    for (const [req, tally] of tallies) req.tally = tally;
  }
}

/** A fresh copy of the snapshot's state, with the kernel's classes given back their methods (a clone carries fields only). */
export function reviveSnapshot(snapshot: SimulationSnapshot): SimulationSnapshot {
  if (snapshot.format !== 'meshviz.simulation/1') throw new Error(`not a meshviz simulation snapshot (format ${String(snapshot.format)})`);
  const copy = structuredClone(snapshot);
  const w = copy.world;
  revive(w.rng, RngStreams);
  for (const rng of (w.rng as unknown as { streams: Map<string, object> }).streams.values()) revive(rng, Sfc32);
  revive(w.queue, EventQueue);
  for (const table of [w.requests, w.attempts, w.servers, w.connections]) revive(table, IdTable);
  // Records keyed by user-chosen names come back from a clone with Object's prototype: take it away again.
  asByName(w.pods);
  asByName(w.proxies);
  asByName(w.scenario.simulation.workloads);
  for (const proxy of Object.values(w.proxies)) for (const cluster of Object.values(asByName(proxy.clusters))) asByName(cluster.outlier);
  return copy;
}

function revive(value: object, type: { prototype: object }): void {
  Object.setPrototypeOf(value, type.prototype);
}
