import { describe, expect, it } from 'vitest';
import type { HTTPRoute } from '../../model/index.ts';
import { compileMesh } from './compileMesh.ts';
import { destinationRule, pods, scenarioOf, service, virtualService } from './testing/scenarioBuilder.ts';

function findings(http: HTTPRoute[]): Array<[string, string | undefined]> {
  const result = compileMesh(
    scenarioOf({
      pods: pods('web', 1),
      services: [service('reviews', { ports: [9080, 9443] }), service('ratings', { ports: [9080] })],
      destinationRules: [destinationRule('reviews', { host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } }] })],
      virtualServices: [virtualService('r', { hosts: ['reviews'], http })],
    }),
  );
  return result.diagnostics.map((d) => [d.code, d.path]);
}

const reviews = { destination: { host: 'reviews' } };

describe('lintVirtualService', () => {
  it('a rule without route, redirect or directResponse', () => {
    expect(findings([{ match: [{ uri: { prefix: '/x' } }] }, { route: [reviews] }])).toEqual([['MV0308', 'spec.http[0]']]);
  });

  it('a split whose weights are all 0: an error, as Istio refuses it, and no route is compiled for it', () => {
    const http = [{ route: [{ ...reviews, weight: 0 }, { destination: { host: 'ratings' }, weight: 0 }] }];
    expect(findings(http)).toEqual([['MV0309', 'spec.http[0].route']]);
    const result = compileMesh(
      scenarioOf({ pods: pods('web', 1), services: [service('reviews', { ports: [9080] }), service('ratings', { ports: [9080] })], virtualServices: [virtualService('r', { hosts: ['reviews'], http })] }),
    );
    expect(result.diagnostics.find((d) => d.code === 'MV0309')?.severity).toBe('error');
    const routes = Object.values(result.xds.proxies).flatMap((p) => Object.values(p.virtualHosts).flatMap((v) => v.routes));
    expect(routes.length).toBeGreaterThan(0);
    expect(routes.some((r) => r.origin.kind === 'virtualService')).toBe(false);
  });

  it('retry conditions Envoy does not know, and bad durations', () => {
    expect(
      findings([{ route: [reviews], retries: { attempts: 2, retryOn: '5xx,sometimes', perTryTimeout: 'x', backoff: '1' } }]),
    ).toEqual([
      ['MV0300', 'spec.http[0].retries.perTryTimeout'],
      ['MV0300', 'spec.http[0].retries.backoff'],
      ['MV0307', 'spec.http[0].retries.retryOn'],
    ]);
  });

  it('unsupported redirect codes and faults the simulator does not model', () => {
    expect(findings([{ redirect: { uri: '/x', redirectCode: 305 } }])).toEqual([['MV0316', 'spec.http[0].redirect.redirectCode']]);
    expect(
      findings([{ route: [reviews], fault: { abort: { grpcStatus: 'UNAVAILABLE' }, delay: { percentage: { value: 1 } } } }]),
    ).toEqual([
      ['MV0312', 'spec.http[0].fault.delay'],
      ['MV0312', 'spec.http[0].fault.abort'],
    ]);
  });

  it('checks a subset on every port the rule can be routed on, and mirrors too', () => {
    expect(
      findings([
        { match: [{ port: 9443 }], route: [{ destination: { host: 'reviews', subset: 'v2' } }] },
        { route: [{ destination: { host: 'reviews', subset: 'v1' } }], mirror: { host: 'reviews', subset: 'v3' } },
      ]),
    ).toEqual([
      ['MV0303', 'spec.http[0].route[0].destination.subset'],
      ['MV0303', 'spec.http[1].mirror.subset'],
    ]);
  });
});
