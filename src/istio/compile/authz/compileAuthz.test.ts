import { describe, expect, it } from 'vitest';
import type { AuthorizationPolicy, AuthorizationPolicySpec, AuthzConditionXds, AuthzRuleXds, Diagnostic } from '../../../model/index.ts';
import { pod, scenarioOf } from '../testing/scenarioBuilder.ts';
import { compileAuthz } from './compileAuthz.ts';

function policy(name: string, spec: AuthorizationPolicySpec, options: { namespace?: string; order?: number; annotations?: Record<string, string> } = {}): AuthorizationPolicy {
  return {
    apiVersion: 'security.istio.io/v1',
    kind: 'AuthorizationPolicy',
    metadata: { name, namespace: options.namespace ?? 'default', labels: {}, annotations: options.annotations ?? {} },
    spec,
    order: options.order ?? 0,
    source: { file: 'authz.yaml', line: 1, col: 1 },
  };
}

const web = pod('web-0', { labels: { app: 'web', version: 'v1' } });
const other = pod('db-0', { namespace: 'data', labels: { app: 'db' } });

function compile(policies: AuthorizationPolicy[], target = web) {
  return compileAuthz(scenarioOf({ pods: [web, other], authorizationPolicies: policies }), target);
}
const names = (policies: AuthorizationPolicy[], target = web) => compile(policies, target).policies.map((p) => p.name);
const codes = (diagnostics: Diagnostic[]) => diagnostics.map((d) => `${d.code} ${d.path ?? ''}`);

/** One line per condition: `from[0]: namespace not in [prefix prod]`. */
function summarize(rule: AuthzRuleXds | undefined): string[] {
  const line = (where: string, c: AuthzConditionXds): string => {
    const attribute = c.attribute.kind === 'header' ? `header ${c.attribute.name}` : c.attribute.kind;
    const values = c.values.map((v) => `${v.kind} ${'value' in v ? v.value : v.text}`).join(', ');
    return `${where}: ${attribute} ${c.negate ? 'not in' : 'in'} [${values}]`;
  };
  if (!rule) return [];
  return [
    ...rule.from.flatMap((source, j) => source.map((c) => line(`from[${j}]`, c))),
    ...rule.to.flatMap((operation, j) => operation.map((c) => line(`to[${j}]`, c))),
    ...rule.when.map((c) => line('when', c)),
  ];
}

describe('which policies apply to a pod (§7 scope)', () => {
  it('same namespace with no selector, or a selector matching the pod labels', () => {
    const policies = [
      policy('ns-wide', {}),
      policy('for-web', { selector: { matchLabels: { app: 'web' } } }),
      policy('for-db', { selector: { matchLabels: { app: 'db' } } }),
      policy('other-ns', {}, { namespace: 'data' }),
    ];
    expect(names(policies)).toEqual(['AuthorizationPolicy/default/ns-wide', 'AuthorizationPolicy/default/for-web']);
    expect(names(policies, other)).toEqual(['AuthorizationPolicy/data/other-ns']);
  });

  it('root-namespace policies apply mesh-wide; their selector matches pods of every namespace', () => {
    const policies = [
      policy('mesh', {}, { namespace: 'istio-system' }),
      policy('mesh-db', { selector: { matchLabels: { app: 'db' } } }, { namespace: 'istio-system' }),
    ];
    expect(names(policies)).toEqual(['AuthorizationPolicy/istio-system/mesh']);
    expect(names(policies, other)).toEqual(['AuthorizationPolicy/istio-system/mesh', 'AuthorizationPolicy/istio-system/mesh-db']);
  });

  it('oldest first, whatever the input order', () => {
    expect(names([policy('newer', {}, { order: 2 }), policy('older', {}, { order: 1 })])).toEqual([
      'AuthorizationPolicy/default/older',
      'AuthorizationPolicy/default/newer',
    ]);
  });

  it('targetRefs policies are for waypoints and gateways: skipped, with a diagnostic', () => {
    const result = compile([policy('waypoint', { targetRefs: [{ kind: 'Service', group: '', name: 'web' }] })]);
    expect(result.policies).toEqual([]);
    expect(codes(result.diagnostics)).toEqual(['MV0331 spec.targetRefs']);
  });

  it('istio.io/dry-run policies are not enforced', () => {
    const result = compile([policy('trial', { action: 'DENY', rules: [{}] }, { annotations: { 'istio.io/dry-run': 'true' } })]);
    expect(result.policies).toEqual([]);
    expect(codes(result.diagnostics)).toEqual(['MV0332 metadata.annotations.istio.io/dry-run']);
  });

  it('CUSTOM is kept (the engine ignores it) and reported as not enforced', () => {
    const result = compile([policy('ext', { action: 'CUSTOM', provider: { name: 'oauth2-proxy' }, rules: [{}] })]);
    expect(result.policies.map((p) => p.action)).toEqual(['CUSTOM']);
    expect(result.diagnostics).toMatchObject([
      {
        code: 'MV0330',
        severity: 'warning',
        resource: 'AuthorizationPolicy/default/ext',
        path: 'spec.action',
        message: 'action CUSTOM asks the external authorizer "oauth2-proxy", which meshviz does not simulate: this policy is not enforced',
      },
    ]);
  });
});

describe('normalized rules (§7)', () => {
  it('spec: {} is an ALLOW policy with no rules; rules: [{}] is one empty rule', () => {
    expect(compile([policy('nothing', {})]).policies).toEqual([{ name: 'AuthorizationPolicy/default/nothing', action: 'ALLOW', rules: [] }]);
    expect(compile([policy('all', { rules: [{}] })]).policies[0]?.rules).toEqual([{ path: 'rules[0]', from: [], to: [], when: [] }]);
  });

  it('sources, operations and when conditions, with their not-twins', () => {
    const spec: AuthorizationPolicySpec = {
      action: 'DENY',
      rules: [{
        from: [{ source: { principals: ['cluster.local/ns/default/sa/web'], notNamespaces: ['prod*'] } }, { source: { ipBlocks: ['10.0.0.0/8'] } }],
        to: [{ operation: { methods: ['DELETE'], paths: ['*/admin', '/api/{*}/items'], hosts: ['Reviews*'], ports: ['9080'] } }],
        when: [{ key: 'request.headers[X-User]', values: ['*'], notValues: ['guest'] }],
      }],
    };
    expect(summarize(compile([policy('deny', spec)]).policies[0]?.rules[0])).toEqual([
      'from[0]: principal in [exact cluster.local/ns/default/sa/web]',
      'from[0]: namespace not in [prefix prod]',
      'from[1]: sourceIp in [cidr 10.0.0.0/8]',
      'to[0]: host in [prefix reviews]',
      'to[0]: port in [port 9080]',
      'to[0]: method in [exact DELETE]',
      'to[0]: path in [suffix /admin, template /api/{*}/items]',
      'when: header x-user in [presence *]',
      'when: header x-user not in [exact guest]',
    ]);
  });

  it('service accounts default to the policy namespace', () => {
    const rule = compile([policy('sa', { rules: [{ from: [{ source: { serviceAccounts: ['web', 'shop/cart'] } }] }] })]).policies[0]?.rules[0];
    expect(rule?.from[0]?.[0]?.values).toEqual([
      { kind: 'serviceAccount', namespace: 'default', name: 'web', text: 'web' },
      { kind: 'serviceAccount', namespace: 'shop', name: 'cart', text: 'shop/cart' },
    ]);
  });
});

describe('what istiod cannot translate', () => {
  it('an unknown when key skips the rule, whatever the action', () => {
    for (const action of ['ALLOW', 'DENY'] as const) {
      const result = compile([policy('p', { action, rules: [{ when: [{ key: 'source.user', values: ['x'] }] }] })]);
      expect(result.policies[0]?.rules[0]?.never).toBe('when key "source.user" is not an attribute Istio knows');
      expect(codes(result.diagnostics)).toEqual(['MV0333 spec.rules[0].when[0].key']);
    }
  });

  it('a when key Istio knows but meshviz does not model: the rule never matches', () => {
    const result = compile([policy('p', { rules: [{ when: [{ key: 'destination.ip', values: ['10.0.0.1'] }] }] })]);
    expect(result.policies[0]?.rules[0]?.never).toBe('when key destination.ip is not simulated');
    expect(codes(result.diagnostics)).toEqual(['MV0334 spec.rules[0].when[0].key']);
  });

  it('an invalid value skips an ALLOW rule but is only dropped from a DENY rule (istiod checkError)', () => {
    const rules = [{ to: [{ operation: { ports: ['http', '8080'] } }] }];
    const allow = compile([policy('a', { rules })]);
    expect(allow.policies[0]?.rules[0]?.never).toBe('rules[0].to[0].operation.ports[0] "http" is not a port number (0–65535)');
    expect(allow.diagnostics[0]).toMatchObject({ code: 'MV0336', path: 'spec.rules[0].to[0].operation.ports[0]' });
    const deny = compile([policy('d', { action: 'DENY', rules })]).policies[0]?.rules[0];
    expect(deny?.never).toBeUndefined();
    expect(deny?.to[0]?.[0]?.values).toEqual([{ kind: 'port', port: 8080, text: '8080' }]);
  });

  it('a DENY field whose every value is dropped constrains nothing', () => {
    const deny = compile([policy('d', { action: 'DENY', rules: [{ from: [{ source: { ipBlocks: ['fd00::/8'] } }] }] })]);
    expect(deny.policies[0]?.rules[0]?.from).toEqual([[]]);
  });

  it('JWT fields compile (never present at run time) and are reported', () => {
    const result = compile([policy('jwt', { action: 'DENY', rules: [{ from: [{ source: { notRequestPrincipals: ['*'] } }] }] })]);
    expect(result.policies[0]?.rules[0]?.from[0]?.[0]?.attribute).toEqual({ kind: 'jwt', key: 'requestPrincipals' });
    expect(codes(result.diagnostics)).toEqual(['MV0335 spec.rules[0].from[0].source.notRequestPrincipals']);
  });
});
