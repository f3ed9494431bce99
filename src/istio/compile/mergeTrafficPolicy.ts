import type { TrafficPolicy } from '../../model/index.ts';

/** The parts of a DestinationRule traffic policy that shape one cluster. */
export type PolicyComponents = Pick<TrafficPolicy, 'connectionPool' | 'loadBalancer' | 'outlierDetection' | 'tls' | 'retryBudget'>;

const COMPONENTS = ['connectionPool', 'loadBalancer', 'outlierDetection', 'tls', 'retryBudget'] as const;

/**
 * The policy one cluster (service port, optionally a subset) gets, following
 * istiod's `MergeSubsetTrafficPolicy`: the top-level policy, replaced by its
 * `portLevelSettings` for this port; then each component the subset sets
 * overrides it, and the subset's own port-level entry replaces them all.
 * A port-level entry replaces *wholesale*: a component it omits falls back to
 * the default, not to the level above (DestinationRule API docs).
 */
export function mergeTrafficPolicy(
  top: TrafficPolicy | undefined,
  subset: TrafficPolicy | undefined,
  port: number,
): PolicyComponents {
  const base = forPort(top, port).policy;
  if (!subset) return base;
  const { policy: own, portLevel } = forPort(subset, port);
  const merged: PolicyComponents = { ...base };
  for (const key of COMPONENTS) {
    if (own[key] !== undefined || portLevel) assign(merged, key, own[key]);
  }
  return merged;
}

function forPort(policy: TrafficPolicy | undefined, port: number): { policy: PolicyComponents; portLevel: boolean } {
  if (!policy) return { policy: {}, portLevel: false };
  const entry = policy.portLevelSettings?.find((setting) => setting.port?.number === port);
  return { policy: pick(entry ?? policy), portLevel: entry !== undefined };
}

function pick(policy: PolicyComponents): PolicyComponents {
  const out: PolicyComponents = {};
  for (const key of COMPONENTS) assign(out, key, policy[key]);
  return out;
}

function assign<K extends keyof PolicyComponents>(target: PolicyComponents, key: K, value: PolicyComponents[K]): void {
  if (value === undefined) delete target[key];
  else target[key] = value;
}
