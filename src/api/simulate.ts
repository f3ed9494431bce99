import type { MeshEvent, Micros, SimulationSpec } from '../model/index.ts';
import { Simulation } from '../engine/index.ts';
import { SummaryCollector, openTelemetry } from '../telemetry/index.ts';
import type { RunOutputs, SimulationReport, TelemetryOutputOptions } from '../telemetry/index.ts';
import { ApiError } from './ApiError.ts';
import { describeEstimate, estimateRun, EVENTS_PER_HOP, RUN_BUDGET_HOPS } from './estimateRun.ts';
import type { RunEstimate } from './estimateRun.ts';
import { ExpectationCounters } from './expect/ExpectationCounters.ts';
import type { ExpectationResult } from './expect/ExpectationCounters.ts';
import type { ResolvedExpectation } from './expect/resolveExpectations.ts';
import { teeCounters } from './expect/teeCounters.ts';
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
  /** The work a run may take, in request-hops (default `RUN_BUDGET_HOPS`). */
  budget?: number;
  /** Run even when the estimate is over the budget, and do not stop at twice the budget. */
  force?: boolean;
  /** Conditions to check over the run (`resolveExpectations`); their verdicts come with `expectations()`. */
  expect?: readonly ResolvedExpectation[];
  /** Istio-shaped metrics, access logs and traces, written as the run goes (told by the engine through `RunTelemetry`: no events are built for them). */
  telemetry?: Omit<TelemetryOutputOptions, 'scenario' | 'xds' | 'startMs'> & {
    /** The wall-clock instant of simulated time 0 (ms since the epoch), or how to choose it from the run's `horizon`. */
    startMs: number | ((horizon: Micros) => number);
  };
  /** Virtual time per `advance()` at most (default: a two-hundredth of the run, at least 1 s); a paced run takes small steps. */
  slice?: Micros;
}

/** A run refused before it started: its estimate is over the budget. */
export class RunOverBudget extends ApiError {
  constructor(
    readonly estimate: RunEstimate,
    readonly budget: number,
  ) {
    super(
      `this run would simulate about ${describeEstimate(estimate)}, over the budget of ${budget.toLocaleString('en-US')} request-hops`,
      'shorten it with --duration or lower rates, or pass --force to run it anyway',
    );
  }
}

/** Runs the scenario's traffic and timeline and folds the event stream into a report. */
export function runSimulation(session: Session, options: SimulateOptions = {}): SimulationReport {
  const run = startSimulation(session, options);
  while (run.advance()) options.progress?.(run.now, run.horizon);
  return run.report();
}

/**
 * Prepares a run and checks its estimate against the budget (throws
 * `RunOverBudget` unless `force`). `advance()` runs it a slice at a time, so
 * a caller can show progress and stop it between slices (Ctrl-C).
 */
export function startSimulation(session: Session, options: SimulateOptions = {}): SimulationRun {
  const simulation = limitTo(session.scenario.simulation, options.duration);
  const budget = options.budget ?? RUN_BUDGET_HOPS;
  const estimate = estimateRun(session, simulation);
  if (!options.force && estimate.hops > budget) throw new RunOverBudget(estimate, budget);
  return new SimulationRun(session, simulation, options, estimate, options.force ? Infinity : 2 * budget * EVENTS_PER_HOP);
}

/** Virtual time is run in this many slices at least; each slice also stops after `SLICE_EVENTS`. */
const SLICES = 200;
const SLICE_EVENTS = 2_000_000;

export class SimulationRun {
  /** When the traffic and timeline end (0 for closed loops, which have no fixed end). */
  readonly horizon: Micros;
  private readonly sim: Simulation;
  private readonly collector: SummaryCollector;
  private readonly checks: ExpectationCounters | undefined;
  /** The run's telemetry outputs, when it writes any. */
  readonly telemetry: RunOutputs | undefined;
  private readonly limit: Micros;
  private readonly slice: Micros;
  private cursor: Micros = 0;
  private midSlice = false;
  private finished = false;
  private stopped: string | undefined;

  constructor(
    session: Session,
    private readonly simulation: SimulationSpec,
    private readonly options: SimulateOptions,
    readonly estimate: RunEstimate,
    /** Events after which the run stops whatever the estimate said (retry storms, cycles closed mid-run). */
    private readonly maxEvents: number,
  ) {
    const scenario = { ...session.scenario, simulation };
    this.collector = new SummaryCollector(scenario.pods, simulation.traffic.map((t) => t.name));
    this.checks = options.expect?.length ? new ExpectationCounters(options.expect, () => this.sim.now) : undefined;
    this.horizon = trafficEnd(simulation);
    const t = options.telemetry;
    const telemetry = t ? openTelemetry({ ...t, startMs: typeof t.startMs === 'number' ? t.startMs : t.startMs(this.horizon), scenario, xds: session.xds }) : undefined;
    this.telemetry = telemetry;
    this.sim = new Simulation({
      scenario,
      xds: session.xds,
      resolve: session.resolve,
      reconfigure: createReconfigure(session.files, session.scenario),
      seed: options.seed,
      sink: options.sink,
      telemetry,
      counters: this.checks ? teeCounters(this.collector, this.checks) : this.collector,
    });
    this.sim.scheduleScenario();
    // Closed-loop traffic has no fixed end; give it an hour of virtual time.
    const closed = simulation.traffic.some((t) => t.load.kind === 'closed') ? 3_600_000_000 : 0;
    this.limit = this.horizon + Math.max(options.drain ?? 60_000_000, closed);
    this.slice = options.slice ?? Math.max(1_000_000, Math.ceil(this.limit / SLICES));
  }

  /** Virtual time reached. */
  get now(): Micros {
    return this.sim.now;
  }

  /** Events so far (emitted, or counted without a sink). */
  get events(): number {
    return this.sim.eventCount;
  }

  /** Runs the next slice; false once the run is over (finished, over budget, or stopped). */
  advance(): boolean {
    if (this.finished) return false;
    if (!this.midSlice) this.cursor = Math.min(this.limit, this.cursor + this.slice);
    this.sim.runUntilIdle(this.cursor, Math.min(this.maxEvents, this.sim.eventCount + SLICE_EVENTS));
    const next = this.sim.nextTaskTime();
    if (this.sim.idle || next === undefined || next > this.limit) {
      this.finished = true;
      this.telemetry?.finish(this.sim.now);
    } else if (this.sim.eventCount >= this.maxEvents) {
      this.stop(`stopped after ${this.sim.eventCount.toLocaleString('en-US')} events, twice the budget: the run cost far more than its estimate (retries or failures multiplying calls)`);
    } else {
      // Stopped by the slice's event cap before reaching the cursor: the next slice goes on toward the same cursor.
      this.midSlice = next <= this.cursor;
    }
    return !this.finished;
  }

  /** Ends the run here (Ctrl-C); the report tells what was simulated so far and why it stopped. */
  stop(reason: string): void {
    this.finished = true;
    this.stopped = reason;
    this.telemetry?.finish(this.sim.now);
  }

  /** The verdict of each condition given in `expect`, on what has run so far. */
  expectations(): ExpectationResult[] {
    return this.checks?.results() ?? [];
  }

  report(): SimulationReport {
    const sim = this.sim;
    const report = this.collector.report(this.options.seed ?? this.simulation.seed, sim.now / 1000, sim.eventCount, (pod) => sim.pod(pod)?.received ?? 0);
    return this.stopped === undefined ? report : { ...report, stopped: this.stopped };
  }
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

/** When a Simulation's open-loop traffic and its timeline end. */
export function trafficEnd(spec: SimulationSpec): number {
  let end = 0;
  for (const t of spec.traffic) end = Math.max(end, t.start + (t.load.kind === 'open' ? t.load.duration : 0));
  for (const e of spec.timeline) end = Math.max(end, e.at);
  return end;
}
