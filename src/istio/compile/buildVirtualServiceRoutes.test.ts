import { describe, expect, it } from 'vitest';
import type { HTTPRoute, RouteXds, VirtualServiceSpec } from '../../model/index.ts';
import { compileMesh } from './compileMesh.ts';
import { destinationRule, pod, scenarioOf, service, virtualService } from './testing/scenarioBuilder.ts';

const REVIEWS = 'reviews.default.svc.cluster.local';
const to = (subset: string): HTTPRoute['route'] => [{ destination: { host: 'reviews', subset } }];

function routesFor(spec: VirtualServiceSpec, podName = 'web-0', port = 9080): RouteXds[] {
  const result = compileMesh(
    scenarioOf({
      pods: [
        pod('web-0', { labels: { app: 'web', version: 'v1' } }),
        pod('admin-0', { labels: { app: 'admin' }, namespace: 'ops' }),
        pod('reviews-0', { labels: { app: 'reviews', version: 'v1' } }),
      ],
      services: [service('reviews', { ports: [9080, 9443] })],
      destinationRules: [
        destinationRule('reviews', {
          host: 'reviews',
          subsets: ['v1', 'v2', 'v3'].map((v) => ({ name: v, labels: { version: v } })),
        }),
      ],
      virtualServices: [virtualService('reviews', { hosts: ['reviews'], ...spec })],
    }),
  );
  return result.xds.proxies[podName]?.virtualHosts[`${REVIEWS}:${port}`]?.routes ?? [];
}

const clusters = (routes: RouteXds[]) =>
  routes.map((r) => (r.action.kind === 'route' ? r.action.clusters.map((c) => c.cluster).join(',') : r.action.kind));

describe('VirtualService → routes (§2.4)', () => {
  it('keeps rules in order, one route per match block, each match entry its own route', () => {
    const routes = routesFor({
      http: [
        { name: 'jason', match: [{ headers: { 'end-user': { exact: 'jason' } } }, { uri: { prefix: '/beta' } }], route: to('v2') },
        { route: to('v1') },
      ],
    });
    expect(routes.map((r) => [r.name, r.origin])).toEqual([
      ['jason', { kind: 'virtualService', resource: 'VirtualService/default/reviews', ruleIndex: 0, matchIndex: 0, ruleName: 'jason' }],
      ['jason', { kind: 'virtualService', resource: 'VirtualService/default/reviews', ruleIndex: 0, matchIndex: 1, ruleName: 'jason' }],
      ['VirtualService/default/reviews http[1]', { kind: 'virtualService', resource: 'VirtualService/default/reviews', ruleIndex: 1, matchIndex: 0 }],
    ]);
    expect(clusters(routes)).toEqual([
      `outbound|9080|v2|${REVIEWS}`,
      `outbound|9080|v2|${REVIEWS}`,
      `outbound|9080|v1|${REVIEWS}`,
    ]);
  });

  it('names routes rule.match when both are named, else by position', () => {
    const routes = routesFor({
      http: [
        { name: 'canary', match: [{ name: 'beta', uri: { prefix: '/beta' } }], route: to('v2') },
        { match: [{ uri: { prefix: '/x' } }], route: to('v3') },
      ],
    });
    expect(routes.map((r) => r.name)).toEqual(['canary.beta', 'VirtualService/default/reviews http[1] match[0]']);
  });

  it('stops after a rule without match: later rules are never generated', () => {
    const routes = routesFor({ http: [{ route: to('v1') }, { match: [{ uri: { prefix: '/x' } }], route: to('v2') }] });
    expect(clusters(routes)).toEqual([`outbound|9080|v1|${REVIEWS}`]);
  });

  it('stops after a catch-all match (prefix `/` or regex `.*`), even inside the same rule', () => {
    expect(
      clusters(
        routesFor({
          http: [
            { match: [{ uri: { prefix: '/' } }, { uri: { prefix: '/never' } }], route: to('v1') },
            { route: to('v2') },
          ],
        }),
      ),
    ).toEqual([`outbound|9080|v1|${REVIEWS}`]);
    expect(clusters(routesFor({ http: [{ match: [{ uri: { regex: '.*' } }], route: to('v1') }, { route: to('v2') }] }))).toEqual([
      `outbound|9080|v1|${REVIEWS}`,
    ]);
  });

  it('a prefix `/` with a header condition is not a catch-all', () => {
    const routes = routesFor({
      http: [{ match: [{ uri: { prefix: '/' }, headers: { a: { exact: 'b' } } }], route: to('v1') }, { route: to('v2') }],
    });
    expect(clusters(routes)).toEqual([`outbound|9080|v1|${REVIEWS}`, `outbound|9080|v2|${REVIEWS}`]);
  });

  it('match.port restricts a block to that service port', () => {
    const spec: VirtualServiceSpec = {
      http: [{ match: [{ port: 9443 }], route: to('v3') }, { route: to('v1') }],
    };
    expect(clusters(routesFor(spec, 'web-0', 9080))).toEqual([`outbound|9080|v1|${REVIEWS}`]);
    // On 9443 the port-only block is a catch-all.
    expect(clusters(routesFor(spec, 'web-0', 9443))).toEqual([`outbound|9443|v3|${REVIEWS}`]);
  });

  it('sourceLabels and sourceNamespace are decided per proxy; the rule is omitted elsewhere', () => {
    const spec: VirtualServiceSpec = {
      http: [
        { match: [{ sourceLabels: { app: 'web' } }], route: to('v2') },
        { match: [{ sourceNamespace: 'ops' }], route: to('v3') },
        { route: to('v1') },
      ],
    };
    expect(clusters(routesFor(spec, 'web-0'))).toEqual([`outbound|9080|v2|${REVIEWS}`]);
    expect(clusters(routesFor(spec, 'admin-0'))).toEqual([`outbound|9080|v3|${REVIEWS}`]);
    expect(clusters(routesFor(spec, 'reviews-0'))).toEqual([`outbound|9080|v1|${REVIEWS}`]);
  });

  it('match.gateways without `mesh` excludes the block from sidecars', () => {
    const routes = routesFor({
      http: [{ match: [{ gateways: ['ingress'], uri: { prefix: '/x' } }], route: to('v2') }, { route: to('v1') }],
    });
    expect(clusters(routes)).toEqual([`outbound|9080|v1|${REVIEWS}`]);
  });

  it('falls back to the default route when no rule applies to this proxy and port', () => {
    const routes = routesFor({ http: [{ match: [{ sourceLabels: { app: 'nobody' } }], route: to('v2') }] });
    expect(routes.map((r) => r.origin)).toEqual([{ kind: 'default' }]);
  });

  it('no catch-all at the end: unmatched requests find no route (no implicit default appended)', () => {
    const routes = routesFor({ http: [{ match: [{ uri: { prefix: '/api' } }], route: to('v2') }] });
    expect(routes).toHaveLength(1);
    expect(routes[0]?.match.path).toEqual({ kind: 'prefix', value: '/api', ignoreCase: false });
  });
});
