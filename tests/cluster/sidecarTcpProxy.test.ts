import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/api/index.ts';
import type { MeshEvent } from '../../src/model/index.ts';
import { deployment, destinationRule, send, service, sessionFrom } from '../helpers/mesh.ts';

/**
 * A sidecar's outbound listener for a port Istio does not carry as HTTP is an
 * Envoy `tcp_proxy` (Istio src pilot/pkg/networking/core/listener.go,
 * `buildSidecarOutboundTCPListenerOpts`; tls.go, `buildSidecarOutboundTLSFilterChainOpts`
 * and `buildSidecarOutboundTCPFilterChainOpts`, read at 86c9f01):
 * - its route comes from the host's VirtualService `tls` rules (HTTPS and TLS ports, chosen by SNI)
 *   or `tcp` rules (other TCP ports), the static conditions (`gateways`, `port`, `sourceLabels`,
 *   `sourceNamespace`) decided per proxy (`matchTLS`, `matchTCP`); never from `http` rules;
 * - with no rule for the proxy, the service's own cluster `outbound|port||host`;
 * - on a TLS port whose `tls` rules only name other SNIs, no filter chain matches: the connection is closed;
 * - `tcp_proxy` has no HTTP: no retries, route timeout, faults, and the sidecar starts no trace.
 */
/** db's Service on 5432, its port named `port` (the protocol Istio reads from the name). */
const db = (name: string, port: string) => service(name, name, 5432, port);

const subsets = ['{ name: v1, labels: { version: v1 } }', '{ name: v2, labels: { version: v2 } }'];

function mesh(portName: string, vs: string, extra: string[] = []): ReturnType<typeof sessionFrom> {
  return sessionFrom(
    deployment('client', { app: 'client' }),
    deployment('canary', { app: 'canary', track: 'canary' }),
    deployment('db-v1', { app: 'db', version: 'v1' }),
    deployment('db-v2', { app: 'db', version: 'v2' }),
    db('db', portName),
    destinationRule('db', undefined, subsets),
    vs,
    ...extra,
  );
}

const vsFor = (body: string) => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: db, namespace: default }
spec:
  hosts: [db]
${body}`;

/** Which db version each of `n` requests reached, and the events of the last. */
function reached(session: ReturnType<typeof sessionFrom>, n: number, from = 'client'): { v1: number; v2: number; events: MeshEvent[]; attempts: number[] } {
  const events: MeshEvent[] = [];
  const r = send(session, { from, to: 'db:5432/', repeat: n, seed: 3, sink: (e) => events.push(e) });
  const arrivals = events.filter((e): e is Extract<MeshEvent, { kind: 'hop.arrive' }> => e.kind === 'hop.arrive');
  return {
    v1: arrivals.filter((e) => e.pod.startsWith('db-v1')).length,
    v2: arrivals.filter((e) => e.pod.startsWith('db-v2')).length,
    events: r.events,
    attempts: [...r.earlier.map((e) => e.attempts), r.attempts],
  };
}

describe('a sidecar’s TCP proxy for a port Istio carries as TCP', () => {
  const split = vsFor(`  http: [{ route: [{ destination: { host: db, subset: v2 } }] }]
  tcp:
    - match: [{ sourceLabels: { track: canary } }]
      route: [{ destination: { host: db, subset: v1 } }]
    - route: [{ destination: { host: db, subset: v1 }, weight: 80 }, { destination: { host: db, subset: v2 }, weight: 20 }]`);

  it('takes the first tcp rule for the proxy: 80/20 by weight (±5 % over 1,000 connections, seed 3), never the http rule', () => {
    const r = reached(mesh('tcp-postgres', split), 1000);
    expect(r.v1 + r.v2).toBe(1000);
    expect(r.v2 / 1000).toBeGreaterThan(0.15);
    expect(r.v2 / 1000).toBeLessThan(0.25);
    const match = r.events.find((e): e is Extract<MeshEvent, { kind: 'route.match' }> => e.kind === 'route.match');
    expect(match?.origin).toEqual({ kind: 'l4Route', resource: 'VirtualService/default/db', section: 'tcp', ruleIndex: 1, matchIndex: 0 });
  });

  it('decides sourceLabels per proxy: the canary’s sidecar takes the first rule, all to v1', () => {
    const r = reached(mesh('tcp-postgres', split), 50, 'canary');
    expect([r.v1, r.v2]).toEqual([50, 0]);
  });

  it('on an HTTP port the same VirtualService routes by its http rule (all to v2)', () => {
    const r = reached(mesh('http', split), 50);
    expect([r.v1, r.v2]).toEqual([0, 50]);
  });

  it('tries to connect once: a refusing backend is not retried (tcp_proxy max_connect_attempts 1; on an HTTP port Istio’s default retry_on connect-failure retries twice)', () => {
    const none = vsFor('  tcp: [{ route: [{ destination: { host: db, subset: v1 } }] }]');
    const tcp = send(mesh('tcp-postgres', none), { to: 'db:5432/', failures: [{ target: 'db-v1', mode: 'refuse' }], repeat: 20, seed: 1 });
    expect([...tcp.earlier.map((e) => e.attempts), tcp.attempts].every((a) => a === 1)).toBe(true);
    const http = send(mesh('http', vsFor('  http: [{ route: [{ destination: { host: db, subset: v1 } }] }]')), { to: 'db:5432/', failures: [{ target: 'db-v1', mode: 'refuse' }], seed: 1 });
    expect(http.attempts).toBe(3);
  });

  it('has no route timeout and no fault: an http rule’s timeout and abort do not apply', () => {
    const vs = vsFor(`  http: [{ route: [{ destination: { host: db } }], timeout: 1ms, fault: { abort: { httpStatus: 500, percentage: { value: 100 } } } }]`);
    const r = send(mesh('tcp-postgres', vs), { to: 'db:5432/', seed: 1 });
    expect([r.status, r.flags]).toEqual([200, []]);
  });

  it('starts no trace, and without a VirtualService goes to the service’s own cluster', () => {
    const session = sessionFrom(deployment('client', { app: 'client' }), deployment('db-v1', { app: 'db', version: 'v1' }), db('db', 'mongo'));
    const r = send(session, { to: 'db:5432/', seed: 1 });
    expect(r.events.filter((e) => e.kind === 'trace.start')).toEqual([]);
    expect(r.events.find((e) => e.kind === 'route.cluster')).toMatchObject({ cluster: 'outbound|5432||db.default.svc.cluster.local' });
  });

  it('the callee’s sidecar starts no trace on a TCP port for a caller without a sidecar (it does on an HTTP port)', () => {
    const from = (port: string) =>
      sessionFrom(deployment('client', { app: 'client' }, 1, '      annotations: { sidecar.istio.io/inject: "false" }'), deployment('db-v1', { app: 'db', version: 'v1' }), db('db', port));
    expect(send(from('tcp'), { to: 'db:5432/', seed: 1 }).events.filter((e) => e.kind === 'trace.start')).toEqual([]);
    expect(send(from('http'), { to: 'db:5432/', seed: 1 }).events.filter((e) => e.kind === 'trace.start')).toHaveLength(1);
  });
});

describe('outlier detection behind a sidecar’s TCP proxy', () => {
  /**
   * Envoy's tcp_proxy reports to the outlier detector only whether it connected (source/common/tcp_proxy/
   * tcp_proxy.cc, onUpstreamConnection: LocalOriginConnectSuccessFinal; a failed connect LocalOriginConnectFailed),
   * and without split_external_local_origin_errors a success counts as a 200 (outlier_detection_impl.cc,
   * resultToHttpCode). The status an app writes into the bytes is never seen.
   */
  const session = (port: string) =>
    sessionFrom(
      deployment('client', { app: 'client' }),
      deployment('db-v1', { app: 'db', version: 'v1' }),
      deployment('db-v2', { app: 'db', version: 'v2' }),
      db('db', port),
      destinationRule('db', `outlierDetection: { consecutive5xxErrors: 2, interval: 1s, baseEjectionTime: 30s, maxEjectionPercent: 100 }`),
    );
  const ejections = (port: string, mode: 'refuse' | '503') => {
    const events: MeshEvent[] = [];
    send(session(port), { to: 'db:5432/', failures: [{ target: 'db-v1', mode }], repeat: 40, seed: 2, sink: (e) => events.push(e) });
    return events.filter((e) => e.kind === 'outlier.eject').length;
  };

  it('never ejects a backend whose app answers 503 over TCP (on HTTP it does)', () => {
    expect(ejections('tcp', '503')).toBe(0);
    expect(ejections('http', '503')).toBeGreaterThan(0);
  });

  it('ejects a backend that refuses connections', () => {
    expect(ejections('tcp', 'refuse')).toBeGreaterThan(0);
  });
});

describe('a sidecar’s TLS port: tls rules by SNI', () => {
  const tls = (sni: string) =>
    vsFor(`  tls:
    - match: [{ sniHosts: [${sni}], port: 5432 }]
      route: [{ destination: { host: db, subset: v2 } }]`);

  it('routes the connection whose SNI a tls rule names (the host the client dials)', () => {
    const r = reached(mesh('tls', tls('db.default.svc.cluster.local')), 20);
    expect([r.v1, r.v2]).toEqual([0, 20]);
  });

  it('closes a connection no filter chain takes (the tls rule names another SNI): NR, no status', () => {
    const r = send(mesh('https', tls('other.example.com')), { to: 'db:5432/', seed: 1 });
    expect([r.status, r.flags]).toEqual([0, ['NR']]);
    expect(r.detail).toContain('no filter chain');
  });
});

describe('AuthorizationPolicy on a port the sidecar carries as TCP (Envoy’s network RBAC filter)', () => {
  /**
   * istiod builds the TCP filter chain's RBAC with `forTCP` (Istio src pilot/pkg/security/authz/model/model.go
   * `checkError`, `generatePermission`; builder/builder.go "skipped rule … on TCP filter chain", at 86c9f01):
   * an ALLOW rule with an HTTP-only field (methods, paths, hosts, request headers, JWT) is left out; a DENY
   * rule keeps the rest and a condition left empty matches anything; a denial closes the connection.
   */
  const policy = (action: string, operation: string) => `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: db-${action.toLowerCase()}, namespace: default }
spec:
  selector: { matchLabels: { app: db } }
  action: ${action}
  rules: [{ to: [{ operation: ${operation} }] }]`;
  const single = (port: string, ...extra: string[]) => sessionFrom(deployment('client', { app: 'client' }), deployment('db-v1', { app: 'db', version: 'v1' }), db('db', port), ...extra);
  const get = (session: ReturnType<typeof sessionFrom>) => send(session, { to: 'db:5432/', seed: 1 });

  it('leaves out an ALLOW rule on methods: nothing is allowed on TCP (closed, no status); on HTTP the GET passes', () => {
    const allow = policy('ALLOW', '{ methods: [GET] }');
    const tcp = get(single('tcp', allow));
    expect([tcp.status, tcp.flags]).toEqual([0, ['UC']]);
    const denial = tcp.events.find((e): e is Extract<MeshEvent, { kind: 'authz.deny' }> => e.kind === 'authz.deny');
    expect(denial?.reason).toContain('on a TCP port Envoy cannot read methods');
    expect(denial?.tcp).toBe(true);
    expect(get(single('http', allow)).status).toBe(200);
  });

  it('keeps the rest of a DENY rule: DELETE on port 8080 denies every connection to 8080 on TCP; on HTTP a GET passes', () => {
    const deny = policy('DENY', '{ methods: [DELETE], ports: ["8080"] }');
    expect(get(single('tcp', deny)).status).toBe(0);
    expect(get(single('http', deny)).status).toBe(200);
    const otherPort = policy('DENY', '{ methods: [DELETE], ports: ["9090"] }');
    expect(get(single('tcp', otherPort)).status).toBe(200);
  });

  it('says so when a policy with HTTP-only fields selects a workload with a TCP port (MV0337)', () => {
    const files = [{ name: 'test.yaml', text: [deployment('client', { app: 'client' }), deployment('db-v1', { app: 'db', version: 'v1' }), db('db', 'tcp'), policy('ALLOW', '{ methods: [GET], paths: ["/x"] }')].join('\n---\n') }];
    const found = analyze(files).diagnostics.filter((d) => d.code === 'MV0337');
    expect(found.map((d) => [d.severity, d.path])).toEqual([['warning', 'spec.rules']]);
    expect(found[0]?.message).toContain('found: methods, paths');
    expect(found[0]?.message).toContain('allows less than written');
  });
});
