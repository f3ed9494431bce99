import { oldestFirst } from '../../../model/index.ts';
import type { AuthorizationPolicy, AuthzPolicyXds, Diagnostic, Pod, Scenario } from '../../../model/index.ts';
import { DiagnosticSink, resourceRef } from '../DiagnosticSink.ts';
import { matchesLabels } from '../../../model/index.ts';
import { compileRule } from './compileRule.ts';
import { forTcpFilterChain } from './tcpFilterChain.ts';

/** The policies one sidecar enforces, and what compiling them found. */
export interface AuthzCompileResult {
  /** Oldest first (`oldestFirst`: creationTimestamp, then input order). */
  policies: AuthzPolicyXds[];
  /** With `tcp`: the same policies as enforced on the pod's TCP ports (`forTcpFilterChain`). */
  tcpPolicies?: AuthzPolicyXds[];
  diagnostics: Diagnostic[];
}

const DRY_RUN = 'istio.io/dry-run';

/**
 * The AuthorizationPolicies a pod's sidecar applies (§7), compiled. A policy
 * applies when it sits in the pod's namespace or in the root namespace
 * (mesh-wide) and its `selector.matchLabels` is absent or matches the pod's
 * labels — a selector in the root namespace matches pods of every
 * namespace. `targetRef(s)` policies belong to waypoints and gateways and are
 * skipped; `istio.io/dry-run` policies are not enforced. CUSTOM policies are
 * kept (the engine ignores them) and reported.
 *
 * Diagnostics cover every policy in scope of the pod's namespace, selected or
 * not, so the same finding comes back for each pod: de-duplicate by
 * code, resource, path and message (as `DiagnosticSink` does).
 */
export function compileAuthz(scenario: Scenario, pod: Pod, options: { tcp?: boolean } = {}): AuthzCompileResult {
  const diagnostics = new DiagnosticSink();
  const root = scenario.mesh.rootNamespace;
  const policies: AuthzPolicyXds[] = [];
  const tcpPolicies: AuthzPolicyXds[] = [];
  const inScope = scenario.authorizationPolicies
    .filter((p) => p.metadata.namespace === pod.namespace || p.metadata.namespace === root)
    .sort(oldestFirst);
  for (const policy of inScope) {
    if (hasTargetRefs(policy)) {
      diagnostics.report('AuthzTargetRefsSkipped', { resource: policy, path: policy.spec.targetRefs ? 'spec.targetRefs' : 'spec.targetRef' });
      continue;
    }
    const compiled = compilePolicy(policy, diagnostics);
    if (isDryRun(policy)) {
      diagnostics.report('AuthzDryRun', { resource: policy, path: `metadata.annotations.${DRY_RUN}` });
      continue;
    }
    if (!matchesLabels(policy.spec.selector?.matchLabels, pod.labels)) continue;
    policies.push(compiled);
    if (options.tcp) tcpPolicies.push(forTcpFilterChain(policy, compiled, diagnostics));
  }
  return { policies, ...(options.tcp ? { tcpPolicies } : {}), diagnostics: diagnostics.list() };
}

/** One policy, compiled with every rule (§7). */
export function compilePolicy(policy: AuthorizationPolicy, diagnostics: DiagnosticSink): AuthzPolicyXds {
  const action = policy.spec.action ?? 'ALLOW';
  if (action === 'CUSTOM') {
    const provider = policy.spec.provider?.name;
    diagnostics.report('AuthzCustomNotEnforced', { resource: policy, path: 'spec.action' }, {
      provider: provider ? `"${provider}"` : '(none named)',
    });
  }
  const ctx = { policy, action, diagnostics };
  const rules = Array.isArray(policy.spec.rules) ? policy.spec.rules.map((rule, i) => compileRule(rule, i, ctx)) : [];
  return { name: resourceRef(policy), action, rules };
}

/** Whether the policy is attached by `targetRef(s)` (to a waypoint, a gateway or a Service) rather than by selector. */
export function hasTargetRefs(policy: AuthorizationPolicy): boolean {
  const { targetRef, targetRefs } = policy.spec;
  return (targetRef !== undefined && targetRef !== null) || (Array.isArray(targetRefs) && targetRefs.length > 0);
}

/** `istio.io/dry-run`: Istio only logs what the policy would decide. */
export function isDryRun(policy: AuthorizationPolicy): boolean {
  // istiod reads the annotation with Go's strconv.ParseBool.
  return ['1', 't', 'T', 'true', 'TRUE', 'True'].includes(policy.metadata.annotations[DRY_RUN] ?? '');
}
