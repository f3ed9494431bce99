import { describe, expect, it } from 'vitest';
import { exportScenario, loadScenario } from '../../src/istio/index.ts';
import type { MeshEvent } from '../../src/model/index.ts';
import { deployment, ends, recordingSim, sessionFrom, simulation, twoVersionMesh, virtualService } from '../helpers/mesh.ts';

/**
 * HTTP/2 between sidecars (mesh-semantics §4.1–4.2). Istio makes an outbound
 * cluster HTTP/2 for an HTTP2/gRPC port, or when `h2UpgradePolicy` says
 * UPGRADE (the DestinationRule's, else the mesh's for named HTTP ports;
 * `useClientProtocol` keeps HTTP/1.1): Istio src
 * pilot/pkg/networking/core/cluster_builder.go (`setH2Options` for
 * `port.Protocol.IsHTTP2()`) and cluster_traffic_policy.go (`shouldH2Upgrade`,
 * `http2MaxRequests` → `max_requests`, `maxConcurrentStreams` →
 * `max_concurrent_streams`).
 */

const toV1 = virtualService(`
- route: [{ destination: { host: server, subset: v1 } }]
  retries: { attempts: 0 }`);

const kinds = <K extends MeshEvent['kind']>(events: MeshEvent[], kind: K) => events.filter((e): e is Extract<MeshEvent, { kind: K }> => e.kind === kind);

function h2Mesh(trafficPolicy: string, extra: string[] = []) {
  return sessionFrom(...twoVersionMesh({ vs: toV1, v2Replicas: 0, trafficPolicy }), ...extra);
}

/** Sends `n` requests at once from client to server and runs until all end. */
function burst(session: ReturnType<typeof sessionFrom>, n: number) {
  const { sim, events } = recordingSim(session, 1);
  for (let i = 0; i < n; i++) sim.send({ from: 'client', host: 'server', port: 8080 });
  sim.runUntilIdle();
  return { sim, events };
}

describe('HTTP/2 upstream: requests are streams on one connection', () => {
  it('HTTP/1.1 (the default): five requests at once open five connections', () => {
    const { events } = burst(h2Mesh('loadBalancer: { simple: ROUND_ROBIN }'), 5);
    expect(kinds(events, 'conn.open')).toHaveLength(5);
    expect(kinds(events, 'conn.open').every((e) => e.http2 === undefined)).toBe(true);
  });

  it('h2UpgradePolicy: UPGRADE: five requests at once share one connection, set up once; all succeed', () => {
    const session = h2Mesh('connectionPool: { http: { h2UpgradePolicy: UPGRADE } }');
    expect(session.xds.proxies[session.scenario.pods.find((p) => p.workload === 'client')?.name ?? '']?.clusters['outbound|8080|v1|server.default.svc.cluster.local']?.http2).toEqual({
      maxConcurrentStreams: 2 ** 31 - 1,
    });
    const { events } = burst(session, 5);
    const opens = kinds(events, 'conn.open');
    expect(opens).toHaveLength(1);
    expect(opens[0]?.http2).toBe(true);
    // They all wait for that one connection's handshake, then go out together as streams.
    const sends = events.filter((e) => e.kind === 'hop.send' && e.direction === 'request');
    expect(new Set(sends.map((e) => e.t)).size).toBe(1);
    expect(sends.map((e) => e.t)[0]).toBe((opens[0]?.t ?? 0) + (opens[0]?.setup ?? 0));
    expect(ends(events).map((e) => e.status)).toEqual([200, 200, 200, 200, 200]);
  });

  it('a request arriving while streams are open is multiplexed on the same connection', () => {
    const session = h2Mesh('connectionPool: { http: { h2UpgradePolicy: UPGRADE } }');
    const { sim, events } = recordingSim(session, 1);
    sim.send({ from: 'client', host: 'server', port: 8080 });
    sim.runUntilIdle();
    sim.send({ from: 'client', host: 'server', port: 8080 });
    sim.send({ from: 'client', host: 'server', port: 8080 });
    sim.runUntilIdle();
    expect(kinds(events, 'conn.open')).toHaveLength(1);
    expect(kinds(events, 'conn.reuse').map((e) => e.streams)).toEqual([1, 2]);
  });

  it('maxConcurrentStreams: 2 — five requests at once need three connections', () => {
    const { events } = burst(h2Mesh('connectionPool: { http: { h2UpgradePolicy: UPGRADE, maxConcurrentStreams: 2 } }'), 5);
    expect(kinds(events, 'conn.open')).toHaveLength(3);
    expect(ends(events).every((e) => e.status === 200)).toBe(true);
  });

  it('maxConnections: 1 with maxConcurrentStreams: 2 — the rest wait for a stream to end, none fail', () => {
    const { events } = burst(h2Mesh('connectionPool: { tcp: { maxConnections: 1 }, http: { h2UpgradePolicy: UPGRADE, maxConcurrentStreams: 2 } }'), 5);
    expect(kinds(events, 'conn.open')).toHaveLength(1);
    expect(kinds(events, 'pool.pending').length).toBe(5);
    expect(ends(events).every((e) => e.status === 200)).toBe(true);
  });

  it('http2MaxRequests: 2 — the third request at once overflows with 503 UO (max_requests), the connection carries two', () => {
    const { events, sim } = burst(h2Mesh('connectionPool: { http: { h2UpgradePolicy: UPGRADE, http2MaxRequests: 2 } }'), 3);
    expect(ends(events).map((e) => `${e.status} ${e.flags.join(',')}`).sort()).toEqual(['200 ', '200 ', '503 UO']);
    expect(kinds(events, 'pool.overflow').map((e) => e.limit)).toEqual(['maxRequests']);
    expect(kinds(events, 'conn.open')).toHaveLength(1);
    expect(sim.state.connections.size).toBe(1);
  });

  it('http1MaxPendingRequests counts only requests waiting for a connection being set up: the second of three overflows', () => {
    const { events } = burst(h2Mesh('connectionPool: { tcp: { maxConnections: 1 }, http: { h2UpgradePolicy: UPGRADE, http1MaxPendingRequests: 1 } }'), 3);
    expect(ends(events).map((e) => `${e.status} ${e.flags.join(',')}`)).toEqual(['503 UO', '503 UO', '200 ']);
    expect(kinds(events, 'pool.overflow').map((e) => e.limit)).toEqual(['maxPendingRequests', 'maxPendingRequests']);
  });

  it('maxRequestsPerConnection: 2 over HTTP/2 — a connection carries two streams in its life, then closes', () => {
    const session = h2Mesh('connectionPool: { http: { h2UpgradePolicy: UPGRADE, maxRequestsPerConnection: 2 } }');
    const { sim, events } = recordingSim(session, 1);
    for (let i = 0; i < 4; i++) {
      sim.send({ from: 'client', host: 'server', port: 8080 });
      sim.runUntilIdle();
    }
    expect(kinds(events, 'conn.open')).toHaveLength(2);
    expect(kinds(events, 'conn.close').map((e) => e.reason)).toEqual(['maxRequestsPerConnection reached', 'maxRequestsPerConnection reached']);
  });

  it('a per-try timeout resets only its stream: the connection stays open for the others', () => {
    const vs = virtualService(`
- route: [{ destination: { host: server, subset: v1 } }]
  retries: { attempts: 1, retryOn: connect-failure, perTryTimeout: 45ms }`);
    const timed = sessionFrom(...twoVersionMesh({ vs, v2Replicas: 0, trafficPolicy: 'connectionPool: { http: { h2UpgradePolicy: UPGRADE } }' }), simulation(`
seed: 3
workloads:
  server-v1: { latency: { p50: 40ms, p99: 200ms } }`));
    const { events } = burst(timed, 20);
    const timeouts = ends(events).filter((e) => e.flags.includes('UT'));
    expect(timeouts.length).toBeGreaterThan(0);
    expect(ends(events).some((e) => e.status === 200)).toBe(true);
    expect(kinds(events, 'conn.open')).toHaveLength(1);
    expect(kinds(events, 'conn.close')).toHaveLength(0);
  });

  it('a pod that stops accepting connections resets the HTTP/2 connection: the next request opens a new one', () => {
    const session = h2Mesh('connectionPool: { http: { h2UpgradePolicy: UPGRADE } }');
    const { sim, events } = recordingSim(session, 1);
    sim.send({ from: 'client', host: 'server', port: 8080 });
    sim.runUntilIdle();
    sim.fail({ workload: 'server-v1' }, 'refuse');
    sim.send({ from: 'client', host: 'server', port: 8080 });
    sim.runUntilIdle();
    sim.recover({ workload: 'server-v1' });
    sim.send({ from: 'client', host: 'server', port: 8080 });
    sim.runUntilIdle();
    expect(ends(events).map((e) => e.status)).toEqual([200, 503, 200]);
    const [first] = kinds(events, 'conn.open');
    expect(kinds(events, 'conn.close').find((e) => e.connection === first?.connection)?.reason).toMatch(/stopped accepting connections/);
    // The refused attempt opened its own connection; after recovery a fresh one carries the third request.
    expect(kinds(events, 'conn.open')).toHaveLength(3);
    expect(kinds(events, 'conn.refused')).toHaveLength(1);
  });
});

describe('which clusters speak HTTP/2 (Istio shouldH2Upgrade)', () => {
  const clusterOf = (session: ReturnType<typeof sessionFrom>) =>
    session.xds.proxies[session.scenario.pods.find((p) => p.workload === 'client')?.name ?? '']?.clusters['outbound|8080||server.default.svc.cluster.local'];

  const mesh = (portName: string, rule = '', meshConfig = '') =>
    sessionFrom(
      deployment('client', { app: 'client' }),
      deployment('server', { app: 'server' }),
      `apiVersion: v1
kind: Service
metadata: { name: server, namespace: default }
spec:
  selector: { app: server }
  ports: [{ ${portName} port: 8080, targetPort: 8080 }]`,
      ...(rule ? [`apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: server, namespace: default }
spec:
  host: server
  trafficPolicy: { connectionPool: { http: { ${rule} } } }`] : []),
      ...(meshConfig ? [`apiVersion: v1
kind: ConfigMap
metadata: { name: istio, namespace: istio-system }
data:
  mesh: |
    ${meshConfig}`] : []),
    );

  it('a grpc, http2 or grpc-web port, or appProtocol kubernetes.io/h2c, is HTTP/2 whatever the policy', () => {
    for (const name of ['name: grpc,', 'name: grpc-api,', 'name: http2-x,', 'name: grpc-web,', 'name: web, appProtocol: kubernetes.io/h2c,']) {
      expect(clusterOf(mesh(name))?.http2, name).toBeDefined();
    }
  });

  it('an http port stays HTTP/1.1 by default (mesh h2UpgradePolicy DO_NOT_UPGRADE)', () => {
    expect(clusterOf(mesh('name: http,'))?.http2).toBeUndefined();
  });

  it('the mesh config UPGRADE upgrades named HTTP ports, not sniffed (unnamed) ones, nor a DestinationRule DO_NOT_UPGRADE', () => {
    expect(clusterOf(mesh('name: http,', '', 'h2UpgradePolicy: UPGRADE'))?.http2).toBeDefined();
    expect(clusterOf(mesh('', '', 'h2UpgradePolicy: UPGRADE'))?.http2).toBeUndefined();
    expect(clusterOf(mesh('name: http,', 'h2UpgradePolicy: DO_NOT_UPGRADE', 'h2UpgradePolicy: UPGRADE'))?.http2).toBeUndefined();
  });

  it('a DestinationRule UPGRADE upgrades even a sniffed port; useClientProtocol keeps HTTP/1.1', () => {
    expect(clusterOf(mesh('', 'h2UpgradePolicy: UPGRADE'))?.http2).toBeDefined();
    expect(clusterOf(mesh('name: http,', 'h2UpgradePolicy: UPGRADE, useClientProtocol: true'))?.http2).toBeUndefined();
  });

  it('maxConcurrentStreams sets the streams per connection', () => {
    expect(clusterOf(mesh('name: grpc,', 'maxConcurrentStreams: 7'))?.http2).toEqual({ maxConcurrentStreams: 7 });
  });

  it('an unknown mesh h2UpgradePolicy is a diagnostic naming the value, and changes nothing', () => {
    const session = mesh('name: http,', '', 'h2UpgradePolicy: SOMETIMES');
    expect(session.diagnostics.some((d) => d.message.includes('h2UpgradePolicy "SOMETIMES"'))).toBe(true);
    expect(clusterOf(session)?.http2).toBeUndefined();
  });
});

describe("the Simulation's mesh h2UpgradePolicy", () => {
  const withMesh = (value: string) =>
    twoVersionMesh({ v2Replicas: 0, simulation: simulation(`mesh: { h2UpgradePolicy: ${value} }`) }).map((text, i) => ({ name: `doc${i}.yaml`, text }));

  it('overrides the mesh config, and survives export → load', () => {
    const loaded = loadScenario(withMesh('UPGRADE'));
    expect(loaded.scenario.mesh.h2UpgradePolicy).toBe('UPGRADE');
    const exported = exportScenario(loaded.scenario, { sources: withMesh('UPGRADE') });
    expect(exported).toMatch(/h2UpgradePolicy: UPGRADE/);
    expect(loadScenario([{ name: 'exported.yaml', text: exported }]).scenario.mesh.h2UpgradePolicy).toBe('UPGRADE');
  });

  it('an unknown value is an error at its place, naming the allowed ones', () => {
    const loaded = loadScenario(withMesh('ALWAYS'));
    const problem = loaded.diagnostics.find((d) => d.message.includes('ALWAYS'));
    expect(problem?.message).toBe('h2UpgradePolicy must be DO_NOT_UPGRADE or UPGRADE, not "ALWAYS"');
    expect(problem?.path).toBe('spec.mesh.h2UpgradePolicy');
    expect(loaded.scenario.mesh.h2UpgradePolicy).toBe('DO_NOT_UPGRADE');
  });
});
