import { waypointKey, waypointName } from '../../model/index.ts';
import { bindWaypoints } from '../compile/ambient/bindWaypoints.ts';
import { hasTargetRefs, isDryRun } from '../compile/authz/compileAuthz.ts';
import type { Analyzer } from './Analyzer.ts';
import { finding } from './AnalysisContext.ts';
import { callPaths } from './callPaths.ts';
import { listText } from './destinationsOf.ts';

/**
 * Sidecars and waypoints in one mesh (§11): a pod with a sidecar calling a
 * Service bound to a waypoint routes the call itself and sends it straight
 * to the Service's pods — istiod points a sidecar's endpoints at the pods,
 * and only ingress gateways (with `istio.io/ingress-use-waypoint`) and
 * east-west gateways at a waypoint (Istio src
 * `pilot/pkg/xds/endpoints/endpoint_builder.go`, `findServiceWaypoint` and
 * the comment on service waypoints in `buildEnvoyLbEndpoint`). So an
 * AuthorizationPolicy attached to the waypoint or its Service by
 * `targetRefs` does not apply to those callers: one finding per such
 * policy reference, naming the sidecar workloads the Simulation has
 * calling the Services it covers, and the ingress gateways whose routes
 * reach them without `istio.io/ingress-use-waypoint` (with it the gateway
 * hands them to the waypoint, which enforces the policy).
 */
export const ambientWaypointBypassedBySidecars: Analyzer = {
  name: 'ambientWaypointBypassedBySidecars',
  flavors: ['istio-ambient'],
  run(ctx) {
    const binding = bindWaypoints(ctx.scenario, ctx.services);
    if (binding.byHost.size === 0) return [];
    const sidecarWorkloads = new Set(ctx.scenario.pods.filter((p) => p.sidecar && !p.ambient && !p.gateway && !p.external).map((p) => p.workload));
    const callers = new Map<string, Set<string>>();
    for (const hop of callPaths(ctx).flat()) {
      if (!sidecarWorkloads.has(hop.caller) || !binding.byHost.has(hop.host)) continue;
      let set = callers.get(hop.host);
      if (!set) callers.set(hop.host, (set = new Set()));
      set.add(hop.caller);
    }
    for (const pod of ctx.scenario.pods) {
      const proxy = pod.gateway ? ctx.xds.proxies[pod.name] : undefined;
      if (!proxy) continue;
      for (const vhost of Object.values(proxy.virtualHosts)) {
        for (const route of vhost.routes) {
          if (route.action.kind !== 'route') continue;
          for (const { cluster } of route.action.clusters) {
            const host = ctx.clusters[cluster]?.host;
            if (host === undefined || !binding.byHost.has(host) || binding.ingress.has(host)) continue;
            let set = callers.get(host);
            if (!set) callers.set(host, (set = new Set()));
            set.add(`${pod.workload} (an ingress gateway)`);
          }
        }
      }
    }
    if (callers.size === 0) return [];
    return ctx.scenario.authorizationPolicies.flatMap((policy) => {
      if (!hasTargetRefs(policy) || isDryRun(policy)) return [];
      const namespace = policy.metadata.namespace;
      const refs = policy.spec.targetRefs ?? (policy.spec.targetRef ? [policy.spec.targetRef] : []);
      return refs.flatMap((ref, i) => {
        if (ref.name === undefined) return [];
        const hosts =
          ref.kind === 'Gateway'
            ? [...binding.byHost].filter(([, key]) => key === waypointKey(namespace, ref.name as string)).map(([host]) => host)
            : ref.kind === 'Service'
              ? [ctx.serviceFor(ref.name, namespace)?.fqdn].filter((h): h is string => h !== undefined && binding.byHost.has(h))
              : [];
        const covered = hosts.filter((h) => callers.has(h));
        if (covered.length === 0) return [];
        const workloads = [...new Set(covered.flatMap((h) => [...(callers.get(h) as Set<string>)]))].sort();
        const waypoint = waypointName(binding.byHost.get(covered[0] as string) as string);
        const path = policy.spec.targetRefs ? `spec.targetRefs[${i}]` : 'spec.targetRef';
        return [finding('AmbientWaypointBypassedBySidecars', policy, path, { callers: listText(workloads), services: listText(covered.map((h) => h.split('.')[0] as string)), waypoint })];
      });
    });
  },
};
