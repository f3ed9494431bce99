import { byName, clusterName, ISTIO_UNLIMITED, oldestFirst, waypointName } from '../../../model/index.ts';
import type { AuthzPolicyXds, ClusterXds, Diagnostic, Pod, ProxyXds, RetryPolicyXds, RouteXds, VirtualHostXds } from '../../../model/index.ts';
import { diagnostic } from '../../catalog.ts';
import { compilePolicy, hasTargetRefs, isDryRun } from '../authz/compileAuthz.ts';
import { DiagnosticSink } from '../DiagnosticSink.ts';
import { matchesLabels } from '../../../model/index.ts';
import type { RoutingContext } from '../RoutingContext.ts';
import { bindWaypoints } from './bindWaypoints.ts';
import { toZtunnelPolicy } from './ztunnelAuthz.ts';
import { placements, trafficDistributionScopes, ztunnelPriorities } from './ztunnelLocality.ts';
import { clusterXds, routeToClusters } from '../../../model/index.ts';

type VirtualHosts = (source: { namespace: string; labels: Record<string, string> }) => Record<string, VirtualHostXds>;

const HBONE_MAX_STREAMS = 100;

/** ztunnel has no HTTP retries (it never parses HTTP, §11). */
const NO_RETRY: RetryPolicyXds = Object.freeze({
  numRetries: 0,
  retryOn: [],
  retriableStatusCodes: [],
  perTryTimeout: 0,
  backoffBase: 25_000,
  backoffMax: 250_000,
  previousHosts: false,
  hostSelectionRetryMaxAttempts: 1,
}) as RetryPolicyXds;

/**
 * The ambient part of the control plane (§11): for each pod in an ambient
 * namespace, what its node's ztunnel does for it — L4 only: every service
 * reached through one route to the service's endpoints, picked at random
 * (ztunnel src `src/state.rs` `load_balance`: a random endpoint weighted by
 * workload capacity, all 1 here), no retries, timeouts, faults, subsets,
 * outlier detection or connection limits; HBONE (mTLS, HTTP/2 CONNECT: the
 * calls to one endpoint share a tunnel) to meshed endpoints;
 * inbound PeerAuthentication and the L4 part of the selector
 * AuthorizationPolicies (`toZtunnelPolicy`) — and which hosts its requests
 * are tunnelled to a waypoint for. And for each waypoint, an Envoy config
 * compiled as a sidecar's in the waypoint's namespace, with the
 * AuthorizationPolicies attached to it or its services by `targetRefs`.
 */
export function createAmbientBuilder(ctx: RoutingContext, virtualHosts: VirtualHosts) {
  const scenario = ctx.scenario;
  const diagnostics = new DiagnosticSink();
  const binding = bindWaypoints(scenario, ctx.services);
  const waypointOf = byName<string>();
  for (const [host, key] of binding.byHost) waypointOf[host] = key;
  const l4Clusters = toL4Clusters(ctx.clusters);
  const l4Hosts = new Map<string, Record<string, VirtualHostXds>>();
  const root = scenario.mesh.rootNamespace;
  const policies = [...scenario.authorizationPolicies].sort(oldestFirst);
  const localityFound: Diagnostic[] = [];
  const priorities = createZtunnelPriorities();

  function ztunnelAuthz(pod: Pod): AuthzPolicyXds[] {
    const out: AuthzPolicyXds[] = [];
    for (const policy of policies) {
      if (policy.metadata.namespace !== pod.namespace && policy.metadata.namespace !== root) continue;
      if (hasTargetRefs(policy) || isDryRun(policy) || !matchesLabels(policy.spec.selector?.matchLabels, pod.labels)) continue;
      const converted = toZtunnelPolicy(policy, compilePolicy(policy, diagnostics), diagnostics);
      if (converted) out.push(converted);
    }
    return out;
  }

  return {
    /** The config of the pod's node ztunnel, as it acts for this pod. */
    ztunnelFor(pod: Pod): ProxyXds {
      const source = { namespace: pod.namespace, labels: pod.labels };
      let hosts = l4Hosts.get(pod.namespace);
      if (!hosts) {
        hosts = toL4VirtualHosts(virtualHosts(source), l4Clusters);
        l4Hosts.set(pod.namespace, hosts);
      }
      const mtls = ctx.peerAuthentications.inbound(pod.namespace, pod.labels);
      const authz = ztunnelAuthz(pod);
      const preferred = priorities.of(pod);
      return {
        pod: pod.name,
        dataPlane: 'ztunnel',
        ztunnel: { node: pod.node ?? 'node-1', waypoints: waypointOf },
        virtualHosts: hosts,
        clusters: l4Clusters,
        inbound: authz.length > 0 ? { ...mtls, authz } : mtls,
        ...(preferred ? { priorities: preferred } : {}),
      };
    },
    /**
     * The clusters of a gateway proxy: those of a Service whose ingress
     * traffic goes through its waypoint carry the waypoint's key. istiod
     * replaces such a cluster's endpoints (every subset's: the subset is not
     * looked at) by the waypoint's HBONE endpoints, for gateways only —
     * `BuildClusterLoadAssignment` → `findServiceWaypoint`, which returns
     * nothing for a proxy that is not a router or for a Service without
     * `IngressUseWaypoint` (Istio src `pilot/pkg/xds/endpoints/endpoint_builder.go`).
     */
    gatewayClusters(): Record<string, ClusterXds> {
      if (binding.ingress.size === 0) return ctx.clusters;
      const out = byName<ClusterXds>();
      for (const [name, c] of Object.entries(ctx.clusters)) {
        const key = binding.ingress.has(c.host) ? binding.byHost.get(c.host) : undefined;
        out[name] = key === undefined ? c : clusterXds({ ...c, waypoint: key });
      }
      return out;
    },
    /** Every waypoint's config, keyed by `waypointKey`. */
    waypoints(): Record<string, ProxyXds> {
      const out = byName<ProxyXds>();
      for (const [key, waypoint] of binding.waypoints) {
        const hosts = [...binding.byHost].filter(([, k]) => k === key).map(([host]) => host);
        out[key] = {
          pod: key,
          dataPlane: 'waypoint',
          waypoint: { name: waypoint.name, namespace: waypoint.namespace, serviceAccount: waypoint.serviceAccount, authz: waypointAuthz(waypoint.name, waypoint.namespace, hosts) },
          virtualHosts: virtualHosts({ namespace: waypoint.namespace, labels: { 'gateway.networking.k8s.io/gateway-name': waypoint.name } }),
          clusters: ctx.clusters,
          inbound: { mtls: { default: 'STRICT', ports: {} } },
        };
      }
      return out;
    },
    diagnostics: (): Diagnostic[] => [...binding.diagnostics, ...localityFound, ...diagnostics.list()],
  };

  /**
   * The endpoint preferences of the Services with a traffic distribution
   * (`ztunnelLocality.ts`), per caller: the same for callers on one node
   * with one locality.
   */
  function createZtunnelPriorities() {
    const namespaces = new Map(scenario.namespaces.map((n) => [n.name, n]));
    const preferring = ctx.services.all.flatMap((entry) => {
      const scopes = trafficDistributionScopes(entry.service, namespaces.get(entry.service.namespace), localityFound);
      const waypoint = scopes ? binding.byHost.get(entry.fqdn) : undefined;
      // Through a waypoint the Envoy there picks the endpoint: its locality preference is not simulated.
      if (waypoint !== undefined) localityFound.push(diagnostic('AmbientTrafficDistributionAtWaypoint', { resource: `Service/${entry.service.namespace}/${entry.service.name}`, ...(entry.service.source ? { source: entry.service.source } : {}) }, { waypoint: waypointName(waypoint) }));
      return scopes ? [{ host: entry.fqdn, scopes }] : [];
    });
    const where = placements(scenario.pods, scenario.nodes);
    const cache = new Map<string, Record<string, number[]> | undefined>();
    return {
      of(pod: Pod): Record<string, number[]> | undefined {
        if (preferring.length === 0) return undefined;
        const caller = where.get(pod.name) ?? { locality: { region: '', zone: '', subzone: '' }, node: pod.node };
        const key = `${caller.node ?? ''}|${caller.locality.region}/${caller.locality.zone}/${caller.locality.subzone}`;
        if (cache.has(key)) return cache.get(key);
        let out: Record<string, number[]> | undefined;
        for (const { host, scopes } of preferring) {
          for (const cluster of Object.values(l4Clusters)) {
            if (cluster.host !== host) continue;
            const p = ztunnelPriorities(caller, cluster, scopes, (name) => where.get(name));
            if (p) (out ??= byName<number[]>())[cluster.name] = p;
          }
        }
        cache.set(key, out);
        return out;
      },
    };
  }

  /** Policies attached by `targetRefs` to the waypoint (all its services) or to one of its services, by service host (§7, §11). */
  function waypointAuthz(name: string, namespace: string, hosts: string[]): Record<string, AuthzPolicyXds[]> {
    const out = byName<AuthzPolicyXds[]>();
    for (const policy of policies) {
      if (!hasTargetRefs(policy) || isDryRun(policy) || policy.metadata.namespace !== namespace) continue;
      const refs = policy.spec.targetRefs ?? (policy.spec.targetRef ? [policy.spec.targetRef] : []);
      const targeted = new Set<string>();
      for (const ref of refs) {
        if (ref.kind === 'Gateway' && ref.name === name) for (const h of hosts) targeted.add(h);
        else if (ref.kind === 'Service' && ref.name !== undefined) {
          const host = ctx.hosts.fqdn(ref.name, namespace);
          if (hosts.includes(host)) targeted.add(host);
          else if (!ctx.services.get(host)) diagnostics.report('AmbientTargetNotFound', { resource: policy, path: 'spec.targetRefs' }, { target: `Service ${namespace}/${ref.name}` });
        }
      }
      if (targeted.size === 0) continue;
      const compiled = compilePolicy(policy, diagnostics);
      for (const host of targeted) (out[host] ??= []).push(compiled);
    }
    return out;
  }
}

/** The clusters ztunnel balances over: one per service port (no subsets), random, no outlier detection or limits, HBONE to meshed endpoints. */
function toL4Clusters(clusters: Record<string, ClusterXds>): Record<string, ClusterXds> {
  const out = byName<ClusterXds>();
  for (const [name, c] of Object.entries(clusters)) {
    if (c.subset !== undefined) continue;
    out[name] = clusterXds({
      name,
      host: c.host,
      port: c.port,
      endpoints: c.endpoints,
      lb: { kind: 'RANDOM' },
      healthyPanicThreshold: 0,
      thresholds: { maxConnections: ISTIO_UNLIMITED, maxPendingRequests: ISTIO_UNLIMITED, maxRequests: ISTIO_UNLIMITED, maxRetries: ISTIO_UNLIMITED },
      maxRequestsPerConnection: 0,
      // HBONE is HTTP/2 CONNECT: streams share a tunnel, at most 100 at once (ztunnel src/config.rs, DEFAULT_POOL_MAX_STREAMS_PER_CONNECTION).
      http2: { maxConcurrentStreams: HBONE_MAX_STREAMS },
      connectTimeout: c.connectTimeout,
      tls: { mode: 'ISTIO_MUTUAL', auto: true },
      originalDestination: c.originalDestination,
    });
  }
  return out;
}

/** Each virtual host as ztunnel serves it: one route to the service port's endpoints, nothing of L7. */
function toL4VirtualHosts(hosts: Record<string, VirtualHostXds>, clusters: Record<string, ClusterXds>): Record<string, VirtualHostXds> {
  const out = byName<VirtualHostXds>();
  for (const [key, vhost] of Object.entries(hosts)) {
    const cluster = clusterName(vhost.port, undefined, vhost.host);
    const last = vhost.routes[vhost.routes.length - 1];
    const route: RouteXds | undefined = clusters[cluster]
      ? { name: 'ztunnel (L4: no waypoint)', origin: { kind: 'default' }, match: { headers: [], queryParams: [] }, action: routeToClusters({ clusters: [{ cluster, weight: 1 }], timeout: 0, retry: NO_RETRY, mirrors: [] }) }
      : last && last.action.kind === 'route'
        ? { ...last, action: routeToClusters({ ...last.action, timeout: 0, retry: NO_RETRY, mirrors: [] }) }
        : last;
    out[key] = { ...vhost, routes: route ? [route] : [] };
  }
  return out;
}
