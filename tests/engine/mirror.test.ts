import { describe, expect, it } from 'vitest';
import { runSimulation } from '../../src/api/index.ts';
import { ends, received, recordingSim, send, sessionFrom, simulation, twoVersionMesh, virtualService } from '../helpers/mesh.ts';

const mirrorToV2 = (percentage = '') =>
  virtualService(`
- route: [{ destination: { host: server, subset: v1 } }]
  mirror: { host: server, subset: v2 }
${percentage}`);

describe('mirroring (mesh-semantics §2.5)', () => {
  it('sends a shadow copy to the mirror target and answers the caller from the primary only', () => {
    const session = sessionFrom(...twoVersionMesh({ vs: mirrorToV2() }));
    const r = send(session, { to: 'server:8080', failures: [{ target: 'server-v2', mode: '500' }] });
    expect(r.status).toBe(200);
    const shadowArrive = r.events.find((e) => e.kind === 'hop.arrive' && e.pod.startsWith('server-v2-'));
    expect(shadowArrive).toBeDefined();
    const shadow = r.events.find((e) => e.kind === 'inbound.complete' && e.shadow);
    expect(shadow?.kind === 'inbound.complete' && [shadow.destinationWorkload, shadow.status]).toEqual(['server-v2', 500]);
  });

  it('fire-and-forget: a hanging mirror target does not delay the caller', () => {
    const session = sessionFrom(...twoVersionMesh({ vs: mirrorToV2() }));
    const plain = send(sessionFrom(...twoVersionMesh({ vs: virtualService('- route: [{ destination: { host: server, subset: v1 } }]') })), { to: 'server:8080' });
    const r = send(session, { to: 'server:8080', failures: [{ target: 'server-v2', mode: 'hang' }] });
    expect(r.status).toBe(200);
    expect(r.durationMs).toBeCloseTo(plain.durationMs, 0);
  });

  it('mirrorPercentage samples the copies: 25 % over 2000 requests within ±3 points', () => {
    const session = sessionFrom(...twoVersionMesh({ vs: mirrorToV2('  mirrorPercentage: { value: 25 }') }));
    const { sim, events } = recordingSim(session, 9);
    for (let i = 0; i < 2000; i++) {
      sim.send({ from: 'client', host: 'server', port: 8080 });
      sim.runUntilIdle();
    }
    expect(received(sim, 'server-v1')).toBe(2000);
    expect(Math.abs(received(sim, 'server-v2') / 2000 - 0.25)).toBeLessThan(0.03);
    // Shadow requests are not the caller's: the caller saw exactly its 2000.
    expect(ends(events).filter((e) => e.where.kind === 'app')).toHaveLength(2000);
  });

  it('simulate counts shadow traffic at the mirror target, not in what the callers saw', () => {
    const session = sessionFrom(
      ...twoVersionMesh({
        vs: mirrorToV2(),
        simulation: simulation(`traffic: [{ name: t, from: client, to: "server:8080", rps: 10, duration: 2s }]`),
      }),
    );
    const report = runSimulation(session);
    expect(report.requests.total).toBe(20);
    expect(report.edges.find((e) => e.destination === 'server-v2')?.requests).toBe(20);
    expect(report.pods.find((p) => p.workload === 'server-v2')?.received).toBe(20);
  });
});
