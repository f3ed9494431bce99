import { describe, expect, it } from 'vitest';
import { runSimulation } from '../../src/api/index.ts';
import { deployment, service, sessionFrom, simulation } from '../helpers/mesh.ts';

/** Istio's circuit-breaking task (mesh-semantics §4.3): httpbin with a tiny pool, fortio as the client. */
function circuitBreakingTask(connections: number, requests: number) {
  return sessionFrom(
    deployment('fortio', { app: 'fortio' }),
    deployment('httpbin', { app: 'httpbin', version: 'v1' }),
    service('httpbin', 'httpbin', 8000),
    `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: httpbin, namespace: default }
spec:
  host: httpbin
  trafficPolicy:
    connectionPool:
      tcp: { maxConnections: 1 }
      http: { http1MaxPendingRequests: 1, maxRequestsPerConnection: 1 }
    outlierDetection: { consecutive5xxErrors: 1, interval: 1s, baseEjectionTime: 3m, maxEjectionPercent: 100 }`,
    simulation(`
seed: 5
workloads:
  httpbin: { latency: { p50: 2ms, p99: 6ms } }
traffic:
  - { name: load, from: fortio, to: "httpbin:8000", path: /get, connections: ${connections}, requests: ${requests} }`),
  );
}

describe('connection-pool circuit breakers (mesh-semantics §4)', () => {
  it('a single call passes', () => {
    const report = runSimulation(circuitBreakingTask(1, 1));
    expect(report.requests.byCode).toEqual({ '200': 1 });
  });

  it('fortio -c 2 -n 20: almost all pass, a few 503 UO (the shape of the task, not its exact counts)', () => {
    const report = runSimulation(circuitBreakingTask(2, 20));
    const failed = report.requests.byCode['503'] ?? 0;
    expect(report.requests.total).toBe(20);
    expect(failed).toBeGreaterThan(0);
    expect(failed).toBeLessThanOrEqual(6);
    expect(Object.keys(report.requests.byFlags).filter((f) => f !== '-')).toEqual(['UO']);
  });

  it('fortio -c 3 -n 30: most requests overflow with 503 UO', () => {
    const report = runSimulation(circuitBreakingTask(3, 30));
    const failed = report.requests.byCode['503'] ?? 0;
    expect(report.requests.total).toBe(30);
    expect(failed / 30).toBeGreaterThan(0.4);
    expect(report.requests.byFlags['UO']).toBe(failed);
  });

  it('overflows are local: they never reach httpbin and are never retried', () => {
    const report = runSimulation(circuitBreakingTask(3, 30));
    const httpbin = report.pods.find((p) => p.workload === 'httpbin');
    expect(httpbin?.received).toBe(report.requests.byCode['200']);
    expect(report.retries).toBe(0);
  });
});
