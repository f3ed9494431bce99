import { bindWaypoints } from '../compile/ambient/bindWaypoints.ts';
import type { Analyzer } from './Analyzer.ts';
import { finding } from './AnalysisContext.ts';

/**
 * Ambient's trap (§11): without a waypoint only L4 applies. A VirtualService,
 * a Gateway API HTTPRoute whose parent is the Service, or a DestinationRule's
 * traffic policy for a service no waypoint serves is silently not applied to
 * requests from ambient pods (ztunnel never parses HTTP). One finding per
 * resource (per parentRef for an HTTPRoute), naming what it loses. Istio
 * shows this only in status: the Service's `istio.io/WaypointBound`
 * condition, and on an HTTPRoute the `ResolvedWaypoints` condition false
 * with "istio.io/use-waypoint label missing from parent and parent
 * namespace; in ambient mode, route will not be respected" (Istio src
 * `pilot/pkg/config/kube/gateway/conditions.go`, `referenceAllowed` in
 * `conversion.go`), so there is no istioctl code to cite.
 */
export const ambientRoutingWithoutWaypoint: Analyzer = {
  name: 'ambientRoutingWithoutWaypoint',
  flavors: ['istio-ambient'],
  run(ctx) {
    if (!ctx.scenario.pods.some((p) => p.ambient)) return [];
    const bound = bindWaypoints(ctx.scenario, ctx.services).byHost;
    const unbound = (host: string, namespace: string): string | undefined => {
      const entry = ctx.serviceFor(host, namespace);
      return entry && !bound.has(entry.fqdn) && entry.pods.some((p) => p.ambient) ? entry.fqdn : undefined;
    };
    const fromRoutes = ctx.scenario.virtualServices.flatMap((vs) => {
      const hosts = (vs.spec.hosts ?? []).map((h) => unbound(h, vs.metadata.namespace)).filter((h): h is string => h !== undefined);
      if (hosts.length === 0) return [];
      const http = vs.spec.http ?? [];
      const features = [
        'routes',
        ...(http.some((r) => r.retries) ? ['retries'] : []),
        ...(http.some((r) => r.timeout) ? ['timeouts'] : []),
        ...(http.some((r) => r.fault) ? ['fault injection'] : []),
        ...(http.some((r) => r.mirror || r.mirrors) ? ['mirroring'] : []),
      ];
      return hosts.map((host) => finding('AmbientRoutingWithoutWaypoint', vs, 'spec.hosts', { host, features: features.join(', ') }));
    });
    const fromRules = ctx.scenario.destinationRules.flatMap((dr) => {
      const host = unbound(dr.spec.host, dr.metadata.namespace);
      const policy = dr.spec.trafficPolicy;
      if (host === undefined) return [];
      const features = [
        ...(policy?.outlierDetection ? ['outlier detection'] : []),
        ...(policy?.connectionPool ? ['connection limits'] : []),
        ...(policy?.loadBalancer ? ['load balancing'] : []),
        ...((dr.spec.subsets ?? []).length > 0 ? ['subsets'] : []),
      ];
      return features.length === 0 ? [] : [finding('AmbientRoutingWithoutWaypoint', dr, 'spec.host', { host, features: features.join(', ') })];
    });
    const fromHttpRoutes = ctx.scenario.httpRoutes.flatMap((route) =>
      (route.spec.parentRefs ?? []).flatMap((ref, i) => {
        if ((ref.kind ?? 'Gateway') !== 'Service') return [];
        const host = unbound(ref.name, ref.namespace ?? route.metadata.namespace);
        if (host === undefined) return [];
        const rules = route.spec.rules ?? [];
        const features = [
          'routes',
          ...(rules.some((r) => (r.backendRefs ?? []).length > 1) ? ['weighted backends'] : []),
          ...(rules.some((r) => r.timeouts) ? ['timeouts'] : []),
          ...(rules.some((r) => (r.filters ?? []).length > 0) ? ['filters'] : []),
        ];
        return [finding('AmbientRoutingWithoutWaypoint', route, `spec.parentRefs[${i}]`, { host, features: features.join(', ') })];
      }),
    );
    return [...fromRoutes, ...fromHttpRoutes, ...fromRules];
  },
};
