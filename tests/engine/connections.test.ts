import { describe, expect, it } from 'vitest';
import type { MeshEvent } from '../../src/model/index.ts';
import { ends, recordingSim, sessionFrom, simulation, twoVersionMesh, virtualService } from '../helpers/mesh.ts';

const toV1 = (retries = '  retries: { attempts: 0 }') =>
  virtualService(`
- route: [{ destination: { host: server, subset: v1 } }]
${retries}`);

const kinds = (events: MeshEvent[], kind: MeshEvent['kind']) => events.filter((e) => e.kind === kind);

describe('connections and circuit breakers (mesh-semantics §4)', () => {
  it('keep-alive: the first request pays the TCP + TLS handshake, the next one reuses the connection', () => {
    const session = sessionFrom(...twoVersionMesh({ vs: toV1(), v2Replicas: 0 }));
    const { sim, events } = recordingSim(session, 1);
    for (let i = 0; i < 2; i++) {
      sim.send({ from: 'client', host: 'server', port: 8080 });
      sim.runUntilIdle();
    }
    const opens = kinds(events, 'conn.open');
    expect(opens).toHaveLength(1);
    const open = opens[0] as Extract<MeshEvent, { kind: 'conn.open' }>;
    expect(open.mtls).toBe(true);
    expect(open.setup).toBe(session.scenario.simulation.costs.tcpHandshake + session.scenario.simulation.costs.tlsHandshake);
    expect(kinds(events, 'conn.reuse')).toHaveLength(1);
    const [first, second] = ends(events);
    expect((first?.duration ?? 0) - (second?.duration ?? 0)).toBe(open.setup);
  });

  it('keep-alive reuses the oldest idle connection first, whatever order the connections came back in', () => {
    const session = sessionFrom(...twoVersionMesh({ vs: toV1(), v2Replicas: 0, simulation: simulation('workloads:\n  server-v1: { latency: { p50: 5ms, p99: 50ms } }') }));
    const { sim, events } = recordingSim(session, 3);
    for (let i = 0; i < 6; i++) sim.send({ from: 'client', host: 'server', port: 8080 });
    sim.runUntilIdle();
    const opened = kinds(events, 'conn.open');
    const connectionOf = new Map(opened.map((e) => [e.requestId, e.kind === 'conn.open' ? e.connection : 0]));
    const released = ends(events).map((e) => connectionOf.get(e.requestId) ?? 0);
    const ids = opened.map((e) => (e.kind === 'conn.open' ? e.connection : 0));
    // The answers came back out of the order the connections were opened in: the idle ones are not in age order by accident.
    expect(released).not.toEqual(ids);
    expect([...released].sort((a, b) => a - b)).toEqual(ids);
    for (let i = 0; i < 3; i++) sim.send({ from: 'client', host: 'server', port: 8080 });
    sim.runUntilIdle();
    expect(kinds(events, 'conn.reuse').map((e) => (e.kind === 'conn.reuse' ? e.connection : 0))).toEqual(ids.slice(0, 3));
    // Then the three come back in some order and the oldest three are idle again, with the three younger ones.
    sim.send({ from: 'client', host: 'server', port: 8080 });
    sim.runUntilIdle();
    expect(kinds(events, 'conn.reuse').map((e) => (e.kind === 'conn.reuse' ? e.connection : 0)).at(-1)).toBe(ids[0]);
  });

  it('maxRequestsPerConnection: 1 disables keep-alive: every request opens a new connection', () => {
    const session = sessionFrom(...twoVersionMesh({ vs: toV1(), v2Replicas: 0, trafficPolicy: 'connectionPool: { http: { maxRequestsPerConnection: 1 } }' }));
    const { sim, events } = recordingSim(session, 1);
    for (let i = 0; i < 3; i++) {
      sim.send({ from: 'client', host: 'server', port: 8080 });
      sim.runUntilIdle();
    }
    expect(kinds(events, 'conn.open')).toHaveLength(3);
    expect(kinds(events, 'conn.reuse')).toHaveLength(0);
  });

  it('http2MaxRequests caps requests in flight: the next one overflows with 503 UO and never leaves the sidecar', () => {
    const session = sessionFrom(...twoVersionMesh({ vs: toV1(), v2Replicas: 0, trafficPolicy: 'connectionPool: { http: { http2MaxRequests: 2 } }' }));
    const { sim, events } = recordingSim(session, 1);
    for (let i = 0; i < 3; i++) sim.send({ from: 'client', host: 'server', port: 8080 });
    sim.runUntilIdle();
    const results = ends(events).map((e) => `${e.status} ${e.flags.join(',')}`);
    expect(results.sort()).toEqual(['200 ', '200 ', '503 UO']);
    expect(kinds(events, 'pool.overflow').map((e) => (e.kind === 'pool.overflow' ? e.limit : ''))).toEqual(['maxRequests']);
    expect(sim.state.pods[session.scenario.pods.find((p) => p.workload === 'server-v1')?.name ?? '']?.received).toBe(2);
  });

  it('retry overflow: with maxRetries 1, a second concurrent retry is refused and answered UO (§1.6)', () => {
    const session = sessionFrom(
      ...twoVersionMesh({ vs: toV1('  retries: { attempts: 2, retryOn: 5xx }'), v2Replicas: 0, trafficPolicy: 'connectionPool: { http: { maxRetries: 1 } }' }),
    );
    const { sim, events } = recordingSim(session, 1);
    sim.fail({ workload: 'server-v1' }, '503');
    sim.send({ from: 'client', host: 'server', port: 8080 });
    sim.send({ from: 'client', host: 'server', port: 8080 });
    sim.runUntilIdle();
    const flags = ends(events).map((e) => e.flags.join(','));
    expect(flags).toContain('UO');
    expect(kinds(events, 'retry.overflow')).toHaveLength(1);
  });
});

describe('retry budget (mesh-semantics §1.6)', () => {
  it('a DestinationRule retryBudget replaces maxRetries: with 3 requests in flight, 20 % and a minimum of 1 allow one retry at a time', () => {
    const session = sessionFrom(
      ...twoVersionMesh({
        vs: toV1('  retries: { attempts: 2, retryOn: 5xx }'),
        v2Replicas: 0,
        trafficPolicy: 'retryBudget: { percent: 20, minRetryConcurrency: 1 }',
      }),
    );
    expect(session.xds.proxies[session.scenario.pods[0]?.name ?? '']?.clusters['outbound|8080|v1|server.default.svc.cluster.local']?.thresholds.retryBudget).toEqual({
      percent: 20,
      minRetryConcurrency: 1,
    });
    const { sim, events } = recordingSim(session, 1);
    sim.fail({ workload: 'server-v1' }, '503');
    for (let i = 0; i < 3; i++) sim.send({ from: 'client', host: 'server', port: 8080 });
    sim.runUntilIdle();
    expect(kinds(events, 'retry.overflow').length).toBeGreaterThanOrEqual(1);
    expect(ends(events).filter((e) => e.flags.includes('UO')).length).toBeGreaterThanOrEqual(1);
  });

  it('Istio’s defaults when the block is empty: 20 % and 3', () => {
    const session = sessionFrom(...twoVersionMesh({ trafficPolicy: 'retryBudget: {}' }));
    const cluster = Object.values(session.xds.proxies)[0]?.clusters['outbound|8080||server.default.svc.cluster.local'];
    expect(cluster?.thresholds.retryBudget).toEqual({ percent: 20, minRetryConcurrency: 3 });
  });
});
