import type { ClusterXds, Diagnostic, KubeNode, Namespace, Pod, Service } from '../../../model/index.ts';
import { diagnostic } from '../../catalog.ts';
import { localityOf } from '../localityPriorities.ts';
import type { Locality } from '../localityPriorities.ts';

/** Istio's annotation for a Service's (or, inherited, a namespace's) traffic distribution. */
export const TRAFFIC_DISTRIBUTION = 'networking.istio.io/traffic-distribution';

/** The scopes a ztunnel ranks endpoints by, after the network (one network here, so every endpoint matches it). */
type Scope = 'region' | 'zone' | 'subzone' | 'node';

/**
 * istiod's load-balancing preference for a Service's ztunnel traffic
 * (Istio src `pilot/pkg/model/service.go` `GetTrafficDistribution`, applied
 * in `pilot/pkg/serviceregistry/ambient/services.go`): `spec.trafficDistribution`
 * first (`PreferClose` and `PreferSameZone` are the same), else the
 * Service's `networking.istio.io/traffic-distribution` annotation, else its
 * namespace's (annotations read without case). `PreferSameZone` is
 * `preferSameZoneLoadBalancer`: NETWORK, REGION, ZONE in FAILOVER mode;
 * `PreferSameNode` is `preferSameNodeLoadBalancer`: NETWORK, REGION, ZONE,
 * SUBZONE, NODE. An annotation istiod does not know is "defaulting to any"
 * with a warning (MV0708). Undefined: no preference.
 */
export function trafficDistributionScopes(service: Service, namespace: Namespace | undefined, found: Diagnostic[]): readonly Scope[] | undefined {
  if (service.trafficDistribution !== undefined) return scopesOf(service.trafficDistribution.toLowerCase());
  const own = service.annotations?.[TRAFFIC_DISTRIBUTION];
  const inherited = namespace?.annotations?.[TRAFFIC_DISTRIBUTION];
  const value = own ?? inherited;
  if (value === undefined || value === '') return undefined;
  const scopes = scopesOf(value.toLowerCase());
  if (!scopes) {
    const resource = own !== undefined ? `Service/${service.namespace}/${service.name}` : `Namespace/${service.namespace}`;
    found.push(diagnostic('AmbientTrafficDistributionUnknown', { resource, path: `metadata.annotations[${JSON.stringify(TRAFFIC_DISTRIBUTION)}]`, ...(own !== undefined && service.source ? { source: service.source } : {}) }, { value }));
  }
  return scopes;
}

const ZONE: readonly Scope[] = Object.freeze(['region', 'zone']);
const NODE: readonly Scope[] = Object.freeze(['region', 'zone', 'subzone', 'node']);

function scopesOf(value: string): readonly Scope[] | undefined {
  if (value === 'preferclose' || value === 'prefersamezone') return ZONE;
  if (value === 'prefersamenode') return NODE;
  return undefined;
}

/**
 * How a ztunnel ranks a Service's endpoints for a caller (ztunnel src
 * `src/state.rs`, `load_balance`, FAILOVER mode): the count of the
 * preferences, in order, the endpoint shares with the caller, stopping at
 * the first it does not share; only endpoints of the best rank are picked
 * (at random, by capacity — all 1 here). As Envoy priorities for the
 * engine: 0 for the best rank present, then each lower rank in use. With
 * every endpoint at one rank, undefined (nothing to prefer). Since a
 * ztunnel has no outlier detection, every endpoint stays healthy and the
 * best priority takes every request, as ztunnel's choice does.
 */
export function ztunnelPriorities(caller: { locality: Locality; node: string | undefined }, cluster: ClusterXds, scopes: readonly Scope[], where: (pod: string) => { locality: Locality; node: string | undefined } | undefined): number[] | undefined {
  const ranks = cluster.endpoints.map((e) => {
    const at = where(e.pod);
    let rank = 0;
    for (const scope of scopes) {
      const same = scope === 'node' ? at !== undefined && at.node === caller.node : at !== undefined && at.locality[scope] === caller.locality[scope];
      if (!same) break;
      rank += 1;
    }
    return rank;
  });
  const used = [...new Set(ranks)].sort((a, b) => b - a);
  if (used.length < 2) return undefined;
  return ranks.map((r) => used.indexOf(r));
}

/** Each pod's locality and node, as ztunnel's workloads carry them (the pod's locality label, else its node's topology labels). */
export function placements(pods: readonly Pod[], nodes: readonly KubeNode[]): Map<string, { locality: Locality; node: string | undefined }> {
  const labels = new Map(nodes.map((n) => [n.name, n.labels]));
  return new Map(pods.map((p) => [p.name, { locality: localityOf(p, p.node === undefined ? undefined : labels.get(p.node)), node: p.node }]));
}
