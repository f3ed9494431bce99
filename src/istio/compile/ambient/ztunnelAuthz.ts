import type { AuthorizationPolicy, AuthzConditionXds, AuthzPolicyXds, AuthzRuleXds } from '../../../model/index.ts';
import type { DiagnosticSink } from '../DiagnosticSink.ts';

/** `from.source` fields ztunnel cannot read (Istio src `pilot/pkg/serviceregistry/ambient/authorization.go`, `httpSources`). */
const HTTP_SOURCE = ['remoteIpBlocks', 'notRemoteIpBlocks', 'requestPrincipals', 'notRequestPrincipals'];
/** `to.operation` fields ztunnel cannot read (same file, `httpOperations`). */
const HTTP_OPERATION = ['hosts', 'notHosts', 'methods', 'notMethods', 'paths', 'notPaths'];
/** The only `when` keys ztunnel evaluates (same file, `l4WhenAttributes`). */
const L4_WHEN = new Set(['source.ip', 'source.namespace', 'source.principal', 'destination.ip', 'destination.port']);

/**
 * A selector (or namespace-wide) AuthorizationPolicy as the destination's
 * ztunnel enforces it, from istiod's conversion for ztunnel
 * (`convertAuthorizationPolicy` / `handleRule`, Istio src
 * `pilot/pkg/serviceregistry/ambient/authorization.go`):
 *
 * - ALLOW: a rule that uses an HTTP attribute never matches (so an ALLOW
 *   whose every rule is HTTP allows nothing — the "fails safe" of §11).
 * - DENY: the HTTP attributes are dropped and the rest is enforced — it
 *   denies more than written; a rule left with nothing ztunnel can match is
 *   skipped, so a DENY made only of HTTP attributes has no effect.
 * - CUSTOM and AUDIT are not supported by ztunnel: undefined (not applied).
 *
 * mesh-semantics §11 words this as "fails safe by becoming a DENY policy"
 * (istio.io `docs/ambient/usage/l4-policy`); istiod's source is the more
 * exact statement, and is what this follows. Each case is reported (MV0700).
 */
export function toZtunnelPolicy(policy: AuthorizationPolicy, compiled: AuthzPolicyXds, diagnostics: DiagnosticSink): AuthzPolicyXds | undefined {
  if (compiled.action === 'CUSTOM' || compiled.action === 'AUDIT') {
    diagnostics.report('AmbientActionAtZtunnel', { resource: policy, path: 'spec.action' }, { action: compiled.action });
    return undefined;
  }
  const found = new Set<string>();
  const rules = compiled.rules.map((rule, i) => {
    const { names: http, whenFields } = httpAttributes(policy, i);
    for (const name of http) found.add(name);
    if (http.length === 0 || rule.never) return rule;
    if (compiled.action === 'ALLOW') return { ...rule, never: `ztunnel omits ALLOW rules with HTTP attributes (${http.join(', ')})` };
    return withoutHttp(rule, whenFields);
  });
  if (found.size === 0) return compiled;
  const names = [...found].sort().join(', ');
  const effective = rules.some((r) => !r.never);
  const outcome =
    compiled.action === 'ALLOW'
      ? 'Within an ALLOW policy the rules using them are left out, which allows less than written.'
      : effective
        ? 'The DENY policy is enforced without them, which denies more than written.'
        : 'Without them this DENY policy has nothing ztunnel can enforce: it has no effect.';
  diagnostics.report('AmbientHttpAttributesAtZtunnel', { resource: policy, path: 'spec.rules' }, { found: names, outcome });
  return { ...compiled, rules };
}

/** The HTTP attributes rule `i` of the policy uses, by field or `when` key, and the compiled fields of its HTTP `when` conditions. */
function httpAttributes(policy: AuthorizationPolicy, i: number): { names: string[]; whenFields: Set<string> } {
  const rule = policy.spec.rules?.[i];
  const whenFields = new Set<string>();
  if (!rule) return { names: [], whenFields };
  const out: string[] = [];
  for (const from of rule.from ?? []) for (const name of HTTP_SOURCE) if (from?.source?.[name] !== undefined) out.push(name);
  for (const to of rule.to ?? []) for (const name of HTTP_OPERATION) if (to?.operation?.[name] !== undefined) out.push(name);
  (rule.when ?? []).forEach((when, k) => {
    if (typeof when?.key !== 'string' || L4_WHEN.has(when.key)) return;
    out.push(when.key);
    whenFields.add(`rules[${i}].when[${k}]`);
  });
  return { names: [...new Set(out)], whenFields };
}

/** A DENY rule without its HTTP conditions; a source or operation left empty is skipped, as ztunnel skips an empty match. */
function withoutHttp(rule: AuthzRuleXds, httpWhen: ReadonlySet<string>): AuthzRuleXds {
  const from = rule.from.map((c) => c.filter((x) => !isHttpField(x, HTTP_SOURCE))).filter((c) => c.length > 0);
  const to = rule.to.map((c) => c.filter((x) => !isHttpField(x, HTTP_OPERATION))).filter((c) => c.length > 0);
  const when = rule.when.filter((c) => !httpWhen.has(c.field));
  if (from.length === 0 && to.length === 0 && when.length === 0) return { ...rule, from, to, when, never: 'nothing in this DENY rule is enforceable at ztunnel' };
  return { ...rule, from, to, when };
}

function isHttpField(condition: AuthzConditionXds, names: readonly string[]): boolean {
  const dot = condition.field.lastIndexOf('.');
  return names.includes(condition.field.slice(dot + 1));
}
