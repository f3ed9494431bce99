import { describe, expect, it } from 'vitest';
import type { MeshEvent, MeshEventOf } from '../../src/model/index.ts';
import { describeEvent } from '../../src/api/index.ts';
import { pickReadyWeighted } from '../../src/engine/proxy/index.ts';
import { createRng } from '../../src/engine/kernel/Rng.ts';
import { pickWeighted } from '../../src/engine/proxy/index.ts';
import { deployment, ends, recordingSim, sessionFrom } from '../helpers/mesh.ts';
import { annotatedService, linkerdMesh } from './linkerdMesh.ts';

const MS = 1000;
const S = 1_000_000;

/**
 * A backend whose queue is in fail-fast shuts its gate, and the route's
 * distributor passes over it. Sources, linkerd2-proxy at commit
 * 29637b64f6cebedaf15bfbf516818d7a28a4d5a6:
 * - `linkerd/proxy/balance/queue/src/failfast.rs` `entered`: after the
 *   timeout with no ready endpoint, `gate.shut()`; `set_ready`: `gate.open()`;
 *   `worker.rs` `PoolDriver::call`: in fail-fast a queued request fails with
 *   `FailFastError` (FAIL_FAST);
 * - `linkerd/stack/src/gate.rs`: a shut gate's `poll_ready` is pending;
 * - `linkerd/distribute/src/service/random.rs` `poll_ready`: a weighted draw,
 *   a backend not ready has its weight zeroed and another is drawn, pending
 *   when none is left;
 * - `linkerd/app/outbound/src/http/logical/policy/route.rs`: `LoadShed` right
 *   above the distributor fails a request at once when it is pending
 *   (LOAD_SHED, `route/metrics/labels.rs`), and `route/retry.rs` never retries it;
 * - `linkerd/app/src/env.rs`: `DEFAULT_OUTBOUND_HTTP_FAILFAST_TIMEOUT` 3 s;
 * - `linkerd/app/outbound/src/http/logical/tests/failure_accrual.rs`
 *   `consecutive_failures_accrue`: one backend, FAIL_FAST then LOAD_SHED.
 */

function ofKind<K extends MeshEvent['kind']>(events: MeshEvent[], kind: K): Array<MeshEventOf<K>> {
  return events.filter((e): e is MeshEventOf<K> => e.kind === kind);
}

/** One failure makes an endpoint unavailable for 10 s (no jitter): longer than the test, so only the queue's timeout acts. */
const ACCRUAL = {
  'balancer.linkerd.io/failure-accrual': 'consecutive',
  'balancer.linkerd.io/failure-accrual-consecutive-max-failures': '1',
  'balancer.linkerd.io/failure-accrual-consecutive-min-penalty': '10s',
  'balancer.linkerd.io/failure-accrual-consecutive-jitter-ratio': '0',
};

/** client → server, split evenly between the Services server and canary, each with failure accrual. */
function split() {
  return sessionFrom(
    ...linkerdMesh({
      annotations: ACCRUAL,
      extra: [
        deployment('canary', { app: 'canary' }),
        annotatedService('canary', ACCRUAL),
        `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: server-split, namespace: default }
spec:
  parentRefs: [{ group: core, kind: Service, name: server, port: 8080 }]
  rules:
    - backendRefs: [{ name: server, port: 8080, weight: 1 }, { name: canary, port: 8080, weight: 1 }]`,
      ],
    }),
  );
}

const SERVER = 'outbound|8080||server.default.svc.cluster.local';
const CANARY = 'outbound|8080||canary.default.svc.cluster.local';

/** Sends a request every 100 ms for `seconds`, then runs to the end. */
function traffic(failing: string[], seconds: number) {
  const { sim, events } = recordingSim(split(), 3);
  for (const workload of failing) sim.fail({ workload }, '503');
  for (let i = 0; i < seconds * 10; i++) {
    sim.runUntil(i * 100 * MS);
    sim.send({ from: 'client', host: 'server', port: 8080 });
  }
  sim.runUntilIdle();
  return events;
}

describe('the fail-fast gate: a backend in fail-fast is passed over by the route (linkerd2-proxy distribute, queue, gate)', () => {
  it('one backend failing: 3 s after its queue started waiting, the waiting requests fail fast, and from then on its share goes to the other backend', () => {
    const events = traffic(['server'], 8);
    const waits = ofKind(events, 'queue.wait').filter((e) => e.cluster === SERVER);
    const failFastAt = (waits[0] as MeshEventOf<'queue.wait'>).failFastAt;
    expect(failFastAt).toBe((waits[0] as MeshEvent).t + 3 * S);
    // Every request that waited fails at that instant, FAIL_FAST, and no request waits after it.
    const noHealthy = ofKind(events, 'lb.noHealthy');
    expect(noHealthy.length).toBe(new Set(waits.map((w) => w.requestId)).size);
    expect(new Set(noHealthy.map((e) => e.t))).toEqual(new Set([failFastAt]));
    const byId = new Map(ends(events).map((e) => [e.requestId, e]));
    for (const e of noHealthy) expect(byId.get(e.requestId)).toMatchObject({ status: 504, error: 'FAIL_FAST' });
    expect(waits.every((w) => w.t < failFastAt)).toBe(true);
    // After it, each draw of server is passed over (gate shut) and the request goes to canary: all answered 200.
    const shut = ofKind(events, 'queue.gateShut');
    expect(shut.length).toBeGreaterThan(10);
    expect(shut.every((e) => e.cluster === SERVER && e.reason === 'failFast' && e.t >= failFastAt)).toBe(true);
    for (const e of shut) {
      const drawn = ofKind(events, 'route.cluster').find((r) => r.requestId === e.requestId);
      expect(drawn?.cluster).toBe(CANARY);
      expect(byId.get(e.requestId)).toMatchObject({ status: 200 });
      expect(byId.get(e.requestId)?.error).toBeUndefined();
    }
    const starts = new Map(ofKind(events, 'request.start').map((e) => [e.requestId, e.t]));
    const later = ends(events).filter((e) => (starts.get(e.requestId) as number) > failFastAt);
    expect(later.length).toBeGreaterThan(30);
    expect(later.every((e) => e.status === 200)).toBe(true);
    expect(ends(events).some((e) => e.error === 'LOAD_SHED')).toBe(false);
    expect(describeEvent(shut[0] as MeshEvent, 'linkerd-proxy')).toBe(
      `${SERVER} is in fail-fast (no endpoint for its whole timeout): its gate is shut, so the route passes over it — another backend, or LOAD_SHED if none is ready`,
    );
  });

  it('both backends failing: once both are in fail-fast, every request is shed at once (LOAD_SHED), not retried', () => {
    const events = traffic(['server', 'canary'], 8);
    const failFastAt = (cluster: string) => (ofKind(events, 'queue.wait').find((e) => e.cluster === cluster) as MeshEventOf<'queue.wait'>).failFastAt;
    const bothShut = Math.max(failFastAt(SERVER), failFastAt(CANARY));
    const starts = new Map(ofKind(events, 'request.start').map((e) => [e.requestId, e.t]));
    const after = ends(events).filter((e) => (starts.get(e.requestId) as number) > bothShut);
    expect(after.length).toBeGreaterThan(30);
    for (const e of after) {
      expect(e).toMatchObject({ status: 503, error: 'LOAD_SHED', attempts: 1 });
      // Shed where the route is, before any backend: the caller's loopback and its proxy's pass, no wire.
      expect(e.duration).toBeLessThan(1 * MS);
    }
    // Before that, waiting requests failed fast at each backend's timeout.
    expect(ends(events).filter((e) => e.error === 'FAIL_FAST').length).toBeGreaterThan(0);
    expect(ofKind(events, 'app.receive').every((e) => e.t < bothShut)).toBe(true);
  });

  it('a single backend in fail-fast: the next request is shed (FAIL_FAST for the waiting, then LOAD_SHED), as linkerd2-proxy’s consecutive_failures_accrue test', () => {
    const { sim, events } = recordingSim(sessionFrom(...linkerdMesh({ annotations: ACCRUAL })), 1);
    sim.fail({ workload: 'server' }, '503');
    sim.send({ from: 'client', host: 'server', port: 8080 });
    sim.runUntil(100 * MS);
    sim.send({ from: 'client', host: 'server', port: 8080 });
    sim.runUntil(4 * S);
    sim.send({ from: 'client', host: 'server', port: 8080 });
    sim.runUntilIdle();
    expect(ends(events).map((e) => e.error)).toEqual([undefined, 'FAIL_FAST', 'LOAD_SHED']);
  });
});

describe('pickReadyWeighted: random.rs’s draw among ready backends', () => {
  const backends = [{ cluster: 'a', weight: 90 }, { cluster: 'b', weight: 10 }];
  const always = () => true;

  it('with every backend ready, it draws exactly as pickWeighted (the same picks from the same stream)', () => {
    const x = createRng(7, 'route');
    const y = createRng(7, 'route');
    for (let i = 0; i < 1000; i++) expect(pickReadyWeighted(backends, x, always, 0, 0)).toBe(pickWeighted(backends, y));
  });

  it('a backend not ready is never chosen while another is; none ready: undefined', () => {
    const rng = createRng(11, 'route');
    for (let i = 0; i < 200; i++) expect(pickReadyWeighted(backends, rng, (c) => c !== 'a', 0, 0)).toBe('b');
    expect(pickReadyWeighted(backends, rng, () => false, 0, 0)).toBeUndefined();
    expect(pickReadyWeighted([{ cluster: 'only', weight: 1 }], rng, () => false, 0, 0)).toBeUndefined();
  });

  it('redraws among the rest by weight (seeded, 20,000 picks, ±1.5 %)', () => {
    const three = [{ cluster: 'a', weight: 50 }, { cluster: 'b', weight: 30 }, { cluster: 'c', weight: 20 }];
    const rng = createRng(3, 'route');
    let b = 0;
    for (let i = 0; i < 20_000; i++) if (pickReadyWeighted(three, rng, (c) => c !== 'a', 0, 0) === 'b') b += 1;
    expect(b / 20_000).toBeGreaterThan(0.6 - 0.015);
    expect(b / 20_000).toBeLessThan(0.6 + 0.015);
  });
});
