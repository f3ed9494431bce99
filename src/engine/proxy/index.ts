export type { RequestHead, RouteMatchResult } from './routeMatch.ts';
export { matchRoute, matchString } from './routeMatch.ts';
export { pickWeighted } from './weightedPick.ts';
export type { LbHost, BalancerState, HostPick } from './balance.ts';
export { createBalancerState, pickHost, pickHostAvoiding } from './balance.ts';
// The back-off schedule itself lives beside the retry policy in model; the simulation reaches it here.
export type { BackoffState } from '../../model/index.ts';
export { createBackoff } from '../../model/index.ts';
export { nextBackoff } from './backoff.ts';
export type { AttemptOutcome } from './retryPolicy.ts';
export { isRetriable, describeRetryOn } from './retryPolicy.ts';
export { requestPolicy, hasOverrideHeaders } from './requestOverrides.ts';
export type { RequestPolicy } from './requestOverrides.ts';
export type { OutlierHostState, OutlierTrigger, EjectDecision, ResultOrigin } from './outlier.ts';
export { createOutlierHost, recordResult, decideEjection, onIntervalTick, ejectionDuration } from './outlier.ts';
export { formatFlags, orderFlags, FLAG_MEANING } from './flags.ts';
export type { AuthzRequest, AuthzDecision } from './authorize.ts';
export { authorize } from './authorize.ts';
