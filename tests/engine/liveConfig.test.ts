import { describe, expect, it } from 'vitest';
import { runSimulation } from '../../src/api/index.ts';
import { indent, sessionFrom, simulation, twoVersionMesh, virtualService } from '../helpers/mesh.ts';

const toV2 = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: server, namespace: default }
spec:
  hosts: [server]
  http: [{ route: [{ destination: { host: server, subset: v3 } }] }]`;

const drWithV3 = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: server, namespace: default }
spec:
  host: server
  subsets:
  - { name: v1, labels: { version: v1 } }
  - { name: v2, labels: { version: v2 } }
  - { name: v3, labels: { version: v2 } }`;

describe('live config changes', () => {
  it('a VirtualService that names a subset before its DestinationRule defines it gives real 503 NC until the rule arrives', () => {
    const session = sessionFrom(
      ...twoVersionMesh({
        vs: virtualService('- route: [{ destination: { host: server, subset: v1 } }]'),
        simulation: simulation(`
controlPlane: { pushDelay: 100ms }
traffic: [{ name: t, from: client, to: "server:8080", rps: 100, duration: 4s }]
timeline:
  - at: 1s
    apply:
${indent(toV2, 6)}
  - at: 2s
    apply:
${indent(drWithV3, 6)}`),
      }),
    );
    const report = runSimulation(session);
    expect(report.requests.total).toBe(400);
    // From 1.1 s (VS pushed) to 2.1 s (DR pushed): about 100 requests find no cluster.
    const nc = report.requests.byFlags['NC'] ?? 0;
    expect(nc).toBeGreaterThanOrEqual(95);
    expect(nc).toBeLessThanOrEqual(105);
    expect(report.requests.byCode['503']).toBe(nc);
    expect(report.pods.find((p) => p.workload === 'server-v2')?.received).toBeGreaterThan(180);
  });

  it('delete takes a resource away; a change to something that does not exist is rejected, not dropped', () => {
    const events: string[] = [];
    const session = sessionFrom(
      ...twoVersionMesh({
        vs: virtualService('- route: [{ destination: { host: server, subset: v1 } }]'),
        simulation: simulation(`
traffic: [{ name: t, from: client, to: "server:8080", rps: 100, duration: 2s }]
timeline:
  - { at: 1s, delete: { kind: VirtualService, name: server } }
  - { at: 1500ms, delete: { kind: VirtualService, name: nothing } }`),
      }),
    );
    const report = runSimulation(session, { sink: (e) => events.push(e.kind === 'config.rejected' ? `rejected: ${e.reason}` : e.kind) });
    expect(events).toContain('config.change');
    expect(events.find((e) => e.startsWith('rejected'))).toMatch(/no VirtualService\/default\/nothing/);
    // Without the VirtualService the default route spreads over both versions.
    expect(report.pods.find((p) => p.workload === 'server-v2')?.received).toBeGreaterThan(20);
  });

  it('with istiod down, proxies keep their last config and certificates expire: new mTLS connections then fail', () => {
    const session = sessionFrom(
      ...twoVersionMesh({
        vs: virtualService('- route: [{ destination: { host: server, subset: v1 } }]'),
        trafficPolicy: 'connectionPool: { http: { maxRequestsPerConnection: 1 } }',
        simulation: simulation(`
traffic: [{ name: t, from: client, to: "server:8080", rps: 0.2, duration: 26h }]
timeline:
  - { at: 1h, controlPlane: down }`),
      }),
    );
    const report = runSimulation(session, { duration: 26 * 3_600_000_000 });
    // Up to 24 h the first certificates are valid; after that every new handshake fails (one request every 5 s).
    const failed = report.requests.byCode['503'] ?? 0;
    expect(failed).toBeGreaterThan(1400);
    expect(failed).toBeLessThanOrEqual((2 * 3600) / 5);
    expect(report.requests.byCode['200']).toBeGreaterThanOrEqual((24 * 3600) / 5 - 1);
    expect(report.requests.byFlags['UF,URX']).toBe(failed);
  });
});
