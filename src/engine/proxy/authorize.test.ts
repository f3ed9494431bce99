import { describe, expect, it } from 'vitest';
import { authorize } from './authorize.ts';
import { allow, deny, is, plaintext, policy, request, rule, WEB } from './testing/authzPolicies.ts';

describe('authorize — decision order (§7)', () => {
  it('no policies at all → allowed (implicit enablement)', () => {
    expect(authorize([], request())).toEqual({ allowed: true, reason: 'no AuthorizationPolicy applies to this workload, so the request is allowed' });
  });

  it('a matching DENY policy denies, and names itself and what matched', () => {
    const decision = authorize([deny('deny-delete', rule({ to: [[is('method', 'DELETE')]] }))], request({ method: 'DELETE' }));
    expect(decision).toEqual({
      allowed: false,
      explicit: true,
      policy: 'AuthorizationPolicy/default/deny-delete',
      reason: 'DENY policy AuthorizationPolicy/default/deny-delete matched: method DELETE',
    });
  });

  it('DENY wins over a matching ALLOW, whatever the order of the policies', () => {
    const policies = [allow('allow-all', rule()), deny('deny-delete', rule({ to: [[is('method', 'DELETE')]] }))];
    expect(authorize(policies, request({ method: 'DELETE' })).allowed).toBe(false);
    expect(authorize(policies.reverse(), request({ method: 'DELETE' })).allowed).toBe(false);
  });

  it('DENY policies only, none matching → allowed', () => {
    const decision = authorize([deny('deny-delete', rule({ to: [[is('method', 'DELETE')]] }))], request());
    expect(decision).toEqual({ allowed: true, reason: 'no DENY policy matched and there is no ALLOW policy, so the request is allowed' });
  });

  it('ALLOW policies exist and none matches → denied, with the first failing condition of each', () => {
    const decision = authorize([allow('allow-web', rule({ from: [[is('principal', WEB)]] }))], plaintext());
    expect(decision).toEqual({
      allowed: false,
      explicit: false,
      policy: 'AuthorizationPolicy/default/allow-web',
      reason: 'no ALLOW policy matched (AuthorizationPolicy/default/allow-web requires principal cluster.local/ns/default/sa/web, request has none: plaintext)',
    });
  });

  it('policies are additive: any one matching ALLOW policy allows', () => {
    const policies = [allow('allow-post', rule({ to: [[is('method', 'POST')]] })), allow('allow-get', rule({ to: [[is('method', 'GET')]] }))];
    expect(authorize(policies, request())).toEqual({
      allowed: true,
      policy: 'AuthorizationPolicy/default/allow-get',
      reason: 'ALLOW policy AuthorizationPolicy/default/allow-get matched: method GET',
    });
    expect(authorize(policies, request({ method: 'PUT' }))).toMatchObject({
      allowed: false,
      policy: 'AuthorizationPolicy/default/allow-post, AuthorizationPolicy/default/allow-get',
      reason: 'no ALLOW policy matched (AuthorizationPolicy/default/allow-post requires method POST, request has PUT; AuthorizationPolicy/default/allow-get requires method GET, request has PUT)',
    });
  });

  it('CUSTOM is not simulated and AUDIT never decides', () => {
    const custom = policy('CUSTOM', 'ext-authz', rule());
    const audit = policy('AUDIT', 'audit-all', rule());
    expect(authorize([custom, audit], request())).toEqual({
      allowed: true,
      reason: 'there is no DENY or ALLOW policy, so the request is allowed (CUSTOM AuthorizationPolicy/default/ext-authz is not simulated)',
    });
    expect(authorize([custom, allow('nothing')], request()).allowed).toBe(false);
  });
});

describe('authorize — empty policies and rules (§7)', () => {
  it('spec: {} (ALLOW, no rules) allows nothing', () => {
    expect(authorize([allow('allow-nothing')], request())).toEqual({
      allowed: false,
      explicit: false,
      policy: 'AuthorizationPolicy/default/allow-nothing',
      reason: 'no ALLOW policy matched (AuthorizationPolicy/default/allow-nothing has no rules, so it allows nothing)',
    });
  });

  it('rules: [{}] allows everything, plaintext included', () => {
    expect(authorize([allow('allow-all', rule())], plaintext())).toEqual({
      allowed: true,
      policy: 'AuthorizationPolicy/default/allow-all',
      reason: 'ALLOW policy AuthorizationPolicy/default/allow-all matched: every request (the rule sets no conditions)',
    });
  });

  it('a DENY policy with no rules never matches; DENY rules: [{}] denies everything', () => {
    expect(authorize([deny('no-rules')], request()).allowed).toBe(true);
    expect(authorize([deny('deny-all', rule())], request())).toMatchObject({ allowed: false, policy: 'AuthorizationPolicy/default/deny-all' });
  });

  it('a rule istiod would skip never matches, and says why', () => {
    const skipped = rule({ never: 'when key destination.ip is not simulated' });
    expect(authorize([allow('a', skipped)], request()).reason).toBe(
      'no ALLOW policy matched (AuthorizationPolicy/default/a rules[0] never matches: when key destination.ip is not simulated)',
    );
    expect(authorize([deny('d', skipped)], request()).allowed).toBe(true);
  });
});

describe('authorize — rule semantics (§7)', () => {
  it('needs one source AND one operation AND every when condition', () => {
    const r = rule({
      from: [[is('namespace', 'prod')], [is('principal', WEB)]],
      to: [[is('method', 'POST')], [is('method', 'GET'), is('path', '/api/*')]],
      when: [is({ kind: 'header', name: 'x-user' }, 'jason')],
    });
    expect(authorize([allow('p', r)], request())).toMatchObject({
      allowed: true,
      reason: 'ALLOW policy AuthorizationPolicy/default/p matched: principal cluster.local/ns/default/sa/web, method GET, path /api/items, header x-user jason',
    });
    expect(authorize([allow('p', r)], request({ headers: {} })).reason).toBe(
      'no ALLOW policy matched (AuthorizationPolicy/default/p requires header x-user jason, request has none)',
    );
    expect(authorize([allow('p', r)], request({ path: '/admin' })).reason).toBe(
      'no ALLOW policy matched (AuthorizationPolicy/default/p requires method POST, request has GET (nor does its other operation))',
    );
  });

  it('rules are OR\'ed', () => {
    const p = allow('p', rule({ to: [[is('method', 'POST')]] }), rule({ path: 'rules[1]', to: [[is('method', 'GET')]] }));
    expect(authorize([p], request()).allowed).toBe(true);
    expect(authorize([p], request({ method: 'PUT' })).reason).toBe(
      'no ALLOW policy matched (AuthorizationPolicy/default/p requires method POST, request has PUT (nor does its other rule))',
    );
  });

  it('a source or operation with no fields matches anything', () => {
    expect(authorize([allow('p', rule({ from: [[]], to: [[]] }))], plaintext()).allowed).toBe(true);
  });
});
