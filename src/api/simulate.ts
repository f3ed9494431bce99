import type { MeshEvent, SimulationSpec } from '../model/index.ts';
import { Simulation } from '../engine/index.ts';
import { SummaryCollector } from '../telemetry/index.ts';
import type { SimulationReport } from '../telemetry/index.ts';
import { createReconfigure } from './reconfigure.ts';
import type { Session } from './Session.ts';

export interface SimulateOptions {
  /** Stop starting traffic (and timeline actions) after this much virtual time. */
  duration?: number;
  seed?: number;
  /** How long to let in-flight requests finish after the traffic stops (default 60 s). */
  drain?: number;
  /** Sees every event (for streaming output or extra telemetry). */
  sink?: (event: MeshEvent) => void;
  /** Called now and then with the virtual time reached, for progress feedback. */
  progress?: (now: number, horizon: number) => void;
}

/** Runs the scenario's traffic and timeline and folds the event stream into a report. */
export function runSimulation(session: Session, options: SimulateOptions = {}): SimulationReport {
  const simulation = limitTo(session.scenario.simulation, options.duration);
  const scenario = { ...session.scenario, simulation };
  const collector = new SummaryCollector(scenario.pods, simulation.traffic.map((t) => t.name));
  const sink = options.sink;
  const sim = new Simulation({
    scenario,
    xds: session.xds,
    resolve: session.resolve,
    reconfigure: createReconfigure(session.files, session.scenario),
    seed: options.seed,
    sink,
    counters: collector,
  });
  sim.scheduleScenario();
  const horizon = trafficEnd(simulation);
  // Closed-loop traffic has no fixed end; give it an hour of virtual time.
  const closed = simulation.traffic.some((t) => t.load.kind === 'closed') ? 3_600_000_000 : 0;
  const limit = horizon + Math.max(options.drain ?? 60_000_000, closed);
  if (options.progress) {
    const step = Math.max(1_000_000, Math.floor(horizon / 20));
    for (let t = step; t < horizon; t += step) {
      sim.runUntilIdle(t);
      options.progress(sim.now, horizon);
    }
  }
  sim.runUntilIdle(limit);
  return collector.report(options.seed ?? simulation.seed, sim.now / 1000, sim.eventCount, (pod) => sim.pod(pod)?.received ?? 0);
}

function limitTo(spec: SimulationSpec, duration?: number): SimulationSpec {
  if (duration === undefined) return spec;
  return {
    ...spec,
    traffic: spec.traffic
      .filter((t) => t.start < duration)
      .map((t) => (t.load.kind === 'open' ? { ...t, load: { ...t.load, duration: Math.min(t.load.duration, duration - t.start) } } : t)),
    timeline: spec.timeline.filter((e) => e.at < duration),
  };
}

function trafficEnd(spec: SimulationSpec): number {
  let end = 0;
  for (const t of spec.traffic) end = Math.max(end, t.start + (t.load.kind === 'open' ? t.load.duration : 0));
  for (const e of spec.timeline) end = Math.max(end, e.at);
  return end;
}
