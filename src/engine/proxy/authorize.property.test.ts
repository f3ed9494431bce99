import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AuthzAttributeXds, AuthzConditionXds, AuthzPolicyXds, AuthzRuleXds, AuthzValueXds } from '../../model/index.ts';
import { authorize, type AuthzRequest } from './authorize.ts';

const word = fc.constantFrom('', 'GET', 'DELETE', '/api', '/api/x', 'web', 'default', 'cluster.local/ns/default/sa/web', 'x', '10.0.0.1');

const value: fc.Arbitrary<AuthzValueXds> = fc.oneof(
  fc.record({ kind: fc.constantFrom('exact' as const, 'prefix' as const, 'suffix' as const), value: word, text: word }),
  fc.constant({ kind: 'presence' as const, text: '*' }),
  fc.record({ kind: fc.constant('cidr' as const), address: fc.nat({ max: 2 ** 32 - 1 }), bits: fc.integer({ min: 0, max: 32 }), text: word }),
  fc.record({ kind: fc.constant('port' as const), port: fc.nat({ max: 65_535 }), text: word }),
  fc.record({ kind: fc.constant('serviceAccount' as const), namespace: word, name: word, text: word }),
  fc.record({ kind: fc.constant('template' as const), segments: fc.array(fc.constantFrom('', 'api', '{*}', '{**}')), text: word }),
);

const attribute: fc.Arbitrary<AuthzAttributeXds> = fc.oneof(
  fc.record({ kind: fc.constantFrom('principal' as const, 'namespace' as const, 'serviceAccount' as const, 'sourceIp' as const, 'host' as const, 'port' as const, 'method' as const, 'path' as const) }),
  fc.record({ kind: fc.constant('header' as const), name: fc.constantFrom('x-user', 'x-other') }),
  fc.record({ kind: fc.constant('jwt' as const), key: fc.constant('requestPrincipals') }),
);

const condition: fc.Arbitrary<AuthzConditionXds> = fc.record({
  field: fc.constant('f'),
  attribute,
  values: fc.array(value, { maxLength: 3 }),
  negate: fc.boolean(),
});

const rule: fc.Arbitrary<AuthzRuleXds> = fc.record(
  {
    path: fc.constant('rules[0]'),
    from: fc.array(fc.array(condition, { maxLength: 3 }), { maxLength: 2 }),
    to: fc.array(fc.array(condition, { maxLength: 3 }), { maxLength: 2 }),
    when: fc.array(condition, { maxLength: 2 }),
    never: fc.string(),
  },
  { requiredKeys: ['path', 'from', 'to', 'when'] },
);

const policy: fc.Arbitrary<AuthzPolicyXds> = fc.record({
  name: fc.string({ minLength: 1 }),
  action: fc.constantFrom('ALLOW' as const, 'DENY' as const, 'AUDIT' as const, 'CUSTOM' as const),
  rules: fc.array(rule, { maxLength: 3 }),
});

const request: fc.Arbitrary<AuthzRequest> = fc.record(
  {
    principal: word,
    namespace: word,
    sourceIp: fc.oneof(word, fc.ipV4(), fc.string()),
    method: word,
    path: fc.oneof(word, fc.string()),
    host: fc.oneof(word, fc.string()),
    port: fc.integer({ min: -1, max: 70_000 }),
    headers: fc.dictionary(fc.constantFrom('x-user', 'X-User', 'x-other', 'constructor', '__proto__'), fc.string()),
    mtls: fc.boolean(),
  },
  { requiredKeys: ['method', 'path', 'host', 'port', 'headers', 'mtls'] },
);

describe('authorize — properties (§7)', () => {
  it('never throws, and a denial always names a policy', () => {
    fc.assert(
      fc.property(fc.array(policy, { maxLength: 5 }), request, (policies, req) => {
        const decision = authorize(policies, req);
        expect(typeof decision.reason).toBe('string');
        if (!decision.allowed) expect(decision.policy.length).toBeGreaterThan(0);
      }),
    );
  });

  it('a DENY policy with a matching rule always wins, wherever it sits among other policies', () => {
    const matchAll: AuthzPolicyXds = { name: 'AuthorizationPolicy/default/deny-all', action: 'DENY', rules: [{ path: 'rules[0]', from: [], to: [], when: [] }] };
    fc.assert(
      fc.property(fc.array(policy, { maxLength: 5 }), fc.nat(), request, (others, at, req) => {
        const policies = [...others];
        policies.splice(at % (others.length + 1), 0, matchAll);
        expect(authorize(policies, req).allowed).toBe(false);
      }),
    );
  });

  it('with no ALLOW or DENY policy everything is allowed', () => {
    const inert = policy.filter((p) => p.action === 'AUDIT' || p.action === 'CUSTOM');
    fc.assert(fc.property(fc.array(inert, { maxLength: 4 }), request, (policies, req) => {
      expect(authorize(policies, req).allowed).toBe(true);
    }));
  });

  it('adding an ALLOW policy never turns a DENY-matched request into an allowed one', () => {
    fc.assert(
      fc.property(fc.array(policy, { maxLength: 4 }), policy, request, (policies, extra, req) => {
        const before = authorize(policies, req);
        fc.pre(!before.allowed && before.reason.startsWith('DENY'));
        expect(authorize([...policies, { ...extra, action: 'ALLOW' }], req).allowed).toBe(false);
      }),
    );
  });
});
