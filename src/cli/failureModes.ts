import type { FailureMode } from '../model/index.ts';

/** The failure modes `--fail` accepts, in the order help lists them. */
export const FAILURE_MODES: FailureMode[] = ['503', '500', 'reset', 'refuse', 'hang', 'slow'];
