import { describe, expect, it } from 'vitest';
import type { TrafficPolicy } from '../../model/index.ts';
import { mergeTrafficPolicy } from './mergeTrafficPolicy.ts';

const top: TrafficPolicy = {
  loadBalancer: { simple: 'ROUND_ROBIN' },
  connectionPool: { tcp: { maxConnections: 10 } },
  outlierDetection: { consecutive5xxErrors: 7 },
  portLevelSettings: [{ port: { number: 9080 }, loadBalancer: { simple: 'RANDOM' } }],
};

describe('mergeTrafficPolicy (§2.4: top-level < port-level < subset)', () => {
  it('uses the top-level policy on a port without port-level settings', () => {
    expect(mergeTrafficPolicy(top, undefined, 80)).toEqual({
      loadBalancer: { simple: 'ROUND_ROBIN' },
      connectionPool: { tcp: { maxConnections: 10 } },
      outlierDetection: { consecutive5xxErrors: 7 },
    });
  });

  it('port-level settings replace the top level wholesale: what they omit falls back to defaults', () => {
    expect(mergeTrafficPolicy(top, undefined, 9080)).toEqual({ loadBalancer: { simple: 'RANDOM' } });
  });

  it('a subset overrides component by component, on top of the port-level result', () => {
    expect(mergeTrafficPolicy(top, { connectionPool: { tcp: { maxConnections: 1 } } }, 9080)).toEqual({
      loadBalancer: { simple: 'RANDOM' },
      connectionPool: { tcp: { maxConnections: 1 } },
    });
    expect(mergeTrafficPolicy(top, { loadBalancer: { simple: 'LEAST_REQUEST' } }, 80)).toEqual({
      loadBalancer: { simple: 'LEAST_REQUEST' },
      connectionPool: { tcp: { maxConnections: 10 } },
      outlierDetection: { consecutive5xxErrors: 7 },
    });
  });

  it("a subset's own port-level entry replaces all four components", () => {
    const subset: TrafficPolicy = {
      loadBalancer: { simple: 'ROUND_ROBIN' },
      portLevelSettings: [{ port: { number: 80 }, tls: { mode: 'DISABLE' } }],
    };
    expect(mergeTrafficPolicy(top, subset, 80)).toEqual({ tls: { mode: 'DISABLE' } });
    expect(mergeTrafficPolicy(top, subset, 9080)).toEqual({ loadBalancer: { simple: 'ROUND_ROBIN' } });
  });

  it('no policy at all → nothing', () => {
    expect(mergeTrafficPolicy(undefined, undefined, 80)).toEqual({});
  });
});
