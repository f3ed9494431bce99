import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MeshEvent } from '../../src/model/index.ts';
import { Simulation } from '../../src/engine/index.ts';
import { runSimulation } from '../../src/api/index.ts';
import { StreamDigest, SummaryCollector } from '../../src/telemetry/index.ts';
import { sessionFrom, simulation, twoVersionMesh, virtualService } from '../helpers/mesh.ts';

const modes = ['503', '500', 'reset', 'refuse', 'slow', 'hang'] as const;

const meshArb = fc.record({
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  attempts: fc.integer({ min: 0, max: 4 }),
  retryOn: fc.constantFrom('5xx', 'gateway-error', 'connect-failure', 'reset', '5xx,connect-failure', '503'),
  perTryMs: fc.option(fc.integer({ min: 5, max: 200 }), { nil: undefined }),
  timeoutMs: fc.integer({ min: 50, max: 2000 }),
  maxConnections: fc.integer({ min: 1, max: 4 }),
  maxPending: fc.integer({ min: 1, max: 4 }),
  maxRetries: fc.integer({ min: 1, max: 3 }),
  perConnection: fc.integer({ min: 0, max: 3 }),
  consecutive: fc.integer({ min: 1, max: 5 }),
  maxEjectionPercent: fc.constantFrom(10, 50, 100),
  v1Replicas: fc.integer({ min: 0, max: 3 }),
  v2Replicas: fc.integer({ min: 1, max: 3 }),
  weight: fc.integer({ min: 0, max: 100 }),
  mode: fc.constantFrom(...modes),
  failAtMs: fc.integer({ min: 0, max: 500 }),
  rps: fc.integer({ min: 20, max: 400 }),
  connections: fc.integer({ min: 1, max: 6 }),
});

type Mesh = typeof meshArb extends fc.Arbitrary<infer T> ? T : never;

function build(m: Mesh) {
  const vs = virtualService(`
- timeout: ${m.timeoutMs}ms
  retries: { attempts: ${m.attempts}, retryOn: "${m.retryOn}"${m.perTryMs ? `, perTryTimeout: ${m.perTryMs}ms` : ''} }
  route:
  - { destination: { host: server, subset: v1 }, weight: ${m.weight} }
  - { destination: { host: server, subset: v2 }, weight: ${100 - m.weight} }`);
  const trafficPolicy = `connectionPool:
  tcp: { maxConnections: ${m.maxConnections} }
  http: { http1MaxPendingRequests: ${m.maxPending}, maxRetries: ${m.maxRetries}, maxRequestsPerConnection: ${m.perConnection} }
outlierDetection: { consecutive5xxErrors: ${m.consecutive}, interval: 1s, baseEjectionTime: 2s, maxEjectionPercent: ${m.maxEjectionPercent} }`;
  const sim = simulation(`
seed: ${m.seed}
workloads:
  server-v1: { latency: { p50: 3ms, p99: 20ms } }
  server-v2: { latency: { p50: 3ms, p99: 20ms } }
traffic:
  - { name: open, from: client, to: "server:8080", rps: ${m.rps}, duration: 1s }
  - { name: closed, from: client, to: "server:8080", connections: ${m.connections}, requests: 40 }
timeline:
  - { at: ${m.failAtMs}ms, fail: { workload: server-v1, mode: "${m.mode}", delay: 30ms } }
  - { at: 700ms, recover: { workload: server-v1 } }`);
  return sessionFrom(...twoVersionMesh({ vs, trafficPolicy, simulation: sim, v1Replicas: m.v1Replicas, v2Replicas: m.v2Replicas }));
}

describe('kernel invariants (property tests)', () => {
  it('every request ends exactly once, time never goes backwards, breaker limits are never exceeded', () => {
    fc.assert(
      fc.property(meshArb, (m) => {
        const session = build(m);
        const starts = new Set<number>();
        const ended = new Set<number>();
        let last = 0;
        const check = (e: MeshEvent) => {
          expect(e.t).toBeGreaterThanOrEqual(last);
          last = e.t;
          if (e.kind === 'request.start') starts.add(e.requestId);
          if (e.kind === 'request.end') {
            expect(ended.has(e.requestId)).toBe(false);
            ended.add(e.requestId);
          }
        };
        const sim = new Simulation({ scenario: session.scenario, xds: session.xds, resolve: session.resolve, sink: check });
        sim.scheduleScenario();
        while (!sim.idle && sim.step()) {
          for (const proxy of Object.values(sim.state.proxies)) {
            for (const cr of Object.values(proxy.clusters)) {
              const t = cr.config.thresholds;
              expect(cr.open.connections).toBeLessThanOrEqual(t.maxConnections);
              expect(cr.open.pending).toBeLessThanOrEqual(t.maxPendingRequests);
              expect(cr.open.requests).toBeLessThanOrEqual(t.maxRequests);
              expect(cr.open.retries).toBeLessThanOrEqual(t.maxRetries);
              expect(Math.min(cr.open.connections, cr.open.pending, cr.open.requests, cr.open.retries)).toBeGreaterThanOrEqual(0);
              const ejected = Object.values(cr.outlier).filter((h) => h.ejected).length;
              const allowed = Math.floor((cr.config.endpoints.length * (cr.config.outlier?.maxEjectionPercent ?? 0)) / 100);
              expect(ejected).toBeLessThanOrEqual(allowed);
            }
          }
        }
        expect(sim.idle).toBe(true);
        expect(ended).toEqual(starts);
        for (const proxy of Object.values(sim.state.proxies)) {
          for (const cr of Object.values(proxy.clusters)) expect([cr.open.pending, cr.open.requests, cr.open.retries]).toEqual([0, 0, 0]);
        }
      }),
      { numRuns: 40 },
    );
  }, 120_000);

  it('the report counted without events equals the report folded from the full event stream', () => {
    fc.assert(
      fc.property(meshArb, (m) => {
        const session = build(m);
        const counted = runSimulation(session, { seed: m.seed });
        const fold = new SummaryCollector(session.scenario.pods, session.scenario.simulation.traffic.map((t) => t.name));
        const watched = runSimulation(session, { seed: m.seed, sink: fold.add });
        expect(watched).toEqual(counted);
        expect(fold.report(m.seed, counted.durationMs)).toEqual(counted);
        expect(counted.requests.total).toBeGreaterThan(0);
        expect(Object.values(counted.requests.fate).reduce((a, b) => a + b, 0)).toBe(counted.requests.total);
      }),
      { numRuns: 25 },
    );
  }, 120_000);

  it('a snapshot taken at any instant and restored goes on with the same stream', () => {
    fc.assert(
      fc.property(meshArb, fc.integer({ min: 0, max: 1_200_000 }), (m, at) => {
        const session = build(m);
        const after = new StreamDigest();
        let recording = false;
        const original = new Simulation({ scenario: session.scenario, xds: session.xds, resolve: session.resolve, sink: (e) => recording && after.add(e) });
        original.scheduleScenario();
        original.runUntil(at);
        const snapshot = original.snapshot();
        recording = true;
        original.runUntilIdle();
        const copy = new StreamDigest();
        const restored = Simulation.restore(snapshot, { resolve: session.resolve, sink: copy.add });
        restored.runUntilIdle();
        expect([copy.hex(), restored.now]).toEqual([after.hex(), original.now]);
      }),
      { numRuns: 25 },
    );
  }, 120_000);
});
