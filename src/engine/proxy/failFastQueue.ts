import type { Micros } from '../../model/index.ts';

/**
 * A linkerd-proxy backend's queue in front of its balancer (linkerd2-proxy
 * `linkerd/proxy/balance/queue/src/worker.rs` and `failfast.rs`, §10.4):
 * while no endpoint can take a request, requests wait in the queue; when the
 * balancer has had none for the whole fail-fast timeout
 * (`DEFAULT_OUTBOUND_HTTP_FAILFAST_TIMEOUT`, 3 s, `linkerd/app/src/env.rs`)
 * every waiting request fails (FAIL_FAST) and the queue's gate shuts: no new
 * request is given to it (the route draws another backend, or sheds the
 * request: `queueReady`) until an endpoint is ready again. The timeout
 * starts anew each time the balancer goes from ready to not ready. Plain
 * data; only the functions here change `mode` and `since`, the engine
 * keeps the waiting requests.
 */
export interface FailFastQueueState {
  mode: 'open' | 'waiting' | 'failFast';
  /** In `waiting`: when the balancer stopped having an endpoint (the timeout runs from here). */
  since: Micros;
  /** Request ids waiting, in arrival order, each × 2 + 1 for a retry. */
  waiting: number[];
  /** The list being handed out while the next fills (swapped, so nothing is allocated per request). */
  handing: number[];
  /** When the next wake-up is due (Infinity: none). */
  wakeAt: Micros;
}

export function createFailFastQueue(): FailFastQueueState {
  return { mode: 'open', since: 0, waiting: [], handing: [], wakeAt: Infinity };
}

/**
 * Whether the queue takes a request now, as the route's distributor asks it
 * before choosing it (`PoolQueue` under a `Gate`: linkerd2-proxy
 * `linkerd/proxy/balance/queue/src/service.rs` `poll_ready`,
 * `linkerd/stack/src/gate.rs`): not while it is in fail-fast — entering it
 * shuts the gate (`failfast.rs` `entered`), and the gate opens again as soon
 * as the balancer has an endpoint (`set_ready`) —, nor while `capacity`
 * requests already wait (the channel has no room). Reads `state` only.
 */
export function queueReady(state: FailFastQueueState, available: boolean, capacity: number): boolean {
  switch (state.mode) {
    case 'open':
      return true;
    case 'waiting':
      return state.waiting.length < capacity;
    case 'failFast':
      return available;
    default:
      return assertNever(state.mode);
  }
}

/**
 * A request reaches the queue; `available` says whether the balancer has an
 * endpoint for it now. `proceed`: send it; `wait`: queue it (behind those
 * already waiting, even when an endpoint just became ready: they go first);
 * `loadShed`: the queue does not take it (`queueReady` is false: full, or
 * its gate shut in fail-fast — the route's distributor would have chosen
 * another backend or shed it). Open with no endpoint starts the timeout at
 * `now`; in fail-fast an endpoint ready again opens the queue. Mutates `state`.
 */
export function decideQueue(state: FailFastQueueState, available: boolean, capacity: number, now: Micros): 'proceed' | 'wait' | 'loadShed' {
  switch (state.mode) {
    case 'open':
      if (available) return 'proceed';
      state.mode = 'waiting';
      state.since = now;
      return 'wait';
    case 'waiting':
      return state.waiting.length >= capacity ? 'loadShed' : 'wait';
    case 'failFast':
      if (!available) return 'loadShed';
      state.mode = 'open';
      return 'proceed';
    default:
      return assertNever(state.mode);
  }
}

/**
 * The queue looks at its balancer again (an endpoint's state changed, or
 * the timeout may be over). `serve`: an endpoint is ready, hand the waiting
 * requests to it in order; `failAll`: the timeout ran out with none, every
 * waiting request fails fast; `sleep`: keep waiting. Mutates `state`.
 */
export function decideWake(state: FailFastQueueState, available: boolean, timeout: Micros, now: Micros): 'serve' | 'failAll' | 'sleep' {
  if (state.mode !== 'waiting') return 'sleep';
  if (available) {
    state.mode = 'open';
    return 'serve';
  }
  if (now >= state.since + timeout) {
    state.mode = 'failFast';
    return 'failAll';
  }
  return 'sleep';
}

function assertNever(x: never): never {
  throw new Error(`unexpected fail-fast mode ${String(x)}`);
}
