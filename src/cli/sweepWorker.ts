import { runSweepRun } from '../api/index.ts';
import type { RunResult, Session, SourceFile, SweepPlan, SweepRun } from '../api/index.ts';

/** Each worker keeps the scenarios it has loaded, one per variant, for the runs that follow. */
const sessions = new Map<string, Session>();

/** Runs of a sweep (one variant's seeds), in a worker thread of `meshviz sweep`'s pool (tinypool). */
export default function run(task: { files: SourceFile[]; plan: SweepPlan; runs: SweepRun[] }): RunResult[] {
  const results = task.runs.map((r) => runSweepRun(task.files, task.plan, r, sessions));
  // A worker runs one variant at a time: what it loaded for this one is not needed again.
  sessions.clear();
  return results;
}
