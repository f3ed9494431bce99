import { describe, expect, it } from 'vitest';
import { ends, received, recordingSim, send, sessionFrom, twoVersionMesh, virtualService } from '../helpers/mesh.ts';

const byUser = virtualService(`
- name: jason-to-v2
  match: [{ headers: { end-user: { exact: jason } } }]
  route: [{ destination: { host: server, subset: v2 } }]
- name: everyone-else
  route: [{ destination: { host: server, subset: v1 } }]`);

describe('routing (mesh-semantics §2.4)', () => {
  it('first matching rule wins; the event says why earlier rules did not match', () => {
    const session = sessionFrom(...twoVersionMesh({ vs: byUser }));
    const jason = send(session, { to: 'server:8080/', headers: { 'end-user': 'jason' } });
    expect(jason.status).toBe(200);
    const jasonPick = jason.events.find((e) => e.kind === 'lb.pick');
    expect(jasonPick && 'endpoint' in jasonPick && jasonPick.endpoint).toMatch(/^server-v2-/);

    const bob = send(session, { to: 'server:8080/', headers: { 'end-user': 'bob' } });
    const match = bob.events.find((e) => e.kind === 'route.match');
    expect(match?.kind === 'route.match' && match.route).toBe('everyone-else');
    expect(match?.kind === 'route.match' && match.misses[0]?.reason).toMatch(/end-user/);
    const bobPick = bob.events.find((e) => e.kind === 'lb.pick');
    expect(bobPick && 'endpoint' in bobPick && bobPick.endpoint).toMatch(/^server-v1-/);
  });

  it('no matching rule answers 404 with flag NR', () => {
    const vs = virtualService(`
- match: [{ uri: { prefix: /api } }]
  route: [{ destination: { host: server, subset: v1 } }]`);
    const result = send(sessionFrom(...twoVersionMesh({ vs })), { to: 'server:8080/other' });
    expect(result.status).toBe(404);
    expect(result.flags).toEqual(['NR']);
  });

  it('a subset no DestinationRule defines answers 503 NC', () => {
    const vs = virtualService(`
- route: [{ destination: { host: server, subset: v3 } }]`);
    const result = send(sessionFrom(...twoVersionMesh({ vs })), { to: 'server:8080/' });
    expect(result.status).toBe(503);
    expect(result.flags).toEqual(['NC']);
  });

  it('a subset that selects no pods answers 503 UH', () => {
    const vs = virtualService(`
- route: [{ destination: { host: server, subset: v2 } }]`);
    const result = send(sessionFrom(...twoVersionMesh({ vs, v2Replicas: 0 })), { to: 'server:8080/' });
    expect(result.status).toBe(503);
    expect(result.flags).toEqual(['UH']);
    expect(result.attempts).toBe(1);
  });

  it('no VirtualService: the default route reaches every pod of the service', () => {
    const session = sessionFrom(...twoVersionMesh());
    const { sim } = recordingSim(session, 7);
    for (let i = 0; i < 200; i++) {
      sim.send({ from: 'client', host: 'server', port: 8080 });
      sim.runUntilIdle();
    }
    expect(received(sim, 'server-v1')).toBeGreaterThan(60);
    expect(received(sim, 'server-v2')).toBeGreaterThan(60);
  });

  it('weights are shares of their sum: 90/10 over 4000 requests lands within ±1.5 points', () => {
    const vs = virtualService(`
- route:
  - { destination: { host: server, subset: v1 }, weight: 90 }
  - { destination: { host: server, subset: v2 }, weight: 10 }`);
    const session = sessionFrom(...twoVersionMesh({ vs }));
    const { sim, events } = recordingSim(session, 11);
    for (let i = 0; i < 4000; i++) {
      sim.send({ from: 'client', host: 'server', port: 8080 });
      sim.runUntilIdle();
    }
    expect(ends(events).every((e) => e.status === 200)).toBe(true);
    const v2Share = received(sim, 'server-v2') / 4000;
    expect(Math.abs(v2Share - 0.1)).toBeLessThan(0.015);
  });
});

describe('consistent hashing (mesh-semantics §5)', () => {
  it('the same header value always lands on the same pod; different values spread', () => {
    const session = sessionFrom(
      ...twoVersionMesh({ v1Replicas: 4, v2Replicas: 0, trafficPolicy: 'loadBalancer: { consistentHash: { httpHeaderName: x-user } }' }),
    );
    const { sim, events } = recordingSim(session, 5);
    const podFor = (user: string): string[] => {
      const picks: string[] = [];
      for (let i = 0; i < 5; i++) {
        const before = events.length;
        sim.send({ from: 'client', host: 'server', port: 8080, headers: { 'x-user': user } });
        sim.runUntilIdle();
        const pick = events.slice(before).find((e) => e.kind === 'lb.pick');
        picks.push(pick?.kind === 'lb.pick' ? pick.endpoint : '');
      }
      return picks;
    };
    const users = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi'];
    const chosen = users.map((u) => {
      const picks = podFor(u);
      expect(new Set(picks).size).toBe(1);
      return picks[0];
    });
    expect(new Set(chosen).size).toBeGreaterThan(1);
  });
});
