import type { AuthzPolicyXds, AuthzRuleXds } from '../../model/index.ts';
import { type AuthzRequest, checkCondition } from './authzMatch.ts';

export type { AuthzRequest } from './authzMatch.ts';

/** The inbound sidecar's verdict, with the reason in plain words for a learner. */
export type AuthzDecision =
  | { allowed: true; reason: string; policy?: string }
  /** `explicit`: a DENY policy matched (`policy` is it), rather than no ALLOW policy (`policy` lists them). */
  | { allowed: false; reason: string; policy: string; explicit: boolean };

type RuleResult = { matched: true; seen: string[] } | { matched: false; failure: string };

/**
 * AuthorizationPolicy evaluation in Istio's order (§7): CUSTOM is not
 * simulated and AUDIT never decides; any matching DENY policy denies; with no
 * ALLOW policy the request is allowed; any matching ALLOW policy allows;
 * otherwise it is denied. Policies are additive and rules OR'ed. Pure; never
 * throws for well-formed compiled policies.
 */
export function authorize(policies: AuthzPolicyXds[], req: AuthzRequest): AuthzDecision {
  const custom = customNote(policies);
  const denies = policies.filter((p) => p.action === 'DENY');
  for (const policy of denies) {
    const hit = firstMatch(policy, req);
    if (hit !== undefined) return { allowed: false, explicit: true, policy: policy.name, reason: `DENY policy ${policy.name} matched: ${hit}` };
  }
  const allows = policies.filter((p) => p.action === 'ALLOW');
  if (allows.length === 0) {
    return { allowed: true, reason: `${nothingToAllow(policies.length, denies.length)}, so the request is allowed${custom}` };
  }
  for (const policy of allows) {
    const hit = firstMatch(policy, req);
    if (hit !== undefined) return { allowed: true, policy: policy.name, reason: `ALLOW policy ${policy.name} matched: ${hit}${custom}` };
  }
  return {
    allowed: false,
    explicit: false,
    policy: allows.map((p) => p.name).join(', '),
    reason: `no ALLOW policy matched (${allows.map((p) => explainMiss(p, req)).join('; ')})`,
  };
}

/** What the first matching rule of the policy saw, or undefined when no rule matches. */
function firstMatch(policy: AuthzPolicyXds, req: AuthzRequest): string | undefined {
  for (const rule of policy.rules) {
    const result = matchRule(rule, req);
    if (result.matched) return result.seen.length > 0 ? [...new Set(result.seen)].join(', ') : 'every request (the rule sets no conditions)';
  }
  return undefined;
}

/** A rule holds when one source, one operation and every `when` hold; empty lists hold for anything (§7). */
function matchRule(rule: AuthzRuleXds, req: AuthzRequest): RuleResult {
  if (rule.never !== undefined) return { matched: false, failure: `${rule.path} never matches: ${rule.never}` };
  const seen: string[] = [];
  for (const [group, noun] of [[rule.from, 'source'], [rule.to, 'operation']] as const) {
    if (group.length === 0) continue;
    const checked = group.map((conditions) => conditions.map((c) => checkCondition(c, req)));
    const passing = checked.find((checks) => checks.every((c) => c.holds));
    if (!passing) {
      const failure = checked[0]?.find((c) => !c.holds)?.failure ?? `no ${noun} matches`;
      const others = group.length === 1 ? '' : group.length === 2 ? ` (nor does its other ${noun})` : ` (nor do its other ${group.length - 1} ${noun}s)`;
      return { matched: false, failure: `${failure}${others}` };
    }
    seen.push(...passing.map((c) => c.seen));
  }
  for (const condition of rule.when) {
    const check = checkCondition(condition, req);
    if (!check.holds) return { matched: false, failure: check.failure ?? `${condition.field} does not hold` };
    seen.push(check.seen);
  }
  return { matched: true, seen };
}

/** Why an ALLOW policy did not match: its first rule's first failing condition. */
function explainMiss(policy: AuthzPolicyXds, req: AuthzRequest): string {
  const [first, ...rest] = policy.rules;
  if (!first) return `${policy.name} has no rules, so it allows nothing`;
  const result = matchRule(first, req);
  const failure = result.matched ? 'matches' : result.failure;
  const others = rest.length === 0 ? '' : rest.length === 1 ? ' (nor does its other rule)' : ` (nor do its other ${rest.length} rules)`;
  return `${policy.name} ${failure}${others}`;
}

function nothingToAllow(policies: number, denies: number): string {
  if (policies === 0) return 'no AuthorizationPolicy applies to this workload';
  return denies > 0 ? 'no DENY policy matched and there is no ALLOW policy' : 'there is no DENY or ALLOW policy';
}

function customNote(policies: AuthzPolicyXds[]): string {
  const names = policies.filter((p) => p.action === 'CUSTOM').map((p) => p.name);
  return names.length > 0 ? ` (CUSTOM ${names.join(', ')} is not simulated)` : '';
}
