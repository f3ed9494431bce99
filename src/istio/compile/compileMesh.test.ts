import { describe, expect, it } from 'vitest';
import { compileMesh } from './compileMesh.ts';
import { defaultRetryPolicy } from './toRetryPolicy.ts';
import { destinationRule, pod, pods, scenarioOf, service, virtualService } from './testing/scenarioBuilder.ts';

const REVIEWS = 'reviews.default.svc.cluster.local';

describe('compileMesh', () => {
  it('kubeServices: one entry per fqdn:port with every endpoint, sidecar or not', () => {
    const result = compileMesh(
      scenarioOf({
        pods: [...pods('reviews', 2), pod('reviews-legacy', { labels: { app: 'reviews' }, sidecar: false })],
        services: [service('reviews', { ports: [[9080, 8080]] })],
      }),
    );
    expect(Object.keys(result.xds.kubeServices)).toEqual([`${REVIEWS}:9080`]);
    expect(result.xds.kubeServices[`${REVIEWS}:9080`]).toMatchObject({ host: REVIEWS, port: 9080 });
    expect(result.xds.kubeServices[`${REVIEWS}:9080`]?.endpoints.map((e) => [e.pod, e.port, e.sidecar])).toEqual([
      ['reviews-0', 8080, true],
      ['reviews-1', 8080, true],
      ['reviews-legacy', 8080, false],
    ]);
  });

  it('endpoints: only pods of the service namespace whose labels match the selector; no selector → none', () => {
    const result = compileMesh(
      scenarioOf({
        pods: [...pods('reviews', 1), pod('reviews-x', { labels: { app: 'reviews' }, namespace: 'other' })],
        services: [service('reviews'), service('manual', { selector: {} })],
      }),
    );
    expect(result.xds.kubeServices[`${REVIEWS}:80`]?.endpoints.map((e) => e.pod)).toEqual(['reviews-0']);
    expect(result.xds.kubeServices['manual.default.svc.cluster.local:80']?.endpoints).toEqual([]);
  });

  it('every sidecar gets a virtual host per service port; without a VirtualService the default route, exactly', () => {
    const result = compileMesh(scenarioOf({ pods: pods('web', 1), services: [service('reviews', { ports: [9080, 9443] }), service('web')] }));
    const proxy = result.xds.proxies['web-0'];
    expect(Object.keys(proxy?.virtualHosts ?? {})).toEqual([
      `${REVIEWS}:9080`,
      `${REVIEWS}:9443`,
      'web.default.svc.cluster.local:80',
    ]);
    expect(proxy?.virtualHosts[`${REVIEWS}:9080`]).toEqual({
      name: `${REVIEWS}:9080`,
      host: REVIEWS,
      port: 9080,
      routes: [
        {
          name: 'default',
          origin: { kind: 'default' },
          match: { headers: [], queryParams: [] },
          action: {
            kind: 'route',
            clusters: [{ cluster: `outbound|9080||${REVIEWS}`, weight: 100 }],
            timeout: 0,
            retry: defaultRetryPolicy(false),
            mirrors: [],
          },
        },
      ],
    });
    expect(result.diagnostics).toEqual([]);
  });

  it('the default route hashes on the DestinationRule header but keeps previous-hosts (istiod builds it unhashed)', () => {
    const result = compileMesh(
      scenarioOf({
        pods: pods('web', 1),
        services: [service('reviews')],
        destinationRules: [destinationRule('r', { host: 'reviews', trafficPolicy: { loadBalancer: { consistentHash: { httpHeaderName: 'x-user' } } } })],
      }),
    );
    const action = result.xds.proxies['web-0']?.virtualHosts[`${REVIEWS}:80`]?.routes[0]?.action;
    expect(action).toMatchObject({ kind: 'route', hashHeader: 'x-user', retry: { previousHosts: true } });
  });

  it('one VirtualService per host: the oldest wins and the other is reported; exact beats wildcard', () => {
    const route = (subset: string) => [{ route: [{ destination: { host: 'reviews', subset } }] }];
    const result = compileMesh(
      scenarioOf({
        pods: pods('web', 1),
        services: [service('reviews')],
        virtualServices: [
          virtualService('wild', { hosts: ['*.default.svc.cluster.local'], http: route('wild') }, { order: 0 }),
          virtualService('newer', { hosts: ['reviews'], http: route('newer') }, { order: 2 }),
          virtualService('older', { hosts: ['reviews.default.svc.cluster.local'], http: route('older') }, { order: 1 }),
          virtualService('gateway-only', { hosts: ['reviews'], gateways: ['ingress'], http: route('gw') }, { order: 0 }),
        ],
      }),
    );
    const action = result.xds.proxies['web-0']?.virtualHosts[`${REVIEWS}:80`]?.routes[0]?.action;
    expect(action?.kind === 'route' && action.clusters[0]?.cluster).toBe(`outbound|80|older|${REVIEWS}`);
    const shadowed = result.diagnostics.filter((d) => d.code === 'MV0301');
    expect(shadowed).toEqual([
      expect.objectContaining({ resource: 'VirtualService/default/newer', path: 'spec.hosts[0]', severity: 'warning' }),
    ]);
  });

  it('reports rules after an unconditional catch-all as unreachable', () => {
    const result = compileMesh(
      scenarioOf({
        pods: pods('web', 1),
        services: [service('reviews')],
        virtualServices: [
          virtualService('r', {
            hosts: ['reviews'],
            http: [
              { match: [{ sourceLabels: { app: 'web' } }], route: [{ destination: { host: 'reviews' } }] },
              { match: [{ uri: { prefix: '/' } }], route: [{ destination: { host: 'reviews' } }] },
              { route: [{ destination: { host: 'reviews' } }] },
            ],
          }),
        ],
      }),
    );
    expect(result.diagnostics.map((d) => [d.code, d.path, d.message])).toEqual([
      ['MV0310', 'spec.http[2]', 'this rule can never match: spec.http[1] before it matches every request'],
    ]);
  });

  it('diagnostics point at the closest recorded source position', () => {
    const result = compileMesh(
      scenarioOf({
        pods: pods('web', 1),
        services: [service('reviews')],
        virtualServices: [
          virtualService(
            'r',
            { hosts: ['reviews'], http: [{ timeout: 'soon', route: [{ destination: { host: 'reviews' } }] }] },
            { positions: { 'spec.http[0]': { file: 'vs.yaml', line: 7, col: 5 } } },
          ),
        ],
      }),
    );
    expect(result.diagnostics).toEqual([
      {
        code: 'MV0300',
        severity: 'warning',
        message: '"soon" is not a duration; no timeout is used instead',
        resource: 'VirtualService/default/r',
        path: 'spec.http[0].timeout',
        source: { file: 'vs.yaml', line: 7, col: 5 },
      },
    ]);
  });

  it('shares config between proxies: clusters always; virtual hosts and inbound per namespace and labels', () => {
    const scenario = scenarioOf({
      pods: [...pods('web', 3), ...pods('api', 2), pod('web-x', { labels: { app: 'web' }, namespace: 'other' })],
      services: [service('reviews'), service('web'), service('api')],
      virtualServices: [
        virtualService('r', {
          hosts: ['reviews'],
          http: [{ match: [{ sourceLabels: { app: 'web' } }], route: [{ destination: { host: 'reviews' } }], timeout: '1s' }],
        }),
      ],
    });
    const { proxies } = compileMesh(scenario).xds;
    const [web0, web1, web2, api0, api1, webX] = ['web-0', 'web-1', 'web-2', 'api-0', 'api-1', 'web-x'].map((name) => proxies[name]);
    expect(web0?.pod).toBe('web-0');
    expect(web1?.virtualHosts).toBe(web0?.virtualHosts);
    expect(web2?.inbound).toBe(web0?.inbound);
    expect(api1?.virtualHosts).toBe(api0?.virtualHosts);
    expect(api0?.virtualHosts).not.toBe(web0?.virtualHosts);
    expect(webX?.inbound).not.toBe(web0?.inbound);
    expect(api0?.clusters).toBe(web0?.clusters);
    // Virtual hosts that do not depend on the source are shared across different tables too.
    expect(api0?.virtualHosts['web.default.svc.cluster.local:80']).toBe(web0?.virtualHosts['web.default.svc.cluster.local:80']);
    expect(api0?.virtualHosts[`${REVIEWS}:80`]?.routes[0]?.origin).toEqual({ kind: 'default' });
    expect(web0?.virtualHosts[`${REVIEWS}:80`]?.routes[0]?.origin.kind).toBe('virtualService');
  });

  it('without source-dependent VirtualServices every proxy shares one virtual-host table', () => {
    const { proxies } = compileMesh(scenarioOf({ pods: [...pods('web', 2), ...pods('api', 2)], services: [service('web')] })).xds;
    expect(proxies['api-1']?.virtualHosts).toBe(proxies['web-0']?.virtualHosts);
  });

  it('compiles a 1000-pod mesh with one virtual-host table per workload, deterministically', () => {
    const scenario = scenarioOf({
      pods: Array.from({ length: 100 }, (_, w) => pods(`svc${w}`, 10)).flat(),
      services: Array.from({ length: 100 }, (_, w) => service(`svc${w}`, { ports: [80, 9090] })),
      virtualServices: Array.from({ length: 50 }, (_, w) =>
        virtualService(`vs${w}`, {
          hosts: [`svc${w}`],
          http: [
            { match: [{ sourceLabels: { app: `svc${w + 1}` } }], route: [{ destination: { host: `svc${w}` } }] },
            { route: [{ destination: { host: `svc${w}` } }] },
          ],
        }),
      ),
    });
    const first = compileMesh(scenario);
    const proxies = Object.values(first.xds.proxies);
    expect(proxies).toHaveLength(1000);
    expect(new Set(proxies.map((p) => p.clusters)).size).toBe(1);
    expect(new Set(proxies.map((p) => p.virtualHosts)).size).toBe(100);
    const second = compileMesh(scenario);
    expect(JSON.stringify(second.xds.proxies['svc7-3'])).toBe(JSON.stringify(first.xds.proxies['svc7-3']));
    expect(JSON.stringify(second.xds.kubeServices)).toBe(JSON.stringify(first.xds.kubeServices));
  });
});
