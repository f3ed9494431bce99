import { describe, expect, it } from 'vitest';
import { describeEvent } from '../../src/api/index.ts';
import type { MeshEvent } from '../../src/model/index.ts';
import { ends, recordingSim } from '../helpers/mesh.ts';
import { linkerdSession } from './linkerdMesh.ts';

const MS = 1000;
const S = 1_000_000;

/**
 * linkerd-proxy queues a request its balancer has no endpoint for, and fails
 * the queue only when there has been none for the fail-fast timeout:
 * `DEFAULT_OUTBOUND_HTTP_FAILFAST_TIMEOUT = Duration::from_secs(3)` in
 * linkerd/linkerd2-proxy `linkerd/app/src/env.rs`, applied by
 * `linkerd/stack/src/failfast.rs` (Waiting → FailFast after the timeout, the
 * timer reset each time the service goes from ready to pending; in FailFast
 * the queued requests fail and the queue's gate is shut until the service is
 * ready again, so a new request is shed) around the queue of
 * `linkerd/proxy/balance/queue/src/worker.rs` (commit 29637b64f6cebedaf15bfbf516818d7a28a4d5a6).
 */
function accrualSession(minPenalty: string) {
  return linkerdSession({
    annotations: {
      'balancer.linkerd.io/failure-accrual': 'consecutive',
      'balancer.linkerd.io/failure-accrual-consecutive-max-failures': '1',
      'balancer.linkerd.io/failure-accrual-consecutive-min-penalty': minPenalty,
      'balancer.linkerd.io/failure-accrual-consecutive-max-penalty': '60s',
      'balancer.linkerd.io/failure-accrual-consecutive-jitter-ratio': '0',
    },
  });
}

describe('linkerd-proxy’s fail-fast queue (linkerd2-proxy app/src/env.rs, stack/src/failfast.rs)', () => {
  it('compiles every Linkerd backend with the 3 s fail-fast timeout and the 10,000-request queue', () => {
    const cluster = Object.values(linkerdSession().xds.proxies)[0]?.clusters['outbound|8080||server.default.svc.cluster.local'];
    expect(cluster?.failFast).toEqual({ timeout: 3 * S, capacity: 10_000 });
  });

  it('a request that finds no endpoint waits; when the back-off ends it is the probe, and served', () => {
    const { sim, events } = recordingSim(accrualSession('1s'), 1);
    sim.fail({ workload: 'server' }, '503');
    sim.send({ from: 'client', host: 'server', port: 8080 });
    sim.runUntil(500 * MS);
    sim.recover({ workload: 'server' });
    sim.send({ from: 'client', host: 'server', port: 8080 });
    sim.runUntilIdle();
    const [first, second] = ends(events);
    expect(first?.status).toBe(503);
    const unavailable = events.find((e) => e.kind === 'accrual.unavailable');
    const probe = events.find((e) => e.kind === 'accrual.probe');
    // It waited from 0.5 s to the end of the 1 s back-off, then went as the probe and got the app's answer.
    expect(probe?.t).toBe((unavailable?.t as number) + 1 * S);
    expect(probe?.requestId).toBe(second?.requestId);
    expect(second?.status).toBe(200);
    expect(second?.error).toBeUndefined();
    expect(second?.attempts).toBe(1);
    expect(second?.duration).toBeGreaterThan((probe?.t as number) - 500 * MS);
    expect(events.some((e) => e.kind === 'accrual.available')).toBe(true);
    expect(events.some((e) => e.kind === 'lb.noHealthy')).toBe(false);
    const wait = events.find((e) => e.kind === 'queue.wait');
    expect(wait).toMatchObject({ requestId: second?.requestId, waiting: 1, failFastAt: (wait?.t as number) + 3 * S });
    expect(describeEvent(wait as MeshEvent)).toBe('no endpoint available in outbound|8080||server.default.svc.cluster.local yet: waiting in its queue (1 waiting) for one, or FAIL_FAST at 3.5s');
  });

  it('no endpoint for 3 s: every waiting request fails fast at the timeout; later ones are shed at once (the gate is shut), until an endpoint is ready again', () => {
    const { sim, events } = recordingSim(accrualSession('10s'), 1);
    sim.fail({ workload: 'server' }, '503');
    sim.send({ from: 'client', host: 'server', port: 8080 });
    sim.runUntil(500 * MS);
    sim.send({ from: 'client', host: 'server', port: 8080 });
    sim.runUntil(1 * S);
    sim.send({ from: 'client', host: 'server', port: 8080 });
    sim.runUntil(4 * S);
    sim.send({ from: 'client', host: 'server', port: 8080 });
    sim.runUntil(12 * S);
    sim.recover({ workload: 'server' });
    sim.send({ from: 'client', host: 'server', port: 8080 });
    sim.runUntilIdle();
    const [, waited1, waited2, late, afterBackoff] = ends(events);
    const noHealthy = events.filter((e) => e.kind === 'lb.noHealthy');
    // The queue started waiting when the request sent at 0.5 s reached the proxy (loopback and processing: 290 µs): both waiting requests fail together 3 s later.
    expect(noHealthy.slice(0, 2).map((e) => e.t)).toEqual([3.5 * S + 290, 3.5 * S + 290]);
    // The one backend's gate is shut in fail-fast: the route sheds the next request (linkerd2-proxy
    // `linkerd/app/outbound/src/http/logical/tests/failure_accrual.rs`: FAIL_FAST, then LOAD_SHED).
    expect([waited1?.error, waited2?.error, late?.error]).toEqual(['FAIL_FAST', 'FAIL_FAST', 'LOAD_SHED']);
    // linkerd-proxy answers FAIL_FAST with 504 Gateway Timeout (`linkerd/app/outbound/src/http/server.rs` `ServerRescue`).
    expect(waited1?.status).toBe(504);
    expect(late?.status).toBe(503);
    expect((waited1?.duration as number) - 3 * S).toBeGreaterThanOrEqual(0);
    expect((waited1?.duration as number) - 3 * S).toBeLessThan(5 * MS);
    expect((waited2?.duration as number) - 2.5 * S).toBeLessThan(5 * MS);
    // In fail-fast the next request is answered at once.
    expect(late?.duration).toBeLessThan(5 * MS);
    // The 10 s back-off is over at 12 s: the queue is open again, the request is the probe and is served.
    expect(afterBackoff?.status).toBe(200);
    expect(afterBackoff?.error).toBeUndefined();
    expect(afterBackoff?.duration).toBeLessThan(50 * MS);
  });

  it('requests waiting behind a probe wait for its answer, and a successful probe lets them all through in order', () => {
    const { sim, events } = recordingSim(accrualSession('1s'), 1);
    sim.fail({ workload: 'server' }, '503');
    sim.send({ from: 'client', host: 'server', port: 8080 });
    sim.runUntil(200 * MS);
    sim.recover({ workload: 'server' });
    for (let i = 0; i < 5; i++) {
      sim.runUntil((300 + 100 * i) * MS);
      sim.send({ from: 'client', host: 'server', port: 8080 });
    }
    sim.runUntilIdle();
    const served = ends(events).slice(1);
    expect(served.map((e) => e.status)).toEqual([200, 200, 200, 200, 200]);
    expect(served.map((e) => e.requestId)).toEqual([...served.map((e) => e.requestId)].sort((a, b) => a - b));
    expect(events.filter((e) => e.kind === 'accrual.probe')).toHaveLength(1);
  });
});
