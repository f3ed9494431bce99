import { describe, expect, it } from 'vitest';
import { authorize, type AuthzRequest } from '../../src/engine/proxy/authorize.ts';
import { compileAuthz } from '../../src/istio/compile/authz/compileAuthz.ts';
import { loadScenario } from '../../src/istio/index.ts';
import { principalOf } from '../../src/model/index.ts';
import { deployment } from '../helpers/mesh.ts';

/** YAML → scenario → the policies productpage's sidecar enforces → a decision per request (§7). */
function decide(policies: string, req: Partial<AuthzRequest>) {
  const loaded = loadScenario([{ name: 'authz.yaml', text: [deployment('productpage', { app: 'productpage' }), policies].join('\n---\n') }]);
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((d) => `${d.code} ${d.message}`).join('\n'));
  const pod = loaded.scenario.pods.find((p) => p.workload === 'productpage');
  if (!pod) throw new Error('no productpage pod');
  const { policies: compiled } = compileAuthz(loaded.scenario, pod);
  return authorize(compiled, {
    method: 'GET',
    path: '/productpage',
    host: 'productpage:9080',
    port: 8080,
    headers: {},
    mtls: true,
    principal: principalOf('cluster.local', 'default', 'sleep'),
    namespace: 'default',
    ...req,
  });
}

const allowNothing = `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: allow-nothing, namespace: default }
spec: {}`;

const allowGet = `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: productpage-viewer, namespace: default }
spec:
  selector: { matchLabels: { app: productpage } }
  action: ALLOW
  rules:
  - to:
    - operation: { methods: ["GET"] }`;

describe('the Istio HTTP-traffic task, as meshviz decides it (§7)', () => {
  it('allow-nothing in the namespace denies every request', () => {
    expect(decide(allowNothing, {})).toEqual({
      allowed: false,
      explicit: false,
      policy: 'AuthorizationPolicy/default/allow-nothing',
      reason: 'no ALLOW policy matched (AuthorizationPolicy/default/allow-nothing has no rules, so it allows nothing)',
    });
  });

  it('adding productpage-viewer lets GET through, and only GET', () => {
    const both = [allowNothing, allowGet].join('\n---\n');
    expect(decide(both, {})).toMatchObject({ allowed: true, policy: 'AuthorizationPolicy/default/productpage-viewer' });
    expect(decide(both, { method: 'POST' }).reason).toBe(
      'no ALLOW policy matched (AuthorizationPolicy/default/allow-nothing has no rules, so it allows nothing; AuthorizationPolicy/default/productpage-viewer requires method GET, request has POST)',
    );
  });

  it('a mesh-wide DENY of plaintext (root namespace, notPrincipals: ["*"]) beats the ALLOW', () => {
    const denyPlaintext = `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: require-mtls, namespace: istio-system }
spec:
  action: DENY
  rules:
  - from:
    - source: { notPrincipals: ["*"] }`;
    const docs = [allowGet, denyPlaintext].join('\n---\n');
    expect(decide(docs, {}).allowed).toBe(true);
    expect(decide(docs, { mtls: false, principal: undefined, namespace: undefined })).toEqual({
      allowed: false,
      explicit: true,
      policy: 'AuthorizationPolicy/istio-system/require-mtls',
      reason: 'DENY policy AuthorizationPolicy/istio-system/require-mtls matched: no principal (plaintext)',
    });
  });
});
