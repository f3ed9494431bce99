import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../../src/istio/index.ts';
import { deployment, send, service, sessionFrom, twoVersionMesh } from '../helpers/mesh.ts';

const NO_SIDECAR = '      annotations: { sidecar.istio.io/inject: "false" }';

function peerAuthentication(mode: string, namespace = 'istio-system'): string {
  return `apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: { name: default, namespace: ${namespace} }
spec: { mtls: { mode: ${mode} } }`;
}

describe('mTLS and identity (mesh-semantics §6)', () => {
  it('sidecar to sidecar is mTLS by default (auto-mTLS), and both identities are SPIFFE IDs', () => {
    const r = send(sessionFrom(...twoVersionMesh()), { to: 'server:8080' });
    const arrive = r.events.find((e) => e.kind === 'hop.arrive');
    expect(arrive?.kind === 'hop.arrive' && arrive.mtls).toBe(true);
    expect(arrive?.kind === 'hop.arrive' && arrive.identities).toEqual({
      client: 'spiffe://cluster.local/ns/default/sa/default',
      server: 'spiffe://cluster.local/ns/default/sa/default',
    });
  });

  it('a caller without a sidecar speaks plaintext; PERMISSIVE (no policy) accepts it', () => {
    const session = sessionFrom(deployment('legacy', { app: 'legacy' }, 1, NO_SIDECAR), deployment('server', { app: 'server' }), service('server'));
    const r = send(session, { from: 'legacy', to: 'server:8080' });
    expect(r.status).toBe(200);
    expect(r.events.find((e) => e.kind === 'hop.arrive' && !e.mtls)).toBeDefined();
  });

  it('STRICT rejects a plaintext caller with a connection reset: no HTTP status at all (curl 000)', () => {
    const session = sessionFrom(deployment('legacy', { app: 'legacy' }, 1, NO_SIDECAR), deployment('server', { app: 'server' }), service('server'), peerAuthentication('STRICT'));
    const r = send(session, { from: 'legacy', to: 'server:8080' });
    expect(r.status).toBe(0);
    expect(r.flags).toEqual([]);
    expect(r.events.some((e) => e.kind === 'mtls.reject')).toBe(true);
    expect(r.events.some((e) => e.kind === 'app.receive')).toBe(false);
  });

  it('two mesh-wide policies: the oldest by creationTimestamp wins, whatever the order in the files (§6.1)', () => {
    const stamped = (name: string, mode: string, created: string) => `apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: { name: ${name}, namespace: istio-system, creationTimestamp: "${created}" }
spec: { mtls: { mode: ${mode} } }`;
    const workloads = [deployment('legacy', { app: 'legacy' }, 1, NO_SIDECAR), deployment('server', { app: 'server' }), service('server')];
    const newerFirst = sessionFrom(...workloads, stamped('newer', 'PERMISSIVE', '2025-03-01T10:00:00Z'), stamped('older', 'STRICT', '2020-01-01T00:00:00Z'));
    expect(send(newerFirst, { from: 'legacy', to: 'server:8080' }).status).toBe(0);
    expect(newerFirst.diagnostics).toContainEqual(expect.objectContaining({ code: 'MV0313', resource: 'PeerAuthentication/istio-system/newer' }));
    // Without timestamps, input order stands in for age: the first listed is the oldest.
    const unstamped = sessionFrom(...workloads, peerAuthentication('PERMISSIVE').replace('name: default', 'name: first'), peerAuthentication('STRICT').replace('name: default', 'name: second'));
    expect(send(unstamped, { from: 'legacy', to: 'server:8080' }).status).toBe(200);
  });

  it('the classic mistake: a DestinationRule with tls DISABLE toward a STRICT server fails with 503 UC', () => {
    const session = sessionFrom(
      ...twoVersionMesh({ trafficPolicy: 'tls: { mode: DISABLE }' }),
      peerAuthentication('STRICT', 'default'),
    );
    const r = send(session, { to: 'server:8080' });
    expect(r.status).toBe(503);
    expect(r.flags).toEqual(['UC']);
  });

  it('SIMPLE or MUTUAL (the user’s own certificates) is not Istio mTLS: STRICT refuses it, and no SPIFFE identity is presented (§6.2)', () => {
    for (const mode of ['SIMPLE', 'MUTUAL']) {
      const docs = [...twoVersionMesh({ trafficPolicy: `tls: { mode: ${mode} }` }), peerAuthentication('STRICT', 'default')];
      const strict = sessionFrom(...docs);
      expect(analyzeFiles([{ name: 'test.yaml', text: docs.join('\n---\n') }]).diagnostics.map((d) => d.code)).toContain('MV0410');
      const r = send(strict, { to: 'server:8080' });
      expect([mode, r.status]).toEqual([mode, 503]);
      const permissive = send(sessionFrom(...twoVersionMesh({ trafficPolicy: `tls: { mode: ${mode} }` })), { to: 'server:8080' });
      const arrive = permissive.events.find((e) => e.kind === 'hop.arrive');
      expect(arrive?.kind === 'hop.arrive' && [arrive.mtls, arrive.identities]).toEqual([false, undefined]);
    }
  });

  it('ISTIO_MUTUAL toward a pod without a sidecar fails the TLS handshake: 503 UF', () => {
    const session = sessionFrom(
      deployment('client', { app: 'client' }),
      deployment('server', { app: 'server' }, 1, NO_SIDECAR),
      service('server'),
      `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: server, namespace: default }
spec: { host: server, trafficPolicy: { tls: { mode: ISTIO_MUTUAL } } }`,
    );
    const r = send(session, { to: 'server:8080' });
    expect(r.status).toBe(503);
    expect(r.flags).toEqual(['UF', 'URX']);
    expect(r.detail).toMatch(/TLS/);
  });

  it('auto-mTLS sends plaintext to a pod without a sidecar, and it answers', () => {
    const session = sessionFrom(deployment('client', { app: 'client' }), deployment('server', { app: 'server' }, 1, NO_SIDECAR), service('server'));
    const r = send(session, { to: 'server:8080' });
    expect(r.status).toBe(200);
    expect(r.events.find((e) => e.kind === 'hop.send' && e.direction === 'request' && e.mtls === false)).toBeDefined();
  });
});
