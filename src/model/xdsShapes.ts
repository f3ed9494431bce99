import type { ClusterXds, RouteActionXds } from './xds.ts';

type RouteToClusters = Extract<RouteActionXds, { kind: 'route' }>;

/**
 * A cluster with every field of `ClusterXds`, in the type's order, the
 * unset ones `undefined` (which JSON and YAML leave out). Every compiler
 * (Istio's sidecars and gateways, ambient's ztunnels and waypoints,
 * Linkerd) builds its clusters here, so the clusters of any mesh share one
 * hidden class: the engine reads a cluster's config on every attempt, and a
 * read that meets several shapes costs more (engine/sim/README.md). The
 * engine's own route for a mirrored copy is built here too.
 */
export function clusterXds(c: ClusterXds): ClusterXds {
  return {
    name: c.name,
    host: c.host,
    port: c.port,
    subset: c.subset,
    endpoints: c.endpoints,
    lb: c.lb,
    outlier: c.outlier,
    accrual: c.accrual,
    failFast: c.failFast,
    healthyPanicThreshold: c.healthyPanicThreshold,
    thresholds: c.thresholds,
    maxRequestsPerConnection: c.maxRequestsPerConnection,
    http2: c.http2,
    connectTimeout: c.connectTimeout,
    tls: c.tls,
    originalDestination: c.originalDestination,
    waypoint: c.waypoint,
  };
}

/** A route to clusters with every field of its action, in the type's order, for the same reason: the engine reads the action of every request. */
export function routeToClusters(a: Omit<RouteToClusters, 'kind'>): RouteToClusters {
  return {
    kind: 'route',
    clusters: a.clusters,
    timeout: a.timeout,
    retry: a.retry,
    fault: a.fault,
    mirrors: a.mirrors,
    hashHeader: a.hashHeader,
    requestHeaders: a.requestHeaders,
    tcpProxy: a.tcpProxy,
  };
}
