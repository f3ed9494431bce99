import { describe, expect, it } from 'vitest';
import { deployment, send, service, sessionFrom } from '../helpers/mesh.ts';

const NO_SIDECAR = '      annotations: { sidecar.istio.io/inject: "false" }';

function mesh(...policies: string[]) {
  return sessionFrom(
    deployment('client', { app: 'client' }),
    deployment('legacy', { app: 'legacy' }, 1, NO_SIDECAR),
    deployment('server', { app: 'server' }),
    service('server'),
    ...policies,
  );
}

const allowClientGet = `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: allow-client-get, namespace: default }
spec:
  selector: { matchLabels: { app: server } }
  action: ALLOW
  rules:
  - from: [{ source: { principals: [cluster.local/ns/default/sa/default] } }]
    to: [{ operation: { methods: [GET] } }]`;

describe('AuthorizationPolicy in the request path (mesh-semantics §7)', () => {
  it('an allowed request reaches the app; the decision is an event', () => {
    const r = send(mesh(allowClientGet), { to: 'server:8080/' });
    expect(r.status).toBe(200);
    expect(r.events.some((e) => e.kind === 'authz.allow')).toBe(true);
  });

  it('hosts match the :authority as the client dialled it: the name it used, and the port', () => {
    const byHost = `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: by-host, namespace: default }
spec:
  selector: { matchLabels: { app: server } }
  rules:
  - to: [{ operation: { hosts: [server.default.svc.cluster.local:8080] } }]`;
    expect(send(mesh(byHost), { to: 'server.default.svc.cluster.local:8080/' }).status).toBe(200);
    expect(send(mesh(byHost), { to: 'server:8080/' }).status).toBe(403);
  });

  it('a request no ALLOW rule matches is denied by the callee sidecar: 403 RBAC: access denied, the app never sees it', () => {
    const r = send(mesh(allowClientGet), { to: 'server:8080/', method: 'DELETE' });
    expect(r.status).toBe(403);
    expect(r.flags).toEqual([]);
    expect(r.detail).toBe('RBAC: access denied');
    expect(r.events.some((e) => e.kind === 'app.receive' && e.pod.startsWith('server-'))).toBe(false);
    const deny = r.events.find((e) => e.kind === 'authz.deny');
    expect(deny?.kind === 'authz.deny' && deny.policy).toBe('AuthorizationPolicy/default/allow-client-get');
  });

  it('principals need mTLS: a plaintext caller without a sidecar has none and is denied', () => {
    const r = send(mesh(allowClientGet), { from: 'legacy', to: 'server:8080/' });
    expect(r.status).toBe(403);
  });

  it('spec: {} allows nothing', () => {
    const r = send(
      mesh(`apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: allow-nothing, namespace: default }
spec: {}`),
      { to: 'server:8080/' },
    );
    expect(r.status).toBe(403);
  });
});
