import type { DestinationRule, TrafficPolicy } from '../../model/index.ts';
import type { PolicyComponents } from '../compile/mergeTrafficPolicy.ts';
import type { AnalysisContext } from './AnalysisContext.ts';

/** The DestinationRule field a cluster's setting comes from. */
export interface PolicySource {
  rule: DestinationRule;
  path: string;
}

/**
 * Where one component (`tls`, `outlierDetection`, …) of a cluster's policy is
 * written, following the compiler's merge (`mergeTrafficPolicy`, istiod
 * `MergeSubsetTrafficPolicy`): the subset's port-level entry, the subset's own
 * setting, the top-level port-level entry, the top-level policy. A port-level
 * entry replaces the level above wholesale, so a component it omits has no
 * source (the default applies). Undefined: the default.
 */
export function policySource(
  ctx: AnalysisContext,
  host: string,
  port: number,
  subset: string | undefined,
  component: keyof PolicyComponents,
): PolicySource | undefined {
  const merged = ctx.destinationRules.forHost(host);
  if (!merged) return undefined;
  if (subset !== undefined) {
    for (const rule of merged.rules) {
      const index = (rule.spec.subsets ?? []).findIndex((s) => s.name === subset);
      if (index < 0) continue;
      const found = inPolicy(rule, rule.spec.subsets?.[index]?.trafficPolicy, `spec.subsets[${index}].trafficPolicy`, port, component);
      if (found !== 'inherit') return found;
      break;
    }
  }
  const top = merged.rules.find((rule) => rule.spec.trafficPolicy);
  if (!top) return undefined;
  const found = inPolicy(top, top.spec.trafficPolicy, 'spec.trafficPolicy', port, component);
  return found === 'inherit' ? undefined : found;
}

function inPolicy(
  rule: DestinationRule,
  policy: TrafficPolicy | undefined,
  at: string,
  port: number,
  component: keyof PolicyComponents,
): PolicySource | undefined | 'inherit' {
  if (!policy) return 'inherit';
  const index = (policy.portLevelSettings ?? []).findIndex((s) => s.port?.number === port);
  if (index >= 0) {
    return policy.portLevelSettings?.[index]?.[component] !== undefined
      ? { rule, path: `${at}.portLevelSettings[${index}].${component}` }
      : undefined;
  }
  return policy[component] !== undefined ? { rule, path: `${at}.${component}` } : 'inherit';
}
