import { describe, expect, it } from 'vitest';
import { deployment, send, service, sessionFrom, simulation } from '../helpers/mesh.ts';

/** front → back, where the front app calls back with its own timeout and retries (like Bookinfo's productpage). */
function mesh(call: string, backMode = '') {
  return sessionFrom(
    deployment('client', { app: 'client' }),
    deployment('front', { app: 'front' }),
    service('front'),
    deployment('back', { app: 'back' }),
    service('back'),
    simulation(`
workloads:
  front:
    latency: { fixed: 1ms }
    calls: [{ service: "back:8080", path: /data, ${call} }]
  back:
    latency: { fixed: 2ms }
${backMode}`),
  );
}

describe("an app's own calls", () => {
  it('a call that fails makes the app answer 500 by default', () => {
    const r = send(mesh('retries: 0'), { to: 'front:8080', failures: [{ target: 'back', mode: '503' }] });
    expect(r.status).toBe(500);
    expect(r.events.some((e) => e.kind === 'app.callFailed')).toBe(true);
  });

  it('onFailure: continue answers 200 without the failed call', () => {
    const r = send(mesh('onFailure: continue'), { to: 'front:8080', failures: [{ target: 'back', mode: '503' }] });
    expect(r.status).toBe(200);
  });

  it("the app's own timeout and retry: 3 s twice gives up after about 6 s (Bookinfo's productpage, §2.6)", () => {
    const r = send(mesh('timeout: 3s, retries: 1'), { to: 'front:8080', failures: [{ target: 'back', mode: 'hang' }] });
    expect(r.status).toBe(500);
    expect(r.events.filter((e) => e.kind === 'app.timeout')).toHaveLength(2);
    expect(r.events.filter((e) => e.kind === 'app.retry')).toHaveLength(1);
    expect(r.durationMs).toBeGreaterThan(6000);
    expect(r.durationMs).toBeLessThan(6020);
    // The abandoned calls are closed by the app; their sidecar logs DC.
    const abandoned = r.events.filter((e) => e.kind === 'request.end' && e.flags.includes('DC'));
    expect(abandoned).toHaveLength(2);
  });

  it('parallel calls run together: the answer waits for the slower one only', () => {
    const session = sessionFrom(
      deployment('client', { app: 'client' }),
      deployment('front', { app: 'front' }),
      service('front'),
      deployment('a', { app: 'a' }),
      service('a'),
      deployment('b', { app: 'b' }),
      service('b'),
      simulation(`
workloads:
  front:
    latency: { fixed: 1ms }
    calls:
      - { service: "a:8080", parallel: true }
      - { service: "b:8080", parallel: true }
  a: { latency: { fixed: 50ms } }
  b: { latency: { fixed: 80ms } }`),
    );
    const r = send(session, { to: 'front:8080' });
    expect(r.status).toBe(200);
    expect(r.durationMs).toBeGreaterThan(80);
    expect(r.durationMs).toBeLessThan(100);
  });
});
