import { oldestFirst } from '../../model/index.ts';
import type { InboundMtlsMode, PeerAuthentication, PeerAuthMode, Scenario } from '../../model/index.ts';
import { matchesLabels } from '../../model/index.ts';
import type { AnalysisContext } from './AnalysisContext.ts';

/** The PeerAuthentication (and field) that decides a workload port's inbound mTLS mode. */
export interface MtlsDecision {
  mode: InboundMtlsMode;
  /** Undefined when no policy applies (PERMISSIVE by default). */
  policy?: PeerAuthentication;
  path?: string;
}

/**
 * Which PeerAuthentication sets the mode of a workload port, by the same
 * precedence the compiler applies (§6.1): the oldest matching workload policy
 * (its `portLevelMtls` entry for the port first), then the oldest
 * namespace-wide policy, then the mesh-wide one; UNSET defers upwards.
 */
export function mtlsPolicyOf(ctx: AnalysisContext, namespace: string, labels: Record<string, string>, port?: number): MtlsDecision {
  return peerAuthenticationOf(ctx.scenario, namespace, labels, port);
}

/** `mtlsPolicyOf` on a scenario: what `reach` cites when it explains a call. */
export function peerAuthenticationOf(scenario: Scenario, namespace: string, labels: Record<string, string>, port?: number): MtlsDecision {
  const root = scenario.mesh.rootNamespace;
  const policies = [...scenario.peerAuthentications].sort(oldestFirst);
  const selectorOf = (p: PeerAuthentication): Record<string, string> => p.spec.selector?.matchLabels ?? {};
  const hasSelector = (p: PeerAuthentication): boolean => Object.keys(selectorOf(p)).length > 0;
  const workload = policies.find(
    (p) => p.metadata.namespace === namespace && namespace !== root && hasSelector(p) && matchesLabels(selectorOf(p), labels),
  );
  if (workload && port !== undefined) {
    const entry = workload.spec.portLevelMtls?.[String(port)];
    const mode = decided(entry?.mode);
    if (mode) return { mode, policy: workload, path: `spec.portLevelMtls["${port}"].mode` };
  }
  const own = decided(workload?.spec.mtls?.mode);
  if (workload && own) return { mode: own, policy: workload, path: 'spec.mtls.mode' };
  for (const scope of [namespace, root]) {
    const policy = policies.find((p) => p.metadata.namespace === scope && !hasSelector(p));
    const mode = decided(policy?.spec.mtls?.mode);
    if (policy && mode) return { mode, policy, path: 'spec.mtls.mode' };
  }
  return { mode: 'PERMISSIVE' };
}

function decided(mode: PeerAuthMode | undefined): InboundMtlsMode | undefined {
  return mode === undefined || mode === 'UNSET' ? undefined : mode;
}
