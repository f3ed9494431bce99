import type { ClusterXds, EndpointXds, ExternalService, Scenario, VirtualHostXds } from '../../model/index.ts';
import type { ServiceIndex } from './ServiceIndex.ts';
import { toConnectionPool } from './toConnectionPool.ts';
import { noRetryPolicy } from './toRetryPolicy.ts';
import { clusterXds, routeToClusters } from '../../model/index.ts';

/** Envoy's names as istiod sets them (Istio src `pilot/pkg/networking/util/util.go`). */
export const PASSTHROUGH_CLUSTER = 'PassthroughCluster';
const ALLOW_ANY_ROUTE = 'allow_any';
const BLOCK_ALL_ROUTE = 'block_all';
const BLACK_HOLE_CLUSTER = 'BlackHoleCluster';

/**
 * Every `host:port` outside the registry a sidecar has a catch-all for:
 * each external host on each port it is dialled on and on each port of the
 * mesh's services (those ports have an HTTP listener, whose route config
 * ends in the catch-all), unless its ServiceEntry — or a wildcard one
 * covering it — declares that port.
 */
export function unregisteredAddresses(scenario: Scenario, services: ServiceIndex): Array<{ external: ExternalService; port: number; http: boolean }> {
  const listeners = [...new Set(services.all.flatMap((entry) => entry.service.ports.map((p) => p.port)))];
  const wildcards = services.all.filter((entry) => entry.covers !== undefined);
  const declares = (host: string, port: number): boolean =>
    services.get(host)?.service.ports.some((p) => p.port === port) === true ||
    wildcards.some((w) => w.covers?.some((c) => c.host === host) === true && w.service.ports.some((p) => p.port === port));
  return scenario.externalServices.flatMap((external) =>
    external.wildcard
      ? []
      : [...new Set([...external.dialled, ...listeners])]
          .filter((port) => !declares(external.host, port))
          .map((port) => ({ external, port, http: listeners.includes(port) })),
  );
}

/**
 * The virtual host a sidecar has for a host it knows no service for
 * (istiod `buildCatchAllVirtualHost`, Istio src
 * `pilot/pkg/networking/core/httproute.go`): under ALLOW_ANY the route
 * `allow_any` sends it to PassthroughCluster with timeout 0 and no retry
 * policy; under REGISTRY_ONLY the route `block_all` answers a direct 502.
 * That needs an HTTP listener on the port (`http`: some service of the
 * mesh has it). On any other port the connection meets the catch-all
 * filter chain of the `virtualOutbound` listener, a TCP proxy: under
 * REGISTRY_ONLY toward `BlackHoleCluster`, which has no endpoint, so the
 * connection is closed — no HTTP status, flag UH (an Istio 1.9 access log
 * of exactly that, `"response_code":0 ... "response_flags":"UH"` with curl's
 * "Connection reset by peer", is in istio/istio#33281); under ALLOW_ANY it
 * passes through as before.
 */
export function unregisteredVirtualHost(host: string, port: number, mode: Scenario['mesh']['outboundTrafficPolicy'], http = true): VirtualHostXds {
  const origin = { kind: 'outboundTrafficPolicy', mode } as const;
  const match = { headers: [], queryParams: [] };
  if (!http && mode === 'REGISTRY_ONLY') {
    const detail = `connection reset: no HTTP listener on port ${port}, and the catch-all TCP proxy of REGISTRY_ONLY goes to ${BLACK_HOLE_CLUSTER}, which has no endpoint`;
    return { name: `${host}:${port}`, host, port, routes: [{ name: BLACK_HOLE_CLUSTER, origin, match, action: { kind: 'reset', flag: 'UH', detail } }] };
  }
  const name = mode === 'ALLOW_ANY' ? ALLOW_ANY_ROUTE : BLOCK_ALL_ROUTE;
  const route = mode === 'ALLOW_ANY'
    ? { name, origin, match, action: routeToClusters({ clusters: [{ cluster: PASSTHROUGH_CLUSTER, weight: 100 }], timeout: 0, retry: noRetryPolicy(), mirrors: [] }) }
    : { name, origin, match, action: { kind: 'directResponse' as const, status: 502, body: '' } };
  return { name: `${host}:${port}`, host, port, routes: [route] };
}

/**
 * PassthroughCluster (istiod `buildDefaultPassthroughCluster`, Istio src
 * `pilot/pkg/networking/core/cluster_builder.go`): ORIGINAL_DST, the mesh's
 * connect timeout, the default connection pool, no outlier detection, no
 * TLS of the mesh's own (so a hidden service is reached in plaintext). Its
 * endpoints are the hosts outside the registry and, when a Sidecar may hide
 * services, every service's pods, each under the `host:port` that reaches it.
 */
export function passthroughCluster(scenario: Scenario, services: ServiceIndex): ClusterXds | undefined {
  const outside = scenario.pods.filter((pod) => pod.external);
  const exportLimited = services.all.some((entry) => entry.exportTo !== undefined);
  if (outside.length === 0 && scenario.sidecars.length === 0 && !exportLimited) return undefined;
  const endpoints: EndpointXds[] = [];
  for (const { external, port } of unregisteredAddresses(scenario, services)) {
    const pod = outside.find((p) => p.name === external.pod);
    if (pod) endpoints.push({ pod: pod.name, address: pod.ip, port, sidecar: false, dialled: `${external.host}:${port}` });
  }
  // A Sidecar may hide any service, `exportTo` a ServiceEntry's: reaching one through PassthroughCluster is reaching
  // its address (a ClusterIP, where kube-proxy picks a pod; a host outside, resolved by DNS).
  for (const entry of scenario.sidecars.length > 0 || exportLimited ? services.all : []) {
    if (scenario.sidecars.length === 0 && entry.exportTo === undefined) continue;
    for (const port of entry.service.ports) {
      for (const endpoint of services.endpoints(entry, port)) endpoints.push({ ...endpoint, dialled: endpoint.dialled ?? `${entry.fqdn}:${port.port}` });
    }
  }
  const pool = toConnectionPool(undefined);
  return clusterXds({
    name: PASSTHROUGH_CLUSTER,
    host: PASSTHROUGH_CLUSTER,
    port: 0,
    endpoints,
    // CLUSTER_PROVIDED in Envoy: the address dialled decides; behind a ClusterIP kube-proxy picks at random.
    lb: { kind: 'RANDOM' },
    healthyPanicThreshold: 0,
    thresholds: pool.thresholds,
    maxRequestsPerConnection: pool.maxRequestsPerConnection,
    connectTimeout: pool.connectTimeout,
    tls: { mode: 'DISABLE', auto: false },
    originalDestination: true,
  });
}
