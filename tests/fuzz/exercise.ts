import { analyze, ApiError, exportFiles, openSession, runSimulation, sendOne } from '../../src/api/index.ts';
import type { Session, SourceFile } from '../../src/api/index.ts';
import { catalog } from '../../src/istio/index.ts';
import { FAILURE_MODES } from '../../src/model/index.ts';
import type { FailureMode } from '../../src/model/index.ts';

/** How far one input got, for the report. */
export interface Outcome {
  /**
   * `refused`: the loader or the budget said no, with a diagnostic; `ran`: it simulated to the end;
   * `stopped`: it cost far more than its estimate and stopped at twice the budget, saying so.
   */
  stage: 'refused' | 'ran' | 'stopped';
  events: number;
}

/** Request-hops a fuzzed run may take (the CLI's budget is 100 million): each input stays well under a second. */
export const FUZZ_BUDGET_HOPS = 50_000;

/** A bug: meshviz threw, or reported an internal error, where it should have answered. */
export class Crash extends Error {
  override readonly name = 'Crash';
}

/**
 * What a user can do with a file, in order: `analyze`, `export`, open it as
 * a session, `send` one request, and with a pod failing, and `simulate` its traffic and timeline.
 * Anything the user did wrong must come back as diagnostics or an
 * `ApiError`; anything else thrown is a crash.
 */
export function exercise(files: SourceFile[], variant = 0): Outcome {
  const report = analyze(files);
  const internal = report.diagnostics.find((d) => d.code === catalog.InternalError.code);
  if (internal) throw new Crash(`analyze: ${internal.message}`);
  exportFiles(files);
  const opened = openSession(files);
  if (!opened.ok) return { stage: 'refused', events: 0 };
  const session = opened.session;
  let events = 0;
  const probe = probeRequest(session);
  if (probe) {
    const sent = userErrorOr(() => sendOne(session, probe));
    events += sent?.events.length ?? 0;
    // The same with a workload failing (which one and how, by variant): retries, ejections and their timers.
    const workloads = session.scenario.workloads;
    const failing = workloads[variant % Math.max(1, workloads.length)]?.name;
    const mode = FAILURE_MODES[variant % FAILURE_MODES.length] as FailureMode;
    const failed = failing ? userErrorOr(() => sendOne(session, { ...probe, repeat: 8, failures: [{ target: failing, mode }] })) : undefined;
    events += failed?.events.length ?? 0;
  }
  // The whole story, under a small budget: a bigger one is refused before it starts.
  const run = userErrorOr(() => runSimulation(session, { budget: FUZZ_BUDGET_HOPS }));
  if (run === undefined) return { stage: 'refused', events };
  return { stage: run.stopped ? 'stopped' : 'ran', events: events + run.events };
}

/** The first traffic entry's request, or the first workload calling the first service. */
function probeRequest(session: Session): { from: string; to: string; method?: string; headers?: Record<string, string> } | undefined {
  const traffic = session.scenario.simulation.traffic[0];
  if (traffic) {
    return { from: traffic.from, to: `${traffic.host}${traffic.port ? `:${traffic.port}` : ''}${traffic.path}`, method: traffic.method, headers: { ...traffic.headers } };
  }
  const pod = session.scenario.pods[0];
  const service = session.scenario.services[0];
  if (!pod || !service) return undefined;
  return { from: pod.workload, to: `${service.name}.${service.namespace}:${service.ports[0]?.port ?? 80}/` };
}

function userErrorOr<T>(run: () => T): T | undefined {
  try {
    return run();
  } catch (error) {
    if (error instanceof ApiError) return undefined;
    throw error;
  }
}
