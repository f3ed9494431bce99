import { describe, expect, it } from 'vitest';
import { clusterName, parseClusterName } from './clusterName.ts';

describe('clusterName', () => {
  it('names an outbound port and subset as Istio does, and reads the name back', () => {
    expect(clusterName(8080, 'v1', 'users.default.svc.cluster.local')).toBe('outbound|8080|v1|users.default.svc.cluster.local');
    expect(parseClusterName(clusterName(8080, 'v1', 'users.default.svc.cluster.local'))).toEqual({ port: 8080, subset: 'v1', host: 'users.default.svc.cluster.local' });
    expect(parseClusterName(clusterName(9080, undefined, 'db.default.svc.cluster.local'))).toEqual({ port: 9080, host: 'db.default.svc.cluster.local' });
  });

  it('reads nothing from other names', () => {
    expect(parseClusterName('inbound|8080||')).toBeUndefined();
    expect(parseClusterName('c')).toBeUndefined();
  });
});
