import { describe, expect, it } from 'vitest';
import type { DestinationRule } from '../../model/index.ts';
import { compileMesh } from './compileMesh.ts';
import { destinationRule, pods, scenarioOf, service } from './testing/scenarioBuilder.ts';

function findings(rules: DestinationRule[]): Array<[string, string | undefined, string | undefined]> {
  const result = compileMesh(scenarioOf({ pods: pods('reviews', 1), services: [service('reviews')], destinationRules: rules }));
  return result.diagnostics.map((d) => [d.code, d.resource, d.path]);
}

describe('lintDestinationRule', () => {
  it('load balancers and hash keys the simulator does not model, at every policy level', () => {
    expect(
      findings([
        destinationRule('r', {
          host: 'reviews',
          trafficPolicy: {
            loadBalancer: { simple: 'PASSTHROUGH' },
            portLevelSettings: [{ port: { number: 80 }, loadBalancer: { consistentHash: { httpCookie: { name: 'u' } } } }],
          },
          subsets: [{ name: 'v1', trafficPolicy: { loadBalancer: { consistentHash: { httpHeaderName: 'x', maglev: {} } } } }],
        }),
      ]),
    ).toEqual([
      ['MV0311', 'DestinationRule/default/r', 'spec.trafficPolicy.loadBalancer.simple'],
      ['MV0311', 'DestinationRule/default/r', 'spec.trafficPolicy.portLevelSettings[0].loadBalancer.consistentHash'],
      ['MV0311', 'DestinationRule/default/r', 'spec.subsets[0].trafficPolicy.loadBalancer.consistentHash.maglev'],
    ]);
  });

  it('bad durations fall back to the defaults and are reported', () => {
    expect(
      findings([
        destinationRule('r', {
          host: 'reviews',
          trafficPolicy: { connectionPool: { tcp: { connectTimeout: 'fast' } }, outlierDetection: { interval: '1 s' } },
        }),
      ]),
    ).toEqual([
      ['MV0300', 'DestinationRule/default/r', 'spec.trafficPolicy.connectionPool.tcp.connectTimeout'],
      ['MV0300', 'DestinationRule/default/r', 'spec.trafficPolicy.outlierDetection.interval'],
    ]);
  });

  it('a second top-level trafficPolicy for the same host is ignored and reported', () => {
    expect(
      findings([
        destinationRule('b', { host: 'reviews', trafficPolicy: { loadBalancer: { simple: 'RANDOM' } } }, { order: 2 }),
        destinationRule('a', { host: 'reviews.default.svc.cluster.local', trafficPolicy: {} }, { order: 1 }),
      ]),
    ).toEqual([['MV0305', 'DestinationRule/default/b', 'spec.trafficPolicy']]);
  });
});
