import type { EdgeTally, RequestTally, RunCounters } from '../../model/index.ts';
import type { PodRuntime, RequestState, World } from './World.ts';

/**
 * The run's counters, asked once per kind of request. A traffic source and
 * an app's call each have a plan with a numbered slot (`World.planSlots`);
 * what its requests count toward is kept here by slot, and the destination
 * side's tally by slot and callee pod — so counting a request or a hop
 * looks nothing up by name. The cache belongs to the counters it was filled
 * from: it is not part of a snapshot.
 */
export interface TallyCache {
  requests: Array<RequestTally | undefined>;
  /** Per slot: per callee pod (index × 2, + 1 when the caller had a sidecar), the edge tally. */
  edges: Array<Array<EdgeTally | undefined> | undefined>;
}

/** Counts `request.start` for a new request and returns what it counts toward. */
export function countRequestStart(w: World, counters: RunCounters, slot: number, fromWorkload: string, host: string, traffic: string | undefined): RequestTally {
  let tally: RequestTally;
  if (slot < 0) tally = counters.requestTally(fromWorkload, host, traffic);
  else {
    const cache = (w.tallies ??= { requests: [], edges: [] });
    tally = cache.requests[slot];
    if (tally === undefined) {
      while (cache.requests.length <= slot) cache.requests.push(undefined);
      tally = cache.requests[slot] = counters.requestTally(fromWorkload, host, traffic);
    }
  }
  counters.requestStarted(tally);
  return tally;
}

/** Counts `inbound.complete` at the callee's sidecar. */
export function countInbound(w: World, counters: RunCounters, req: RequestState, callee: PodRuntime, status: number, duration: number): void {
  const source = req.viaSidecar ? req.fromWorkload : UNKNOWN_SOURCE;
  const slot = req.plan;
  if (slot < 0) return counters.inboundCompleted(counters.edgeTally(source, callee.pod.workload, req.host), status, duration);
  const cache = (w.tallies ??= { requests: [], edges: [] });
  while (cache.edges.length <= slot) cache.edges.push(undefined);
  const byCallee = (cache.edges[slot] ??= new Array<EdgeTally | undefined>(2 * w.scenario.pods.length).fill(undefined));
  const key = 2 * callee.index + (req.viaSidecar ? 1 : 0);
  let edge = byCallee[key];
  if (edge === undefined) edge = byCallee[key] = counters.edgeTally(source, callee.pod.workload, req.host);
  counters.inboundCompleted(edge, status, duration);
}

/** The destination sidecar knows its caller's workload only from the caller's sidecar (mTLS peer metadata). */
export const UNKNOWN_SOURCE = 'unknown';
