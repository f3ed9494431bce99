import type { AuthzAttributeXds, AuthzConditionXds, AuthzPolicyXds, AuthzRuleXds, AuthzValueXds } from '../../../model/index.ts';
import type { AuthzRequest } from '../authorize.ts';

/**
 * Builders for authorization tests: compiled policies in code, the shapes
 * `istio/compile/authz` produces from YAML. Policies live in `default`.
 */

/** A string value the way Istio reads it: `*`, `*abc`, `abc*` or exact. */
export function value(text: string): AuthzValueXds {
  if (text === '*') return { kind: 'presence', text };
  if (text.startsWith('*')) return { kind: 'suffix', value: text.slice(1), text };
  if (text.endsWith('*')) return { kind: 'prefix', value: text.slice(0, -1), text };
  return { kind: 'exact', value: text, text };
}

type Attribute = AuthzAttributeXds['kind'] | AuthzAttributeXds;

/** The attribute matches one of the values. */
export function is(attribute: Attribute, ...texts: string[]): AuthzConditionXds {
  const resolved = typeof attribute === 'string' ? ({ kind: attribute } as AuthzAttributeXds) : attribute;
  return { field: 'test', attribute: resolved, values: texts.map(value), negate: false };
}

/** The `not…` form: the attribute matches none of the values. */
export function not(attribute: Attribute, ...texts: string[]): AuthzConditionXds {
  return { ...is(attribute, ...texts), negate: true };
}

export function rule(parts: Partial<AuthzRuleXds> = {}): AuthzRuleXds {
  return { path: 'rules[0]', from: [], to: [], when: [], ...parts };
}

export function policy(action: AuthzPolicyXds['action'], name: string, ...rules: AuthzRuleXds[]): AuthzPolicyXds {
  return { name: `AuthorizationPolicy/default/${name}`, action, rules };
}

export function allow(name: string, ...rules: AuthzRuleXds[]): AuthzPolicyXds {
  return policy('ALLOW', name, ...rules);
}

export function deny(name: string, ...rules: AuthzRuleXds[]): AuthzPolicyXds {
  return policy('DENY', name, ...rules);
}

export const WEB = 'cluster.local/ns/default/sa/web';

/** An mTLS GET from `web` in `default`. */
export function request(over: Partial<AuthzRequest> = {}): AuthzRequest {
  return {
    principal: WEB,
    namespace: 'default',
    sourceIp: '10.1.0.7',
    method: 'GET',
    path: '/api/items?page=2',
    host: 'reviews:9080',
    port: 9080,
    headers: { 'x-user': 'jason' },
    mtls: true,
    ...over,
  };
}

/** The same request without mTLS: no peer identity. */
export function plaintext(over: Partial<AuthzRequest> = {}): AuthzRequest {
  return request({ principal: undefined, namespace: undefined, mtls: false, ...over });
}
