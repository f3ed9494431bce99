import { clusterName, type RouteXds } from '../../model/index.ts';
import type { RoutingContext } from './RoutingContext.ts';
import { defaultRetryPolicy } from './toRetryPolicy.ts';
import { routeToClusters } from '../../model/index.ts';

/**
 * The route a service port gets without a VirtualService (istiod
 * `BuildDefaultHTTPOutboundRoute`): any request to `outbound|port||fqdn`,
 * timeout 0 and the default retry policy. istiod builds that policy with
 * consistent hashing off even when the DestinationRule hashes, so
 * previous-hosts stays on here; the hash header is still applied.
 */
export function buildDefaultRoute(ctx: RoutingContext, host: string, port: number): RouteXds {
  const cluster = clusterName(port, undefined, host);
  const hashHeader = ctx.clusterPolicies.get(cluster)?.loadBalancer?.consistentHash?.httpHeaderName;
  return {
    name: 'default',
    origin: { kind: 'default' },
    match: { headers: [], queryParams: [] },
    action: routeToClusters({ clusters: [{ cluster, weight: 100 }], timeout: 0, retry: defaultRetryPolicy(false), mirrors: [], hashHeader }),
  };
}
