import { waypointKey, waypointName } from '../../model/index.ts';
import { bindWaypoints } from '../compile/ambient/bindWaypoints.ts';
import { hasTargetRefs } from '../compile/authz/compileAuthz.ts';
import { matchesLabels } from '../../model/index.ts';
import type { Analyzer } from './Analyzer.ts';
import { finding } from './AnalysisContext.ts';

/**
 * AuthorizationPolicies in ambient that do not do what they look like (§7,
 * §11): one attached by `targetRefs` to a Service no waypoint serves (or to
 * a Gateway that is no waypoint) is enforced by nobody; one that selects
 * pods is enforced by their ztunnel, which, for traffic through a waypoint,
 * sees the waypoint's identity rather than the caller's — so rules on
 * callers' principals or namespaces do not match it.
 */
export const ambientPolicyTargets: Analyzer = {
  name: 'ambientPolicyTargets',
  flavors: ['istio-ambient'],
  run(ctx) {
    const binding = bindWaypoints(ctx.scenario, ctx.services);
    return ctx.scenario.authorizationPolicies.flatMap((policy) => {
      const namespace = policy.metadata.namespace;
      if (hasTargetRefs(policy)) {
        const refs = policy.spec.targetRefs ?? (policy.spec.targetRef ? [policy.spec.targetRef] : []);
        return refs.flatMap((ref, i) => {
          const path = policy.spec.targetRefs ? `spec.targetRefs[${i}]` : 'spec.targetRef';
          if (ref.kind === 'Gateway' && ref.name !== undefined && !binding.waypoints.has(waypointKey(namespace, ref.name))) {
            return [finding('AmbientPolicyTargetWithoutWaypoint', policy, path, { target: `Gateway ${namespace}/${ref.name} (not a waypoint)` })];
          }
          if (ref.kind === 'Service' && ref.name !== undefined) {
            const entry = ctx.serviceFor(ref.name, namespace);
            if (entry && !binding.byHost.has(entry.fqdn)) return [finding('AmbientPolicyTargetWithoutWaypoint', policy, path, { target: `Service ${namespace}/${ref.name}` })];
          }
          return [];
        });
      }
      const usesCallers = (policy.spec.rules ?? []).some((r) => (r.from ?? []).some((f) => ['principals', 'notPrincipals', 'namespaces', 'notNamespaces', 'serviceAccounts'].some((k) => f?.source?.[k] !== undefined)));
      if (!usesCallers) return [];
      const viaWaypoint = ctx.services.all.filter(
        (s) => s.service.namespace === namespace && binding.byHost.has(s.fqdn) && s.pods.some((p) => p.ambient && matchesLabels(policy.spec.selector?.matchLabels, p.labels)),
      );
      if (viaWaypoint.length === 0) return [];
      const waypoints = [...new Set(viaWaypoint.map((s) => waypointName(binding.byHost.get(s.fqdn) ?? '')))].join(', ');
      return [finding('AmbientZtunnelPolicyBypassedByWaypoint', policy, 'spec.rules', { services: viaWaypoint.map((s) => s.service.name).join(', '), waypoint: waypoints })];
    });
  },
};
