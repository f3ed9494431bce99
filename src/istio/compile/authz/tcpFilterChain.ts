import type { AuthorizationPolicy, AuthzConditionXds, AuthzPolicyXds, AuthzRuleXds } from '../../../model/index.ts';
import type { DiagnosticSink } from '../DiagnosticSink.ts';

/** What Envoy's network RBAC filter cannot read on a TCP connection: request hosts, methods, paths, headers and JWT attributes. */
const HTTP_ONLY = new Set(['host', 'method', 'path', 'header', 'jwt']);

/**
 * A policy as a sidecar enforces it on a port it carries as TCP, where
 * Envoy's network RBAC filter sees no HTTP (istiod's builder with
 * `forTCP`, Istio src `pilot/pkg/security/authz/model/model.go`
 * `checkError`, `generatePermission`, `generatePrincipal`;
 * `builder/builder.go` "skipped rule … on TCP filter chain"):
 *
 * - ALLOW: a rule that uses an HTTP-only field is left out (it allows
 *   less than written);
 * - DENY and AUDIT: the HTTP-only fields are dropped and the rest of the
 *   rule is kept; a source or operation left with nothing matches any
 *   connection (istiod fills it with "any"), so it denies more than written.
 *
 * Unchanged when no rule uses such a field; otherwise the finding is
 * reported once per policy (MV0337).
 */
export function forTcpFilterChain(policy: AuthorizationPolicy, compiled: AuthzPolicyXds, diagnostics: DiagnosticSink): AuthzPolicyXds {
  const found = new Set<string>();
  const rules = compiled.rules.map((rule): AuthzRuleXds => {
    const http = httpOnlyFields(rule);
    if (http.length === 0 || rule.never !== undefined) return rule;
    for (const name of http) found.add(name);
    if (compiled.action === 'ALLOW') return { ...rule, never: `on a TCP port Envoy cannot read ${http.join(', ')}: istiod leaves this ALLOW rule out` };
    const keep = (conditions: AuthzConditionXds[]): AuthzConditionXds[] => conditions.filter((c) => !HTTP_ONLY.has(c.attribute.kind));
    return { ...rule, from: rule.from.map(keep), to: rule.to.map(keep), when: keep(rule.when) };
  });
  if (found.size === 0) return compiled;
  const outcome = compiled.action === 'ALLOW' ? 'the ALLOW rules using them are left out there, which allows less than written' : 'the policy is enforced there without them, which denies more than written';
  diagnostics.report('AuthzHttpFieldsOnTcpPort', { resource: policy, path: 'spec.rules' }, { found: [...found].sort().join(', '), outcome });
  return { ...compiled, rules };
}

/** The rule's HTTP-only fields, as the policy names them (`methods`, `request.headers[x-user]`). */
function httpOnlyFields(rule: AuthzRuleXds): string[] {
  const names = new Set<string>();
  for (const c of [...rule.from.flat(), ...rule.to.flat(), ...rule.when]) if (HTTP_ONLY.has(c.attribute.kind)) names.add(fieldName(c));
  return [...names];
}

function fieldName(c: AuthzConditionXds): string {
  if (c.attribute.kind === 'header') return `request.headers[${c.attribute.name}]`;
  if (c.attribute.kind === 'jwt') return c.attribute.key;
  return c.field.slice(c.field.lastIndexOf('.') + 1);
}
