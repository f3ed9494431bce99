import { describe, expect, it } from 'vitest';
import type { DestinationRule, HTTPRoute, RouteActionXds } from '../../model/index.ts';
import { compileMesh, type CompileResult } from './compileMesh.ts';
import { destinationRule, pod, pods, scenarioOf, service, virtualService } from './testing/scenarioBuilder.ts';

const REVIEWS = 'reviews.default.svc.cluster.local';
const subsets = destinationRule('reviews', {
  host: 'reviews',
  subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }],
});

function compile(rule: HTTPRoute, rules: DestinationRule[] = [subsets]): CompileResult {
  return compileMesh(
    scenarioOf({
      pods: [pod('web-0'), ...pods('reviews', 2), ...pods('ratings', 1)],
      services: [service('reviews', { ports: [9080] }), service('ratings', { ports: [9080, 9090] })],
      destinationRules: rules,
      virtualServices: [virtualService('reviews', { hosts: ['reviews'], http: [rule] })],
    }),
  );
}

function actionOf(rule: HTTPRoute, rules?: DestinationRule[]): RouteActionXds {
  const action = compile(rule, rules).xds.proxies['web-0']?.virtualHosts[`${REVIEWS}:9080`]?.routes[0]?.action;
  if (!action) throw new Error('no route');
  return action;
}

function routeAction(rule: HTTPRoute, rules?: DestinationRule[]): Extract<RouteActionXds, { kind: 'route' }> {
  const action = actionOf(rule, rules);
  if (action.kind !== 'route') throw new Error(`expected a route action, got ${action.kind}`);
  return action;
}

describe('route actions (§2.4 weights and clusters, §2.2 timeout, §2.5 mirrors)', () => {
  it('§2.4 a single destination gets weight 100 whatever its weight says', () => {
    expect(routeAction({ route: [{ destination: { host: 'reviews', subset: 'v1' }, weight: 0 }] }).clusters).toEqual([
      { cluster: `outbound|9080|v1|${REVIEWS}`, weight: 100 },
    ]);
  });

  it('§2.4 weighted destinations keep their weights; weight-0 ones are dropped', () => {
    const action = routeAction({
      route: [
        { destination: { host: 'reviews', subset: 'v1' }, weight: 75 },
        { destination: { host: 'reviews', subset: 'v2' }, weight: 25 },
        { destination: { host: 'reviews' }, weight: 0 },
      ],
    });
    expect(action.clusters).toEqual([
      { cluster: `outbound|9080|v1|${REVIEWS}`, weight: 75 },
      { cluster: `outbound|9080|v2|${REVIEWS}`, weight: 25 },
    ]);
  });

  it("§2.4 destination port: explicit, else the service's only port, else the port being routed", () => {
    const cluster = (destination: { host: string; port?: { number: number } }) =>
      routeAction({ route: [{ destination }] }).clusters[0]?.cluster;
    expect(cluster({ host: 'ratings', port: { number: 9090 } })).toBe('outbound|9090||ratings.default.svc.cluster.local');
    expect(cluster({ host: 'reviews' })).toBe(`outbound|9080||${REVIEWS}`);
    expect(cluster({ host: 'ratings' })).toBe('outbound|9080||ratings.default.svc.cluster.local');
  });

  it('§2.2 timeout: unset → 0 (disabled); set → µs', () => {
    expect(routeAction({ route: [{ destination: { host: 'reviews' } }] }).timeout).toBe(0);
    expect(routeAction({ route: [{ destination: { host: 'reviews' } }], timeout: '0.5s' }).timeout).toBe(500_000);
  });

  it('§2.1 retries: default policy when unset, the VirtualService policy when set', () => {
    expect(routeAction({ route: [{ destination: { host: 'reviews' } }] }).retry.numRetries).toBe(2);
    expect(routeAction({ route: [{ destination: { host: 'reviews' } }], retries: { attempts: 0 } }).retry.numRetries).toBe(0);
  });

  it('§2.5 mirror: 100 % unless a percentage is given; an explicit 0 disables it', () => {
    const destination = { host: 'reviews' };
    expect(routeAction({ route: [{ destination }], mirror: { host: 'ratings' } }).mirrors).toEqual([
      { cluster: 'outbound|9080||ratings.default.svc.cluster.local', percent: 100 },
    ]);
    expect(routeAction({ route: [{ destination }], mirror: { host: 'ratings' }, mirrorPercentage: { value: 0 } }).mirrors).toEqual([]);
    expect(
      routeAction({
        route: [{ destination }],
        mirrors: [
          { destination: { host: 'ratings', port: { number: 9090 } } },
          { destination: { host: 'reviews', subset: 'v2' }, percentage: { value: 10 } },
          { destination: { host: 'reviews', subset: 'v1' }, percentage: { value: 0 } },
        ],
      }).mirrors,
    ).toEqual([
      { cluster: 'outbound|9090||ratings.default.svc.cluster.local', percent: 100 },
      { cluster: `outbound|9080|v2|${REVIEWS}`, percent: 10 },
    ]);
  });

  it('§2.6 fault injection rides on the route', () => {
    expect(
      routeAction({ route: [{ destination: { host: 'reviews' } }], fault: { abort: { httpStatus: 500, percentage: { value: 100 } } } }).fault,
    ).toEqual({ abort: { httpStatus: 500, percent: 100 } });
  });

  it('§5 consistent hash: hashHeader from the destination cluster; §1.5 previous-hosts off for a single destination', () => {
    const hashing = destinationRule('reviews', {
      host: 'reviews',
      subsets: [
        { name: 'v1', labels: { version: 'v1' }, trafficPolicy: { loadBalancer: { consistentHash: { httpHeaderName: 'x-user' } } } },
        { name: 'v2', labels: { version: 'v2' } },
      ],
    });
    const single = routeAction({ route: [{ destination: { host: 'reviews', subset: 'v1' } }] }, [hashing]);
    expect(single.hashHeader).toBe('x-user');
    expect(single.retry.previousHosts).toBe(false);
    const other = routeAction({ route: [{ destination: { host: 'reviews', subset: 'v2' } }] }, [hashing]);
    expect(other.hashHeader).toBeUndefined();
    expect(other.retry.previousHosts).toBe(true);
    // istiod only treats single-destination routes as hashed for the retry predicate.
    const split = routeAction(
      {
        route: [
          { destination: { host: 'reviews', subset: 'v1' }, weight: 50 },
          { destination: { host: 'reviews', subset: 'v2' }, weight: 50 },
        ],
      },
      [hashing],
    );
    expect(split.hashHeader).toBe('x-user');
    expect(split.retry.previousHosts).toBe(true);
  });

  it('redirect and directResponse', () => {
    expect(actionOf({ redirect: { uri: '/v2/reviews' } })).toEqual({ kind: 'redirect', status: 301, location: '/v2/reviews' });
    expect(actionOf({ redirect: { authority: 'new.example.com', uri: '/x', redirectCode: 308 } })).toEqual({
      kind: 'redirect',
      status: 308,
      location: 'http://new.example.com/x',
    });
    expect(actionOf({ directResponse: { status: 503, body: { string: 'maintenance' } } })).toEqual({
      kind: 'directResponse',
      status: 503,
      body: 'maintenance',
    });
    expect(actionOf({ directResponse: { status: 200, body: { bytes: 'aGVsbG8=' } } })).toEqual({
      kind: 'directResponse',
      status: 200,
      body: 'hello',
    });
  });
});

describe('destinations without a cluster (503 NC at run time)', () => {
  it('a subset no DestinationRule defines keeps its cluster name, has no cluster, and warns at the field', () => {
    const result = compile({ route: [{ destination: { host: 'reviews', subset: 'v9' } }] });
    const proxy = result.xds.proxies['web-0'];
    const action = proxy?.virtualHosts[`${REVIEWS}:9080`]?.routes[0]?.action;
    expect(action?.kind === 'route' && action.clusters).toEqual([{ cluster: `outbound|9080|v9|${REVIEWS}`, weight: 100 }]);
    expect(proxy?.clusters[`outbound|9080|v9|${REVIEWS}`]).toBeUndefined();
    expect(result.diagnostics).toEqual([
      {
        code: 'MV0303',
        severity: 'warning',
        message: `no DestinationRule for ${REVIEWS} defines subset "v9": requests routed to cluster outbound|9080|v9|${REVIEWS} get 503 (NC, cluster not found)`,
        resource: 'VirtualService/default/reviews',
        path: 'spec.http[0].route[0].destination.subset',
        source: { file: 'test.yaml', line: 1, col: 1 },
      },
    ]);
  });

  it('an unknown service or port keeps the cluster name and warns', () => {
    const result = compile({
      route: [
        { destination: { host: 'nowhere' }, weight: 50 },
        { destination: { host: 'reviews', port: { number: 1234 } }, weight: 50 },
      ],
    });
    const action = result.xds.proxies['web-0']?.virtualHosts[`${REVIEWS}:9080`]?.routes[0]?.action;
    expect(action?.kind === 'route' && action.clusters.map((c) => c.cluster)).toEqual([
      'outbound|9080||nowhere.default.svc.cluster.local',
      `outbound|1234||${REVIEWS}`,
    ]);
    expect(result.diagnostics.map((d) => [d.code, d.path])).toEqual([
      ['MV0302', 'spec.http[0].route[0].destination.host'],
      ['MV0304', 'spec.http[0].route[1].destination.port.number'],
    ]);
  });
});
