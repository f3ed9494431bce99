import { wallTime } from '../api/index.ts';
import type { SimulationRun } from '../api/index.ts';

/** Exit status of a run stopped by Ctrl-C (128 + SIGINT), after its partial report. */
export const INTERRUPTED = 130;

/**
 * Runs `run` to its end a slice at a time, showing progress on stderr once
 * it takes a few seconds; Ctrl-C stops it between slices (its report then
 * says so). With `pace`, simulated time runs that many times as fast as the
 * wall clock. Returns whether it was interrupted.
 */
export async function driveRun(run: SimulationRun, pace?: number): Promise<boolean> {
  const began = Date.now();
  let interrupted = false;
  const onInterrupt = (): void => {
    interrupted = true;
  };
  process.once('SIGINT', onInterrupt);
  const progress = new Progress(run);
  try {
    while (run.advance()) {
      progress.show();
      // Let Ctrl-C reach its handler between slices; a paced run waits for the wall clock to catch up.
      const wait = pace === undefined ? 0 : began + run.now / 1000 / pace - Date.now();
      await new Promise((resolve) => (wait > 0 ? setTimeout(resolve, wait) : setImmediate(resolve)));
      if (interrupted) run.stop(`interrupted at ${(run.now / 1_000_000).toFixed(1)} s of virtual time`);
    }
  } finally {
    process.off('SIGINT', onInterrupt);
    progress.done();
  }
  return interrupted;
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
