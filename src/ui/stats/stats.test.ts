import { describe, expect, it } from 'vitest';
import { ev, failFastRequest, retriedRequest, simpleRequest } from '../playback/fixtures.ts';
import { MeshStats } from './MeshStats.ts';
import { destinationOf } from './outlierRows.ts';
import { percentile } from './percentile.ts';

describe('percentile', () => {
  it('uses the nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeUndefined();
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
