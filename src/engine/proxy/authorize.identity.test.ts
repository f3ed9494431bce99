import { describe, expect, it } from 'vitest';
import type { AuthzAttributeXds, AuthzConditionXds } from '../../model/index.ts';
import { authorize } from './authorize.ts';
import { allow, deny, is, not, plaintext, request, rule, WEB } from './testing/authzPolicies.ts';

describe('authorize — peer identity needs mTLS (§6.1, §7)', () => {
  const byPrincipal = allow('allow-web', rule({ from: [[is('principal', WEB)]] }));
  const byNamespace = allow('allow-default', rule({ from: [[is('namespace', 'default')]] }));

  it('principals and namespaces match under mTLS', () => {
    expect(authorize([byPrincipal], request()).allowed).toBe(true);
    expect(authorize([byNamespace], request()).allowed).toBe(true);
    expect(authorize([byNamespace], request({ namespace: undefined })).allowed).toBe(true);
  });

  it('on a plaintext request they are absent, even if the caller says otherwise', () => {
    expect(authorize([byPrincipal], request({ mtls: false })).allowed).toBe(false);
    expect(authorize([byNamespace], plaintext()).reason).toBe(
      'no ALLOW policy matched (AuthorizationPolicy/default/allow-default requires namespace default, request has none: plaintext)',
    );
  });

  it('principals: ["*"] means "any authenticated peer"; DENY notPrincipals: ["*"] denies plaintext', () => {
    expect(authorize([allow('mtls-only', rule({ from: [[is('principal', '*')]] }))], plaintext()).allowed).toBe(false);
    const denyPlaintext = deny('deny-plaintext', rule({ from: [[not('principal', '*')]] }));
    expect(authorize([denyPlaintext], request()).allowed).toBe(true);
    expect(authorize([denyPlaintext], plaintext())).toMatchObject({
      allowed: false,
      reason: 'DENY policy AuthorizationPolicy/default/deny-plaintext matched: no principal (plaintext)',
    });
  });

  it('service accounts compare the namespace and name inside the principal', () => {
    const sa = (namespace: string, name: string): AuthzConditionXds => ({
      field: 'test', attribute: { kind: 'serviceAccount' }, negate: false,
      values: [{ kind: 'serviceAccount', namespace, name, text: `${namespace}/${name}` }],
    });
    expect(authorize([allow('p', rule({ from: [[sa('default', 'web')]] }))], request()).allowed).toBe(true);
    expect(authorize([allow('p', rule({ from: [[sa('default', 'we')]] }))], request()).allowed).toBe(false);
    expect(authorize([allow('p', rule({ from: [[sa('default', 'web')]] }))], plaintext()).allowed).toBe(false);
  });

  it('JWT attributes are never present: requestPrincipals never match, notRequestPrincipals always do', () => {
    const jwt: AuthzAttributeXds = { kind: 'jwt', key: 'requestPrincipals' };
    expect(authorize([allow('p', rule({ from: [[is(jwt, '*')]] }))], request()).reason).toBe(
      'no ALLOW policy matched (AuthorizationPolicy/default/p requires JWT requestPrincipals *, request has none: meshviz simulates no JWT)',
    );
    expect(authorize([deny('require-jwt', rule({ from: [[not(jwt, '*')]] }))], request()).allowed).toBe(false);
  });
});
