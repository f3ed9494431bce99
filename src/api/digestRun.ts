import type { Micros, TimelineEntry } from '../model/index.ts';
import type { SourceFile } from '../istio/index.ts';
import { StreamDigest } from '../telemetry/index.ts';
import { ApiError } from './ApiError.ts';
import { sendOne } from './send.ts';
import type { SendOptions } from './send.ts';
import { openSession } from './Session.ts';
import { runSimulation } from './simulate.ts';

/** One run to fingerprint: the scenario's story, or one `send`. Plain data, so a browser page can be handed it. */
export interface DigestRun {
  files: SourceFile[];
  seed: number;
  /** Extra timeline entries (virtual µs) merged into the scenario's own. */
  timeline?: TimelineEntry[];
  /** Run the story for at most this long; the default is the scenario's own length. */
  duration?: Micros;
  /** One `send` instead of the story. */
  send?: Omit<SendOptions, 'seed' | 'sink'>;
}

/**
 * The digest of a run's whole event stream (`StreamDigest`: `hex/count`).
 * The golden tests pin these in Node and in Chromium; both call this.
 */
export function digestRun(run: DigestRun): string {
  const opened = openSession(run.files);
  if (!opened.ok) throw new ApiError(opened.diagnostics.map((d) => d.message).join('\n'), 'the scenario does not load');
  const session = opened.session;
  const digest = new StreamDigest();
  if (run.send) {
    const result = sendOne(session, { ...run.send, seed: run.seed, sink: digest.add });
    digest.addText(JSON.stringify([result.status, result.flags, result.durationMs, result.attempts, result.earlier]));
    return digest.hex();
  }
  const simulation = session.scenario.simulation;
  const timeline = [...simulation.timeline, ...(run.timeline ?? [])].sort((a, b) => a.at - b.at);
  const scenario = { ...session.scenario, simulation: { ...simulation, timeline } };
  runSimulation({ ...session, scenario }, { seed: run.seed, duration: run.duration, sink: digest.add });
  return digest.hex();
}
