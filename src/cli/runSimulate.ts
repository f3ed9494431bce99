import { startSimulation, wallTime } from '../api/index.ts';
import type { SimulationRun } from '../api/index.ts';
import type { Micros } from '../model/index.ts';
import { formatExpectations } from './formatExpectations.ts';
import { formatReport } from './formatReport.ts';
import { junitXml } from './junitXml.ts';
import { openExpectations } from './openExpectations.ts';
import { openScenario } from './openScenario.ts';
import { printOutput } from './printOutput.ts';
import type { Output } from './output.ts';
import { stdoutLayout } from './table.ts';
import { writeOutputFile } from './writeOutputFile.ts';

export interface SimulateFlags {
  duration?: Micros;
  seed?: number;
  scenario?: string;
  force?: boolean;
  expect?: string;
  junit?: string;
}

/** Exit status of a run stopped by Ctrl-C (128 + SIGINT), after its partial report. */
export const INTERRUPTED = 130;

/**
 * `meshviz simulate`: the scenario's traffic and timeline, summarized. A run
 * whose estimate is over the budget is refused unless --force; a run longer
 * than a few seconds shows its progress and time left on stderr (with -o json
 * too: the report is on stdout); Ctrl-C stops it and prints what was
 * simulated so far. Conditions (the Simulation's `expect:`, `--expect FILE`)
 * are checked over the run: PASS/FAIL with what was measured, `--junit FILE`
 * for CI. Returns the exit status: 1 when a condition failed.
 */
export async function runSimulate(files: string[], o: SimulateFlags, output: Output): Promise<number> {
  const session = openScenario(files, o.scenario);
  const expect = openExpectations(session, o.expect);
  // Over the budget, this throws RunOverBudget: an ApiError, printed as one line with its hint.
  const run = startSimulation(session, { duration: o.duration, seed: o.seed, force: o.force === true, expect });
  let interrupted = false;
  const onInterrupt = (): void => {
    interrupted = true;
  };
  process.once('SIGINT', onInterrupt);
  const progress = new Progress(run);
  try {
    while (run.advance()) {
      progress.show();
      // Let Ctrl-C reach its handler between slices.
      await new Promise((resolve) => setImmediate(resolve));
      if (interrupted) run.stop(`interrupted at ${(run.now / 1_000_000).toFixed(1)} s of virtual time`);
    }
  } finally {
    process.off('SIGINT', onInterrupt);
    progress.done();
  }
  const report = run.report();
  const results = run.expectations();
  const data = results.length > 0 ? { ...report, expectations: results } : report;
  await printOutput(output, data, (wide) => {
    const layout = stdoutLayout(wide);
    return results.length > 0 ? `${formatReport(report, layout)}\n\n${formatExpectations(results, layout)}` : formatReport(report, layout);
  });
  if (o.junit !== undefined) writeOutputFile('--junit', o.junit, junitXml(session.scenario.simulation.name, results));
  if (interrupted) return INTERRUPTED;
  return results.some((r) => !r.passed) ? 1 : 0;
}

/**
 * Progress on stderr once a run has taken a few seconds: one line kept up to
 * date on a terminal, a plain line every ten seconds otherwise (a log, a
 * pipe). The share done is by virtual time, or by events against the
 * estimate for closed loops (which have no fixed end).
 */
class Progress {
  private readonly started = Date.now();
  private lastLine = 0;
  private shown = false;
  private readonly tty = process.stderr.isTTY === true;

  constructor(private readonly run: SimulationRun) {}

  show(): void {
    const elapsed = (Date.now() - this.started) / 1000;
    if (elapsed < 3 || (!this.tty && Date.now() - this.lastLine < 10_000)) return;
    this.lastLine = Date.now();
    const { run } = this;
    const share = Math.min(0.99, run.horizon > 0 ? run.now / run.horizon : run.events / Math.max(1, run.estimate.events));
    const left = share > 0 ? (elapsed * (1 - share)) / share : Infinity;
    const line = `simulating… ${Math.floor(share * 100)}% (${(run.now / 1_000_000).toFixed(1)} s of virtual time, ${wallTime(elapsed)} so far${Number.isFinite(left) ? `, about ${wallTime(left)} left` : ''})`;
    process.stderr.write(this.tty ? `\r\x1b[K${line}` : `${line}\n`);
    this.shown = true;
  }

  done(): void {
    if (this.shown && this.tty) process.stderr.write('\r\x1b[K');
  }
}
