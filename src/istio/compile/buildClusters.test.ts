import { describe, expect, it } from 'vitest';
import { ISTIO_UNLIMITED } from '../../model/index.ts';
import { compileMesh } from './compileMesh.ts';
import { destinationRule, peerAuthentication, pod, scenarioOf, service } from './testing/scenarioBuilder.ts';

const reviewsPods = [
  pod('reviews-v1-0', { labels: { app: 'reviews', version: 'v1' } }),
  pod('reviews-v2-0', { labels: { app: 'reviews', version: 'v2' } }),
  pod('reviews-v2-1', { labels: { app: 'reviews', version: 'v2' }, sidecar: false }),
];
const base = {
  pods: [pod('productpage-0'), ...reviewsPods],
  services: [service('reviews', { ports: [[9080, 9080], [9443, 8443]] })],
};
const clustersOf = (parts: Parameters<typeof scenarioOf>[0]) =>
  compileMesh(scenarioOf(parts)).xds.proxies['productpage-0']?.clusters ?? {};

describe('buildClusters (§2.4 cluster per service port and subset)', () => {
  it('names clusters outbound|port|subset|fqdn, one per service port plus one per subset and port', () => {
    const clusters = clustersOf({
      ...base,
      destinationRules: [
        destinationRule('reviews', { host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }] }),
      ],
    });
    expect(Object.keys(clusters)).toEqual([
      'outbound|9080||reviews.default.svc.cluster.local',
      'outbound|9080|v1|reviews.default.svc.cluster.local',
      'outbound|9080|v2|reviews.default.svc.cluster.local',
      'outbound|9443||reviews.default.svc.cluster.local',
      'outbound|9443|v1|reviews.default.svc.cluster.local',
      'outbound|9443|v2|reviews.default.svc.cluster.local',
    ]);
    expect(clusters['outbound|9443|v2|reviews.default.svc.cluster.local']).toMatchObject({
      host: 'reviews.default.svc.cluster.local',
      port: 9443,
      subset: 'v2',
    });
  });

  it('endpoints are the selected pods at the targetPort; a subset keeps only pods with its labels', () => {
    const clusters = clustersOf({
      ...base,
      destinationRules: [destinationRule('reviews', { host: 'reviews', subsets: [{ name: 'v2', labels: { version: 'v2' } }] })],
    });
    expect(clusters['outbound|9443||reviews.default.svc.cluster.local']?.endpoints).toEqual(
      reviewsPods.map((p) => ({ pod: p.name, address: p.ip, port: 8443, sidecar: p.sidecar })),
    );
    expect(clusters['outbound|9080|v2|reviews.default.svc.cluster.local']?.endpoints.map((e) => [e.pod, e.sidecar])).toEqual([
      ['reviews-v2-0', true],
      ['reviews-v2-1', false],
    ]);
  });

  it('without a DestinationRule: LEAST_REQUEST, no outlier detection, panic 50 %, unlimited thresholds, auto mTLS', () => {
    const cluster = clustersOf(base)['outbound|9080||reviews.default.svc.cluster.local'];
    expect(cluster).toEqual({
      name: 'outbound|9080||reviews.default.svc.cluster.local',
      host: 'reviews.default.svc.cluster.local',
      port: 9080,
      endpoints: expect.any(Array),
      lb: { kind: 'LEAST_REQUEST', choiceCount: 2 },
      healthyPanicThreshold: 50,
      thresholds: {
        maxConnections: ISTIO_UNLIMITED,
        maxPendingRequests: ISTIO_UNLIMITED,
        maxRequests: ISTIO_UNLIMITED,
        maxRetries: ISTIO_UNLIMITED,
      },
      maxRequestsPerConnection: 0,
      connectTimeout: 10_000_000,
      tls: { mode: 'ISTIO_MUTUAL', auto: true },
    });
  });

  it('§3.6 panic threshold: 0 with an outlierDetection block, 50 without', () => {
    const clusters = clustersOf({
      ...base,
      destinationRules: [
        destinationRule('reviews', {
          host: 'reviews',
          trafficPolicy: { portLevelSettings: [{ port: { number: 9080 }, outlierDetection: { consecutive5xxErrors: 1 } }] },
        }),
      ],
    });
    expect(clusters['outbound|9080||reviews.default.svc.cluster.local']?.healthyPanicThreshold).toBe(0);
    expect(clusters['outbound|9080||reviews.default.svc.cluster.local']?.outlier?.consecutive5xx).toBe(1);
    expect(clusters['outbound|9443||reviews.default.svc.cluster.local']?.healthyPanicThreshold).toBe(50);
    expect(clusters['outbound|9443||reviews.default.svc.cluster.local']?.outlier).toBeUndefined();
  });

  it('policy merge order: top-level < port-level < subset', () => {
    const clusters = clustersOf({
      ...base,
      destinationRules: [
        destinationRule('reviews', {
          host: 'reviews',
          trafficPolicy: {
            loadBalancer: { simple: 'ROUND_ROBIN' },
            connectionPool: { tcp: { maxConnections: 100 } },
            portLevelSettings: [{ port: { number: 9443 }, loadBalancer: { simple: 'RANDOM' } }],
          },
          subsets: [{ name: 'v1', labels: { version: 'v1' }, trafficPolicy: { connectionPool: { tcp: { maxConnections: 1 } } } }],
        }),
      ],
    });
    const at = (name: string) => clusters[name];
    expect(at('outbound|9080||reviews.default.svc.cluster.local')).toMatchObject({
      lb: { kind: 'ROUND_ROBIN' },
      thresholds: { maxConnections: 100 },
    });
    // Port level replaces the whole top level for 9443: no connectionPool there.
    expect(at('outbound|9443||reviews.default.svc.cluster.local')).toMatchObject({
      lb: { kind: 'RANDOM' },
      thresholds: { maxConnections: ISTIO_UNLIMITED },
    });
    expect(at('outbound|9080|v1|reviews.default.svc.cluster.local')).toMatchObject({
      lb: { kind: 'ROUND_ROBIN' },
      thresholds: { maxConnections: 1 },
    });
    expect(at('outbound|9443|v1|reviews.default.svc.cluster.local')).toMatchObject({
      lb: { kind: 'RANDOM' },
      thresholds: { maxConnections: 1 },
    });
  });

  it('§6.2 an explicit DestinationRule tls mode wins over auto mTLS; a tls block without mode is DISABLE', () => {
    const clusters = clustersOf({
      ...base,
      destinationRules: [
        destinationRule('reviews', {
          host: 'reviews',
          trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' }, portLevelSettings: [{ port: { number: 9443 }, tls: { sni: 'x' } }] },
        }),
      ],
    });
    expect(clusters['outbound|9080||reviews.default.svc.cluster.local']?.tls).toEqual({ mode: 'ISTIO_MUTUAL', auto: false });
    expect(clusters['outbound|9443||reviews.default.svc.cluster.local']?.tls).toEqual({ mode: 'DISABLE', auto: false });
  });

  it('§6.2 auto mTLS is skipped when the destination namespace PeerAuthentication is DISABLE', () => {
    const clusters = clustersOf({
      ...base,
      peerAuthentications: [peerAuthentication('off', { mtls: { mode: 'DISABLE' } })],
    });
    expect(clusters['outbound|9080||reviews.default.svc.cluster.local']?.tls).toEqual({ mode: 'DISABLE', auto: false });
  });

  it('a wildcard DestinationRule applies when no exact one does; several rules for a host are merged, oldest first', () => {
    const result = compileMesh(
      scenarioOf({
        ...base,
        destinationRules: [
          destinationRule('all', { host: '*.default.svc.cluster.local', trafficPolicy: { loadBalancer: { simple: 'RANDOM' } } }),
          destinationRule('old', { host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } }] }, { order: 1 }),
          destinationRule(
            'new',
            {
              host: 'reviews.default.svc.cluster.local',
              trafficPolicy: { loadBalancer: { simple: 'ROUND_ROBIN' } },
              subsets: [{ name: 'v1', labels: { version: 'v2' } }, { name: 'v2', labels: { version: 'v2' } }],
            },
            { order: 2 },
          ),
        ],
      }),
    );
    const clusters = result.xds.proxies['productpage-0']?.clusters ?? {};
    expect(clusters['outbound|9080||reviews.default.svc.cluster.local']?.lb).toEqual({ kind: 'ROUND_ROBIN' });
    expect(clusters['outbound|9080|v1|reviews.default.svc.cluster.local']?.endpoints.map((e) => e.pod)).toEqual(['reviews-v1-0']);
    expect(clusters['outbound|9080|v2|reviews.default.svc.cluster.local']).toBeDefined();
    expect(result.diagnostics).toContainEqual(
      expect.objectContaining({ code: 'MV0306', resource: 'DestinationRule/default/new', path: 'spec.subsets[0]' }),
    );
  });
});
