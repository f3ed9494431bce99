import { runSimulation } from '../api/index.ts';
import { MAX_SIMULATED_DURATION, MAX_SIMULATED_DURATION_TEXT, parseDuration } from '../model/index.ts';
import { CliError } from './CliError.ts';
import { formatReport } from './formatReport.ts';
import { openScenario } from './openScenario.ts';
import { print } from './print.ts';

export interface SimulateFlags {
  /** As typed, e.g. `30s`; checked here. */
  duration?: string;
  seed?: number;
  scenario?: string;
  json?: boolean;
}

/** `meshviz simulate`: the scenario's traffic and timeline, summarized. */
export function runSimulate(files: string[], o: SimulateFlags): void {
  const duration = o.duration === undefined ? undefined : parseDurationFlag(o.duration);
  const session = openScenario(files, o.scenario);
  // Progress goes to stderr on a terminal (with --json too: the report is on stdout).
  const showProgress = process.stderr.isTTY === true;
  const report = runSimulation(session, {
    duration,
    seed: o.seed,
    progress: showProgress ? (now, horizon) => process.stderr.write(`\rsimulating… ${Math.min(100, Math.round((now / horizon) * 100))}%`) : undefined,
  });
  if (showProgress) process.stderr.write('\r\x1b[K');
  print(o.json ? JSON.stringify(report, null, 2) : formatReport(report));
}

function parseDurationFlag(text: string): number {
  const d = parseDuration(text);
  if (d === undefined || d <= 0) throw new CliError(`--duration must be a duration like 30s or 2m, got "${text}"`);
  if (d > MAX_SIMULATED_DURATION) throw new CliError(`--duration must be at most ${MAX_SIMULATED_DURATION_TEXT}, got "${text}"`);
  return d;
}
