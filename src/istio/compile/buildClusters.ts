import { clusterName, type ClusterXds, type EndpointXds, istioProtocolOf } from '../../model/index.ts';
import { passthroughCluster } from './buildUnregisteredHosts.ts';
import type { CompileContext } from './CompileContext.ts';
import { mergeTrafficPolicy, type PolicyComponents } from './mergeTrafficPolicy.ts';
import { type H2Context, toConnectionPool } from './toConnectionPool.ts';
import { toLbPolicy } from './toLbPolicy.ts';
import { toOutlier } from './toOutlier.ts';
import { toUpstreamTls } from './toUpstreamTls.ts';
import { clusterXds } from '../../model/index.ts';

export interface BuiltClusters {
  /** By cluster name, in scenario order: each service port, then its subsets. */
  clusters: Record<string, ClusterXds>;
  /** The effective DestinationRule policy behind each cluster (routes read its consistent hash). */
  policies: Map<string, PolicyComponents>;
}

/**
 * Every outbound cluster of the mesh: one per service port plus one per
 * DestinationRule subset and port (§2.4). The same for every proxy, so built
 * once and shared.
 */
export function buildClusters(ctx: CompileContext): BuiltClusters {
  const clusters: Record<string, ClusterXds> = {};
  const policies = new Map<string, PolicyComponents>();
  for (const entry of ctx.services.all) {
    const rule = ctx.destinationRules.forHost(entry.fqdn);
    const mtlsDisabled = ctx.peerAuthentications.namespaceMode(entry.service.namespace) === 'DISABLE';
    for (const port of entry.service.ports) {
      const add = (subset: string | undefined, endpoints: EndpointXds[], policy: PolicyComponents): void => {
        const name = clusterName(port.port, subset, entry.fqdn);
        if (name in clusters) return;
        const cluster = toCluster(name, entry.fqdn, port.port, subset, endpoints, policy, mtlsDisabled, { protocol: istioProtocolOf(port), meshPolicy: ctx.scenario.mesh.h2UpgradePolicy }, entry.location === 'MESH_EXTERNAL');
        // A wildcard ServiceEntry host (resolution NONE) is an ORIGINAL_DST cluster: the name dialled decides the endpoint.
        if (entry.covers) cluster.originalDestination = true;
        clusters[name] = cluster;
        policies.set(name, policy);
      };
      add(undefined, ctx.services.endpoints(entry, port), mergeTrafficPolicy(rule?.trafficPolicy, undefined, port.port));
      for (const subset of rule?.subsets ?? []) {
        add(
          subset.name,
          ctx.services.endpoints(entry, port, subset.labels ?? {}),
          mergeTrafficPolicy(rule?.trafficPolicy, subset.trafficPolicy, port.port),
        );
      }
    }
  }
  const passthrough = passthroughCluster(ctx.scenario, ctx.services);
  if (passthrough) clusters[passthrough.name] = passthrough;
  return { clusters, policies };
}

function toCluster(
  name: string,
  host: string,
  port: number,
  subset: string | undefined,
  endpoints: EndpointXds[],
  policy: PolicyComponents,
  destinationMtlsDisabled: boolean,
  h2: H2Context,
  meshExternal: boolean,
): ClusterXds {
  const { outlier, healthyPanicThreshold } = toOutlier(policy.outlierDetection);
  const pool = toConnectionPool(policy.connectionPool, h2);
  return clusterXds({
    name,
    host,
    port,
    subset,
    endpoints,
    lb: toLbPolicy(policy.loadBalancer),
    outlier,
    healthyPanicThreshold,
    thresholds: policy.retryBudget ? { ...pool.thresholds, retryBudget: toRetryBudget(policy.retryBudget) } : pool.thresholds,
    maxRequestsPerConnection: pool.maxRequestsPerConnection,
    http2: pool.http2,
    connectTimeout: pool.connectTimeout,
    tls: toUpstreamTls(policy.tls, destinationMtlsDisabled, meshExternal),
  });
}

/** DestinationRule `retryBudget` → Envoy's retry budget; Istio's defaults 20 % and 3 (§1.6). */
function toRetryBudget(budget: NonNullable<PolicyComponents['retryBudget']>): { percent: number; minRetryConcurrency: number } {
  return { percent: budget.percent ?? 20, minRetryConcurrency: budget.minRetryConcurrency ?? 3 };
}
