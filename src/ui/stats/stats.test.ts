import { describe, expect, it } from 'vitest';
import type { MeshEvent } from '../../model/index.ts';
import { SummaryCollector } from '../../telemetry/index.ts';
import { formatLatency } from '../format/formatNumbers.ts';
import { ev, failFastRequest, retriedRequest, simpleRequest } from '../playback/fixtures.ts';
import { MeshStats } from './MeshStats.ts';
import { destinationOf } from './outlierRows.ts';

/** One sent request that the sending app saw complete after `duration` µs. */
function completed(id: number, duration: number): MeshEvent[] {
  const where = { kind: 'app' as const, pod: 'web' };
  return [
    ev(0, id, 0, where, { kind: 'request.start', origin: { kind: 'traffic', name: 'send' }, fromPod: 'web', fromWorkload: 'web', viaSidecar: true, host: 'api.default.svc.cluster.local', port: 8080, method: 'GET', path: '/', headers: {} }),
    ev(duration, id, 1, where, { kind: 'request.end', status: 200, flags: [], duration, attempts: 1, detail: '' }),
  ];
}

describe('MeshStats latency', () => {
  it('has no percentiles before a request completes', () => {
    expect(new MeshStats().snapshot()).toMatchObject({ p50: undefined, p99: undefined });
  });

  it('reports HdrHistogram percentiles: the top of the value’s bucket, three significant digits', () => {
    const stats = new MeshStats();
    for (let i = 1; i <= 100; i++) for (const e of completed(i, i * 1_000)) stats.add(e);
    expect(stats.snapshot()).toMatchObject({ p50: 50_015, p99: 99_007 });
  });

  it('counts the last 1 000 completed requests only', () => {
    const stats = new MeshStats();
    for (let i = 0; i < 1_000; i++) for (const e of completed(i, 100_000)) stats.add(e);
    expect(stats.snapshot().p50).toBe(100_031);
    for (let i = 1_000; i < 2_000; i++) for (const e of completed(i, 1_000)) stats.add(e);
    expect(stats.snapshot()).toMatchObject({ p50: 1_000, p99: 1_000 });
  });

  it('shows the same p50 and p99 as `meshviz simulate` reports for the same requests', () => {
    const stats = new MeshStats();
    const report = new SummaryCollector([], ['send']);
    for (let i = 0; i < 700; i++) {
      for (const e of completed(i, ((i * 7_919) % 900_000) + 300)) {
        stats.add(e);
        report.add(e);
      }
    }
    const s = stats.snapshot();
    const cli = report.report(1, 0).traffic[0]?.latencyMs;
    expect(cli).toBeDefined();
    expect([formatLatency(s.p50), formatLatency(s.p99)]).toEqual([`${cli?.p50}ms`, `${cli?.p99}ms`]);
  });
});

describe('MeshStats', () => {
  it('counts sent requests, retries, failures and where requests arrived', () => {
    const stats = new MeshStats();
    for (const e of [...simpleRequest(1, 'api', 'cache'), ...retriedRequest(2, 'api', 'users-v1', 'users-v2'), ...failFastRequest(3, 'api')]) stats.add(e);
    expect(stats.snapshot()).toMatchObject({ requests: 3, completed: 3, retries: 1, failures: 1, ejections: 0 });
    expect(Object.fromEntries(stats.received)).toEqual({ cache: 1, 'users-v1': 1, 'users-v2': 1 });
    expect(stats.wireMtls.get('api>cache')).toBe(true);
  });

  it('splits the sent requests by fate, as `meshviz simulate` does for the same requests', () => {
    const stats = new MeshStats();
    const report = new SummaryCollector([], ['send']);
    for (const e of [...simpleRequest(1, 'api', 'cache'), ...retriedRequest(2, 'api', 'users-v1', 'users-v2'), ...failFastRequest(3, 'api'), ...simpleRequest(4, 'api', 'users', 503)]) {
      stats.add(e);
      report.add(e);
    }
    expect(stats.snapshot().fate).toEqual({ success: 1, successAfterRetry: 1, failedAfterRetries: 0, failFastUH: 1, overflowUO: 0, timeoutUT: 0, notRetryable: 1 });
    expect(stats.snapshot().fate).toEqual(report.report(1, 0).requests.fate);
  });

  it('does not count the calls apps make as sent requests', () => {
    const stats = new MeshStats();
    const child = simpleRequest(2, 'api', 'db').map((e) => (e.kind === 'request.start' ? { ...e, origin: { kind: 'app' as const, parentId: 1, call: 0 } } : e));
    for (const e of child) stats.add(e);
    expect(stats.snapshot()).toMatchObject({ requests: 0, completed: 0 });
  });

  it('remembers an ejection until the endpoint returns', () => {
    const stats = new MeshStats();
    const where = { kind: 'sidecar' as const, pod: 'api' };
    stats.add(ev(5, 1, 1, where, { kind: 'outlier.eject', clientPod: 'api', cluster: 'c', endpoint: 'users-v1', duration: 30_000_000, ejections: 1, reason: '' }));
    expect(stats.ejected.get('api|c|users-v1')).toEqual({ at: 5, duration: 30_000_000 });
    stats.add(ev(35_000_000, 0, 0, where, { kind: 'outlier.uneject', clientPod: 'api', cluster: 'c', endpoint: 'users-v1', ejectedFor: 35_000_000 }));
    expect(stats.ejected.size).toBe(0);
    expect(stats.snapshot().ejections).toBe(1);
  });
});

describe('destinationOf', () => {
  it('names a cluster by service and subset', () => {
    expect(destinationOf('outbound|8080|v1|users.default.svc.cluster.local')).toBe('users v1');
    expect(destinationOf('outbound|8080||db.default.svc.cluster.local')).toBe('db:8080');
  });
});
