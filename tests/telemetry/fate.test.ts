import { describe, expect, it } from 'vitest';
import { runSimulation } from '../../src/api/index.ts';
import { fateOf } from '../../src/telemetry/index.ts';
import { send, sessionFrom, simulation, twoVersionMesh, virtualService } from '../helpers/mesh.ts';

const toV1 = (extra = '') => virtualService(`
- route: [{ destination: { host: server, subset: v1 } }]
${extra}`);

describe('the fate of a request, from what the engine did (mesh-semantics §1, §2.1, §8.1)', () => {
  it('a 503 under Istio’s default policy is not retried: not retryable', () => {
    const r = send(sessionFrom(...twoVersionMesh({ vs: toV1(), v2Replicas: 0 })), { to: 'server:8080', failures: [{ target: 'server-v1', mode: '503' }] });
    expect(fateOf(r.status, r.flags, r.attempts)).toBe('notRetryable');
  });

  it('a refused connection retried twice, then UF,URX: failed after retries', () => {
    const r = send(sessionFrom(...twoVersionMesh({ vs: toV1(), v2Replicas: 0 })), { to: 'server:8080', failures: [{ target: 'server-v1', mode: 'refuse' }] });
    expect([r.attempts, r.flags, fateOf(r.status, r.flags, r.attempts)]).toEqual([3, ['UF', 'URX'], 'failedAfterRetries']);
  });

  it('a hanging pod behind a 300 ms route timeout: timeout UT', () => {
    const r = send(sessionFrom(...twoVersionMesh({ vs: toV1('  timeout: 300ms'), v2Replicas: 0 })), { to: 'server:8080', failures: [{ target: 'server-v1', mode: 'hang' }] });
    expect(fateOf(r.status, r.flags, r.attempts)).toBe('timeoutUT');
  });

  it('a run’s fates add up to its finished requests: one of two pods failing, retried on 5xx', () => {
    const vs = virtualService(`
- route: [{ destination: { host: server } }]
  retries: { attempts: 2, retryOn: 5xx }`);
    const sim = simulation(`
seed: 3
traffic: [{ name: load, from: client, to: server:8080, rps: 200, duration: 5s }]
timeline: [{ at: 0s, fail: { workload: server-v2, mode: '503' } }]`);
    const report = runSimulation(sessionFrom(...twoVersionMesh({ vs, simulation: sim })));
    const fate = report.requests.fate;
    expect(Object.values(fate).reduce((a, b) => a + b, 0)).toBe(report.requests.total);
    expect(report.traffic[0]?.fate).toEqual(fate);
    expect(fate.successAfterRetry).toBeGreaterThan(0);
    expect(fate.success).toBeGreaterThan(0);
    expect(fate.success + fate.successAfterRetry).toBe(report.requests.byCode['200']);
  });
});
