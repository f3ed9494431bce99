import { estimateRun } from '../../api/index.ts';
import type { RunEstimate, Session } from '../../api/index.ts';

/**
 * What the page loads: a scenario is read on the page's own thread (about
 * 2 s a MiB), so larger ones are refused with the loader's diagnostics
 * (MV0014) rather than stalling the tab. The CLI reads 32 MiB.
 */
export const PAGE_LIMITS = { maxFileBytes: 1024 * 1024, maxTotalBytes: 1024 * 1024 };

/** The most request-hops a story the visualizer plays may cost (the default scenario's is 4,800). */
export const STORY_BUDGET_HOPS = 1_000_000;

const estimates = new WeakMap<Session, RunEstimate>();

/**
 * What playing the scenario's story would cost, when that is more than the
 * visualizer plays (`STORY_BUDGET_HOPS`): the page simulates it as it goes,
 * so `rps: 1e9` would freeze the tab. Undefined when the story fits.
 */
export function storyTooLarge(session: Session): RunEstimate | undefined {
  let estimate = estimates.get(session);
  if (!estimate) {
    estimate = estimateRun(session, session.scenario.simulation);
    estimates.set(session, estimate);
  }
  return estimate.hops > STORY_BUDGET_HOPS ? estimate : undefined;
}
