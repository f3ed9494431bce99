import type { SourceFile } from '../../istio/index.ts';
import type { SimulationReport } from '../../telemetry/index.ts';
import { ApiError } from '../ApiError.ts';
import { openSession } from '../Session.ts';
import type { Session } from '../Session.ts';
import { runSimulation } from '../simulate.ts';
import { variantFiles } from './applyVariant.ts';
import type { SweepPlan, SweepRun } from './planSweep.ts';

/** What one run measured: a number per metric (null when the run had nothing to measure it on). */
export interface RunResult {
  index: number;
  seed: number;
  variant: Array<string | number | boolean>;
  metrics: Record<string, number | null>;
}

/**
 * Runs one run of a sweep: the scenario with the run's settings, with the
 * run's seed, and the figures the sweep table shows. `sessions` keeps each
 * variant's loaded scenario between the runs of one worker.
 */
export function runSweepRun(files: SourceFile[], plan: SweepPlan, run: SweepRun, sessions = new Map<string, Session>()): RunResult {
  const label = variantLabel(plan, run.variant);
  let session = sessions.get(label);
  if (!session) {
    const base = open(files, 'the scenario');
    session = plan.vary.length === 0 ? base : open(variantFiles(base.scenario, plan.vary.map((v) => v.key), run.variant, label), label);
    sessions.set(label, session);
  }
  return { index: run.index, seed: run.seed, variant: run.variant, metrics: metricsOf(runSimulation(session, { seed: run.seed })) };
}

function open(files: SourceFile[], what: string): Session {
  const opened = openSession(files);
  if (opened.ok) return opened.session;
  const first = opened.diagnostics.find((d) => d.severity === 'error');
  throw new ApiError(`${what} has errors${first ? `: ${first.message}` : ''}`, 'meshviz analyze shows them all');
}

/** `retries.attempts=2 outlierDetection.consecutive5xxErrors=5`, or `(as written)` when nothing varies. */
export function variantLabel(plan: SweepPlan, variant: ReadonlyArray<string | number | boolean>): string {
  return plan.vary.length === 0 ? '(as written)' : plan.vary.map((v, i) => `${v.key}=${String(variant[i])}`).join(' ');
}

/**
 * The figures of one run: the share of traffic answers that were not 5xx
 * or a reset, each traffic source's p50 and p99, retries, ejections, and
 * the calls answered 503 UH or UO (fail-fast and overflow) as callers saw them.
 */
export function metricsOf(report: SimulationReport): Record<string, number | null> {
  const completed = report.traffic.reduce((n, t) => n + t.completed, 0);
  const good = report.traffic.reduce((n, t) => n + Object.entries(t.byCode).reduce((k, [code, count]) => k + (Number(code) > 0 && Number(code) < 500 ? count : 0), 0), 0);
  const metrics: Record<string, number | null> = { 'success %': completed === 0 ? null : Math.round((1e5 * good) / completed) / 1000 };
  for (const t of report.traffic) {
    metrics[`${t.name} p50 ms`] = t.completed === 0 ? null : t.latencyMs.p50;
    metrics[`${t.name} p99 ms`] = t.completed === 0 ? null : t.latencyMs.p99;
  }
  const flagged = (flag: string): number => report.calls.reduce((n, c) => n + Object.entries(c.byFlags).reduce((k, [flags, count]) => k + (flags.split(',').includes(flag) ? count : 0), 0), 0);
  metrics['retries'] = report.retries;
  metrics['ejections'] = report.ejections.length;
  metrics['UH'] = flagged('UH');
  metrics['UO'] = flagged('UO');
  return metrics;
}
