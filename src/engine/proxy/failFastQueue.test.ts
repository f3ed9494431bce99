import { describe, expect, it } from 'vitest';
import { createFailFastQueue, decideQueue, decideWake, queueReady } from './failFastQueue.ts';

const S = 1_000_000;
/** linkerd2-proxy `app/src/env.rs` `DEFAULT_OUTBOUND_HTTP_FAILFAST_TIMEOUT` (commit 29637b64f6cebedaf15bfbf516818d7a28a4d5a6). */
const TIMEOUT = 3 * S;

describe('the fail-fast queue’s decisions (linkerd2-proxy proxy/balance/queue/src/failfast.rs: Open → Waiting → FailFast, the gate shut in FailFast)', () => {
  it('open: a request with an endpoint goes on; one without starts the wait', () => {
    const q = createFailFastQueue();
    expect(decideQueue(q, true, 10, 0)).toBe('proceed');
    expect(q.mode).toBe('open');
    expect(decideQueue(q, false, 10, 2 * S)).toBe('wait');
    expect(q).toMatchObject({ mode: 'waiting', since: 2 * S });
  });

  it('waiting: requests queue (even if an endpoint just came back: those already waiting go first), up to the capacity', () => {
    const q = createFailFastQueue();
    expect(queueReady(q, false, 2)).toBe(true);
    decideQueue(q, false, 2, 0);
    q.waiting.push(1);
    expect(queueReady(q, false, 2)).toBe(true);
    expect(decideQueue(q, true, 2, 1)).toBe('wait');
    q.waiting.push(2);
    // Full: the channel has no room, so the queue is not ready (the route draws another backend).
    expect(queueReady(q, true, 2)).toBe(false);
    expect(decideQueue(q, false, 2, 2)).toBe('loadShed');
    expect(q.since).toBe(0);
  });

  it('wakes: an endpoint serves the queue; none before the timeout sleeps; none at the timeout fails all', () => {
    const ready = createFailFastQueue();
    decideQueue(ready, false, 10, 0);
    expect(decideWake(ready, true, TIMEOUT, TIMEOUT - 1)).toBe('serve');
    expect(ready.mode).toBe('open');
    const q = createFailFastQueue();
    decideQueue(q, false, 10, 1 * S);
    expect(decideWake(q, false, TIMEOUT, 1 * S + TIMEOUT - 1)).toBe('sleep');
    expect(decideWake(q, false, TIMEOUT, 1 * S + TIMEOUT)).toBe('failAll');
    expect(q.mode).toBe('failFast');
  });

  it('fail-fast: the gate is shut — the queue takes no request (LOAD_SHED) until an endpoint is ready, which opens it; the next wait starts its own timeout', () => {
    const q = createFailFastQueue();
    decideQueue(q, false, 10, 0);
    decideWake(q, false, TIMEOUT, TIMEOUT);
    expect(queueReady(q, false, 10)).toBe(false);
    expect(queueReady(q, true, 10)).toBe(true);
    expect(decideQueue(q, false, 10, 4 * S)).toBe('loadShed');
    expect(decideWake(q, true, TIMEOUT, 5 * S)).toBe('sleep');
    expect(decideQueue(q, true, 10, 6 * S)).toBe('proceed');
    expect(q.mode).toBe('open');
    expect(decideQueue(q, false, 10, 7 * S)).toBe('wait');
    expect(q.since).toBe(7 * S);
  });
});
