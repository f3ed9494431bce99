import { describe, expect, it } from 'vitest';
import type { MeshEvent } from '../../src/model/index.ts';
import { ends, recordingSim, send, sessionFrom, simulation, twoVersionMesh, virtualService } from '../helpers/mesh.ts';

type Backoff = Extract<MeshEvent, { kind: 'retry.backoff' }>;
const backoffs = (events: MeshEvent[]) => events.filter((e): e is Backoff => e.kind === 'retry.backoff');

function toV1(extra = '') {
  return virtualService(`
- route: [{ destination: { host: server, subset: v1 } }]
${extra}`);
}

describe('retries (mesh-semantics §1, §2.1)', () => {
  it("Istio's default policy does not retry a 503 (removed in 1.24)", () => {
    const session = sessionFrom(...twoVersionMesh({ vs: toV1(), v2Replicas: 0 }));
    const result = send(session, { to: 'server:8080', failures: [{ target: 'server-v1', mode: '503' }] });
    expect(result.status).toBe(503);
    expect(result.attempts).toBe(1);
    expect(result.flags).toEqual([]);
  });

  it('an app’s x-envoy-retry-on and x-envoy-max-retries headers make its sidecar retry 503s the route would not (§1.1)', () => {
    const session = sessionFrom(...twoVersionMesh({ vs: toV1(), v2Replicas: 0 }));
    const result = send(session, { to: 'server:8080', headers: { 'x-envoy-retry-on': '5xx', 'x-envoy-max-retries': '4' }, failures: [{ target: 'server-v1', mode: '503' }] });
    expect([result.status, result.attempts, result.flags]).toEqual([503, 5, ['URX']]);
    const overrides = result.events.find((e) => e.kind === 'route.overrides');
    expect(overrides?.kind === 'route.overrides' && overrides.changes).toEqual(['x-envoy-retry-on adds 5xx', 'x-envoy-max-retries: 4 retries']);
  });

  it('x-envoy-upstream-rq-timeout-ms replaces the route timeout: 504 UT at the header’s deadline (§1.3)', () => {
    const session = sessionFrom(...twoVersionMesh({ vs: toV1('  timeout: 5s'), v2Replicas: 0 }));
    const result = send(session, { to: 'server:8080', headers: { 'x-envoy-upstream-rq-timeout-ms': '300' }, failures: [{ target: 'server-v1', mode: 'hang' }] });
    expect([result.status, result.flags]).toEqual([504, ['UT']]);
    expect(result.durationMs).toBeGreaterThanOrEqual(300);
    expect(result.durationMs).toBeLessThan(302);
  });

  it("Istio's default policy retries a refused connection twice, then gives up with UF,URX", () => {
    const session = sessionFrom(...twoVersionMesh({ vs: toV1(), v2Replicas: 0 }));
    const result = send(session, { to: 'server:8080', failures: [{ target: 'server-v1', mode: 'refuse' }] });
    expect(result.status).toBe(503);
    expect(result.attempts).toBe(3);
    expect(result.flags).toEqual(['UF', 'URX']);
    expect(backoffs(result.events).map((b) => b.range[1])).toEqual([25_000, 50_000]);
  });

  it('attempts: 3 on 5xx makes four tries with backoff ranges 0–24, 0–49, 0–99 ms, then URX', () => {
    const vs = toV1('  retries: { attempts: 3, retryOn: 5xx }');
    const session = sessionFrom(...twoVersionMesh({ vs, v2Replicas: 0 }));
    const result = send(session, { to: 'server:8080', failures: [{ target: 'server-v1', mode: '503' }] });
    expect(result.attempts).toBe(4);
    expect(result.status).toBe(503);
    expect(result.flags).toEqual(['URX']);
    const b = backoffs(result.events);
    expect(b.map((x) => x.range)).toEqual([
      [0, 25_000],
      [0, 50_000],
      [0, 100_000],
    ]);
    for (const x of b) {
      expect(x.delay % 1000).toBe(0);
      expect(x.delay).toBeLessThan(x.range[1]);
    }
  });

  it('a retried request that then succeeds reports 200 and the number of attempts', () => {
    const vs = toV1('  retries: { attempts: 2, retryOn: "5xx,connect-failure" }');
    const session = sessionFrom(...twoVersionMesh({ vs, v1Replicas: 2, v2Replicas: 0 }));
    // One of the two v1 pods refuses; previous-hosts makes the retry go to the other one.
    const pod = session.scenario.pods.find((p) => p.workload === 'server-v1')?.name as string;
    let sawRetry = false;
    for (let seed = 1; seed <= 10; seed++) {
      const result = send(session, { to: 'server:8080', seed, failures: [{ target: pod, mode: 'refuse' }] });
      expect(result.status).toBe(200);
      if (result.attempts === 2) {
        sawRetry = true;
        const picks = result.events.filter((e) => e.kind === 'lb.pick').map((e) => (e.kind === 'lb.pick' ? e.endpoint : ''));
        expect(picks[0]).toBe(pod);
        expect(picks[1]).not.toBe(pod);
      }
    }
    expect(sawRetry).toBe(true);
  });

  it('per-try timeout resets a hung attempt (UT) and 5xx retries it; giving up is 504 UT,URX', () => {
    const vs = toV1('  retries: { attempts: 2, perTryTimeout: 100ms, retryOn: 5xx }');
    const session = sessionFrom(...twoVersionMesh({ vs, v2Replicas: 0 }));
    const result = send(session, { to: 'server:8080', failures: [{ target: 'server-v1', mode: 'hang' }] });
    expect(result.status).toBe(504);
    expect(result.flags).toEqual(['UT', 'URX']);
    expect(result.attempts).toBe(3);
    expect(result.events.filter((e) => e.kind === 'attempt.timeout')).toHaveLength(3);
  });

  it("a per-try timeout is not retried by Istio's default retryOn (§1.2)", () => {
    const vs = toV1('  retries: { attempts: 2, perTryTimeout: 100ms }');
    const session = sessionFrom(...twoVersionMesh({ vs, v2Replicas: 0 }));
    const result = send(session, { to: 'server:8080', failures: [{ target: 'server-v1', mode: 'hang' }] });
    expect(result.status).toBe(504);
    expect(result.flags).toEqual(['UT']);
    expect(result.attempts).toBe(1);
  });

  it('the route timeout covers every try and back-off: 504 UT at the timeout, not retried', () => {
    const vs = toV1(`  timeout: 250ms
  retries: { attempts: 5, perTryTimeout: 100ms, retryOn: 5xx }`);
    const session = sessionFrom(...twoVersionMesh({ vs, v2Replicas: 0 }));
    const result = send(session, { to: 'server:8080', failures: [{ target: 'server-v1', mode: 'hang' }] });
    expect(result.status).toBe(504);
    expect(result.flags).toEqual(['UT']);
    expect(result.events.some((e) => e.kind === 'route.timeout')).toBe(true);
    // 250 ms of route timeout plus the trip back through two sidecar passes and loopback.
    expect(result.durationMs).toBeGreaterThanOrEqual(250);
    expect(result.durationMs).toBeLessThan(253);
    expect(result.attempts).toBeGreaterThanOrEqual(2);
    expect(result.attempts).toBeLessThan(6);
  });

  it('attempts: 0 disables retries', () => {
    const vs = toV1('  retries: { attempts: 0 }');
    const session = sessionFrom(...twoVersionMesh({ vs, v2Replicas: 0 }));
    const result = send(session, { to: 'server:8080', failures: [{ target: 'server-v1', mode: 'refuse' }] });
    expect(result.attempts).toBe(1);
    expect(result.flags).toEqual(['UF']);
  });

  // The router skips looking for these headers on requests whose source is known not to send them (a traffic
  // source's or an app call's plan works that out once); every request that can carry one is still read.
  describe('override headers from every kind of sender, every time', () => {
    const failing = `
timeline:
  - at: 0s
    fail: { workload: server-v1, mode: "503" }`;
    const retriesOf = (spec: string): number[] => {
      const { sim, events } = recordingSim(sessionFrom(...twoVersionMesh({ vs: toV1(), v2Replicas: 0, simulation: simulation(`${spec}\n${failing}`) })));
      sim.scheduleScenario();
      sim.runUntilIdle();
      return ends(events)
        .filter((e) => e.where.kind === 'app' && e.where.pod.startsWith('client'))
        .map((e) => e.attempts);
    };

    it("a traffic source's x-envoy-max-retries applies to each of its requests, not only the first", () => {
      const attempts = retriesOf(`traffic:
  - { name: t, from: client, to: server:8080, rps: 10, duration: 1s, headers: { x-envoy-retry-on: 5xx, x-envoy-max-retries: "2" } }`);
      expect(attempts).toEqual(Array(10).fill(3));
    });

    it("an app call's own x-envoy-max-retries header applies to each call", () => {
      const attempts = retriesOf(`workloads:
  client:
    calls: [{ service: server:8080, headers: { x-envoy-retry-on: 5xx, x-envoy-max-retries: "1" } }]
traffic:
  - { name: t, from: external, to: client:8080, rps: 5, duration: 1s }`);
      expect(attempts).toEqual(Array(5).fill(2));
    });

    it('an override header the app propagates from its inbound request applies to its call', () => {
      const attempts = retriesOf(`workloads:
  client:
    propagateHeaders: [x-envoy-max-retries, x-envoy-retry-on]
    calls: [{ service: server:8080 }]
traffic:
  - { name: t, from: external, to: client:8080, rps: 5, duration: 1s, headers: { x-envoy-retry-on: 5xx, x-envoy-max-retries: "3" } }`);
      expect(attempts).toEqual(Array(5).fill(4));
    });
  });
});
