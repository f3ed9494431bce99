import type { AuthorizationPolicy, Diagnostic, Workload } from '../../model/index.ts';
import { matchesLabels } from '../../model/index.ts';
import type { Analyzer } from './Analyzer.ts';
import { finding, type AnalysisContext } from './AnalysisContext.ts';
import { listText } from './destinationsOf.ts';
import { mtlsPolicyOf } from './mtlsPolicyOf.ts';

/** Source fields that come from the peer certificate (§7), and their negations. */
const IDENTITY_FIELDS = ['principals', 'namespaces', 'serviceAccounts'];
const NEGATED_FIELDS = ['notPrincipals', 'notNamespaces', 'notServiceAccounts'];

/**
 * An AuthorizationPolicy that matches on peer identity (principals,
 * namespaces, service accounts) on workloads where mTLS is not STRICT:
 * plaintext requests carry no identity, so a positive condition never holds
 * for them and a negated one always does (§7). Kiali KIA0105.
 */
export const principalsWithoutMtls: Analyzer = {
  name: 'principalsWithoutMtls',
  run(ctx) {
    return ctx.scenario.authorizationPolicies.flatMap((policy) => check(ctx, policy));
  },
};

function check(ctx: AnalysisContext, policy: AuthorizationPolicy): Diagnostic[] {
  const open = targets(ctx, policy).flatMap((w) => {
    const mode = mtlsPolicyOf(ctx, w.namespace, w.labels).mode;
    return w.sidecar && mode !== 'STRICT' ? [{ name: w.name, mode }] : [];
  });
  if (open.length === 0) return [];
  const action = policy.spec.action ?? 'ALLOW';
  const mode = listText([...new Set(open.map((o) => o.mode))].sort());
  const workloads = listText(open.map((o) => o.name).sort());
  const found: Diagnostic[] = [];
  (policy.spec.rules ?? []).forEach((rule, i) =>
    (rule.from ?? []).forEach((from, j) => {
      for (const field of [...IDENTITY_FIELDS, ...NEGATED_FIELDS]) {
        if (!from.source?.[field]?.length) continue;
        found.push(
          finding('PrincipalsWithoutMtls', policy, `spec.rules[${i}].from[${j}].source.${field}`, {
            field,
            workloads,
            mode,
            effect: effect(action, NEGATED_FIELDS.includes(field)),
          }),
        );
      }
    }),
  );
  return found;
}

function effect(action: string, negated: boolean): string {
  if (negated) {
    if (action === 'DENY') return 'they always satisfy this condition and this DENY rule refuses every one of them';
    return 'they always satisfy this condition, whatever their origin';
  }
  if (action === 'DENY') return 'they never match this rule and get past this DENY';
  if (action === 'ALLOW') return 'they never match this rule and are denied unless another rule allows them';
  return 'they never match this rule';
}

/** The workloads a policy applies to: its selector in its namespace; mesh-wide in the root namespace. */
export function targets(ctx: AnalysisContext, policy: { metadata: { namespace: string }; spec: { selector?: { matchLabels?: Record<string, string> } } }): Workload[] {
  const namespace = policy.metadata.namespace;
  const selector = policy.spec.selector?.matchLabels ?? {};
  const meshWide = namespace === ctx.scenario.mesh.rootNamespace && Object.keys(selector).length === 0;
  return ctx.scenario.workloads.filter((w) => (meshWide || w.namespace === namespace) && matchesLabels(selector, w.labels));
}
