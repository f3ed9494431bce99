import { describe, expect, it } from 'vitest';
import { ends, received, recordingSim, send, sessionFrom, twoVersionMesh, virtualService } from '../helpers/mesh.ts';

const toV1 = virtualService(`
- route: [{ destination: { host: server, subset: v1 } }]
  retries: { attempts: 0 }`);

describe('pod failure modes', () => {
  const session = () => sessionFrom(...twoVersionMesh({ vs: toV1, v2Replicas: 0 }));

  it('500: the app answers 500 and the sidecar passes it on', () => {
    const r = send(session(), { to: 'server:8080', failures: [{ target: 'server-v1', mode: '500' }] });
    expect([r.status, r.flags]).toEqual([500, []]);
  });

  it('refuse: the connect fails at the client sidecar (UF)', () => {
    const r = send(session(), { to: 'server:8080', failures: [{ target: 'server-v1', mode: 'refuse' }] });
    expect([r.status, r.flags]).toEqual([503, ['UF']]);
    expect(r.events.some((e) => e.kind === 'hop.arrive')).toBe(false);
  });

  it('refuse after a kept-alive request: the idle connection closes, the next connect is refused (UF) whether or not the pod has a sidecar', () => {
    const { sim, events } = recordingSim(session(), 1);
    sim.send({ from: 'client', host: 'server', port: 8080 });
    sim.runUntilIdle();
    sim.fail({ workload: 'server-v1' }, 'refuse');
    expect(events.filter((e) => e.kind === 'conn.close').map((e) => (e.kind === 'conn.close' ? e.reason : ''))).toEqual([expect.stringMatching(/stopped accepting connections/)]);
    sim.send({ from: 'client', host: 'server', port: 8080 });
    sim.runUntilIdle();
    expect(ends(events).map((e) => [e.status, e.flags])).toEqual([
      [200, []],
      [503, ['UF']],
    ]);
  });

  it('refuse while a request is on the wire: its connection is reset (UC) and the pod never counts it', () => {
    const { sim, events } = recordingSim(session(), 1);
    sim.send({ from: 'client', host: 'server', port: 8080 });
    sim.runUntil(sim.now + 1_000_000);
    // The second request is on its kept-alive connection, not yet at the pod.
    const second = sim.send({ from: 'client', host: 'server', port: 8080 });
    while (!events.some((e) => e.kind === 'hop.send' && e.requestId === second)) sim.step();
    sim.fail({ workload: 'server-v1' }, 'refuse');
    sim.runUntilIdle();
    expect(ends(events).map((e) => [e.status, e.flags])).toEqual([
      [200, []],
      [503, ['UC']],
    ]);
    expect(received(sim, 'server-v1')).toBe(1);
  });

  it("reset: the callee's sidecar turns the app's reset into a 503 (UC on its side); the caller gets a plain 503", () => {
    const r = send(session(), { to: 'server:8080', failures: [{ target: 'server-v1', mode: 'reset' }] });
    expect([r.status, r.flags]).toEqual([503, []]);
    expect(r.detail).toMatch(/connection termination.*UC/);
  });

  it('slow: the answer comes after the extra delay', () => {
    const fast = send(session(), { to: 'server:8080' });
    const r = send(session(), { to: 'server:8080', failures: [{ target: 'server-v1', mode: 'slow', delay: 200_000 }] });
    expect(r.status).toBe(200);
    expect(r.durationMs - fast.durationMs).toBeCloseTo(200, 6);
  });

  it('a caller outside the mesh goes straight to a pod: no sidecar, no retries, no flags', () => {
    const r = send(session(), { from: 'external', to: 'server:8080', failures: [{ target: 'server-v1', mode: 'refuse' }] });
    expect([r.status, r.flags, r.attempts]).toEqual([0, [], 1]);
  });
});
