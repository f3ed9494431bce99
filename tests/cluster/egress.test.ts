import { describe, expect, it } from 'vitest';
import { analyze, runSimulation } from '../../src/api/index.ts';
import type { SendOptions } from '../../src/api/index.ts';
import { deployment, send, service, sessionFrom } from '../helpers/mesh.ts';

/**
 * Hosts outside the mesh. Facts not on the semantics page, from Istio's source
 * (github.com/istio/istio, master of Aug 2026):
 * - `DefaultMeshConfig` (pkg/config/mesh/mesh.go): outboundTrafficPolicy ALLOW_ANY.
 * - `buildCatchAllVirtualHost` (pilot/pkg/networking/core/httproute.go): for a host with no service,
 *   ALLOW_ANY → virtual host and route `allow_any` to cluster `PassthroughCluster`, timeout 0 and no
 *   retry policy (so Envoy never retries, §1.1); REGISTRY_ONLY → route `block_all`, a direct response 502.
 * - `buildDefaultPassthroughCluster` (pilot/pkg/networking/core/cluster_builder.go): ORIGINAL_DST, no outlier detection.
 * - names from pilot/pkg/networking/util/util.go: PassthroughCluster, allow_any, block_all.
 * - a ServiceEntry host is a service like any other: cluster `outbound|<port>||<host>`, the default route
 *   with Istio's default retry policy (§2.1), DestinationRules on the host apply.
 */
const meshConfig = (mode: string) => `apiVersion: v1
kind: ConfigMap
metadata: { name: istio, namespace: istio-system }
data:
  mesh: |
    accessLogFile: /dev/stdout
    outboundTrafficPolicy:
      mode: ${mode}`;

const serviceEntry = `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: payments, namespace: default }
spec:
  hosts: [payments.example.com]
  location: MESH_EXTERNAL
  ports: [{ number: 80, name: http, protocol: HTTP }]
  resolution: DNS`;

const simulation = (extra = '') => `apiVersion: meshviz.dev/v1alpha1
kind: Simulation
metadata: { name: egress }
spec:
${extra}  workloads:
    checkout:
      calls:
        - { service: payments.example.com, path: /charge }
        - { service: rates.example.org, path: /latest, onFailure: continue }
  external:
    payments.example.com: { latency: { fixed: 80ms } }
    rates.example.org: { latency: { fixed: 30ms } }`;

const shop = (...docs: string[]) => sessionFrom(deployment('checkout', { app: 'checkout' }), service('checkout'), serviceEntry, ...docs);
const to = (target: string, more: Partial<SendOptions> = {}) => ({ from: 'checkout', to: target, ...more });
const routeOf = (r: ReturnType<typeof send>) => r.events.flatMap((e) => (e.kind === 'route.match' ? [e.route] : []));
const clustersOf = (r: ReturnType<typeof send>) => r.events.flatMap((e) => (e.kind === 'route.cluster' ? [e.cluster] : []));

describe('outboundTrafficPolicy REGISTRY_ONLY (the istio ConfigMap)', () => {
  const session = shop(meshConfig('REGISTRY_ONLY'), simulation());

  it('answers an undeclared host with a direct 502 from block_all: nothing leaves the pod', () => {
    const r = send(session, to('rates.example.org/latest'));
    expect([r.status, r.flags, r.attempts]).toEqual([502, [], 0]);
    expect(routeOf(r)).toEqual(['block_all']);
    expect(r.events.some((e) => e.kind === 'lb.pick' || e.kind === 'hop.send')).toBe(false);
  });

  it('lets a ServiceEntry host out through outbound|80||host, with the external service’s own latency', () => {
    const r = send(session, to('payments.example.com/charge'));
    expect([r.status, r.attempts]).toEqual([200, 1]);
    expect(clustersOf(r)).toEqual(['outbound|80||payments.example.com']);
    expect(r.durationMs).toBeGreaterThan(80);
  });

  it('blocks a port the ServiceEntry does not declare', () => {
    const r = send(session, to('payments.example.com:8080/charge'));
    expect([r.status, routeOf(r)]).toEqual([502, ['block_all']]);
  });

  it('resets a connection on a port with no HTTP listener: the catch-all TCP proxy goes to BlackHoleCluster (0, UH), not 502', () => {
    // No Service of the mesh has port 5432, so there is no 0.0.0.0_5432 HTTP listener: the connection meets the
    // virtualOutbound listener's catch-all TCP proxy, under REGISTRY_ONLY toward BlackHoleCluster, which has no
    // endpoint (istiod pilot/pkg/networking/core/listener.go; an access log of it, response_code 0 and flag UH,
    // with curl's "Connection reset by peer", in istio/istio#33281).
    const tcp = shop(meshConfig('REGISTRY_ONLY'), simulation().replace('        - { service: rates.example.org', '        - { service: "db.example.net:5432", path: /, onFailure: continue }\n        - { service: rates.example.org'));
    const r = send(tcp, to('db.example.net:5432/'));
    expect([r.status, r.flags, r.attempts, routeOf(r)]).toEqual([0, ['UH'], 0, ['BlackHoleCluster']]);
    expect(r.events.some((e) => e.kind === 'lb.pick' || e.kind === 'hop.send')).toBe(false);
    const files = [{ name: 'shop.yaml', text: [deployment('checkout', { app: 'checkout' }), service('checkout'), serviceEntry, meshConfig('REGISTRY_ONLY'), simulation().replace('        - { service: rates.example.org', '        - { service: "db.example.net:5432", path: /, onFailure: continue }\n        - { service: rates.example.org')].join('\n---\n') }];
    expect(analyze(files).diagnostics.filter((d) => d.message.includes('5432')).map((d) => d.message)).toEqual([
      'checkout calls db.example.net:5432, which no ServiceEntry declares, and the mesh\'s outboundTrafficPolicy is REGISTRY_ONLY: its sidecar resets the connection (no HTTP listener on that port: the catch-all TCP proxy goes to BlackHoleCluster, flag UH) without sending anything; declare the host in a ServiceEntry',
    ]);
    // Under ALLOW_ANY the same connection passes through.
    const open = shop(simulation().replace('        - { service: rates.example.org', '        - { service: "db.example.net:5432", path: /, onFailure: continue }\n        - { service: rates.example.org'));
    expect(send(open, to('db.example.net:5432/')).status).toBe(200);
  });

  it('is found by analyze where the call is written (MV0420)', () => {
    const files = [{ name: 'shop.yaml', text: [deployment('checkout', { app: 'checkout' }), service('checkout'), serviceEntry, meshConfig('REGISTRY_ONLY'), simulation()].join('\n---\n') }];
    expect(analyze(files).diagnostics.map((d) => `${d.code} ${d.path} ${d.message}`)).toEqual([
      'MV0420 spec.workloads.checkout.calls[1].service checkout calls rates.example.org:80, which no ServiceEntry declares, and the mesh\'s outboundTrafficPolicy is REGISTRY_ONLY: its sidecar answers 502 (route block_all) without sending anything; declare the host in a ServiceEntry',
    ]);
  });
});

describe('outboundTrafficPolicy ALLOW_ANY (Istio’s default)', () => {
  const session = shop(simulation());

  it('passes an undeclared host through PassthroughCluster to the address dialled', () => {
    const r = send(session, to('rates.example.org/latest'));
    expect([r.status, r.attempts]).toEqual([200, 1]);
    expect(routeOf(r)).toEqual(['allow_any']);
    expect(clustersOf(r)).toEqual(['PassthroughCluster']);
    expect(r.events.flatMap((e) => (e.kind === 'lb.pick' ? [e.endpoint] : []))).toEqual(['rates.example.org']);
  });

  it('never retries through PassthroughCluster (no retry policy), while a ServiceEntry host gets Istio’s default retries', () => {
    const passthrough = send(session, to('rates.example.org/latest', { failures: [{ target: 'rates.example.org', mode: 'refuse' }] }));
    expect([passthrough.status, passthrough.flags, passthrough.attempts]).toEqual([503, ['UF'], 1]);
    const declared = send(session, to('payments.example.com/charge', { failures: [{ target: 'payments.example.com', mode: 'refuse' }] }));
    expect([declared.status, declared.flags, declared.attempts]).toEqual([503, ['UF', 'URX'], 3]);
  });

  it('is the default, and the Simulation overrides the mesh config', () => {
    expect(shop(simulation()).scenario.mesh.outboundTrafficPolicy).toBe('ALLOW_ANY');
    const overridden = shop(meshConfig('REGISTRY_ONLY'), simulation('  mesh: { outboundTrafficPolicy: { mode: ALLOW_ANY } }\n'));
    expect(send(overridden, to('rates.example.org/latest')).status).toBe(200);
  });
});

describe('the mesh config where users keep it', () => {
  const operator = (mode: string) => `apiVersion: install.istio.io/v1alpha1
kind: IstioOperator
metadata: { name: installed, namespace: istio-system }
spec:
  profile: default
  meshConfig: { outboundTrafficPolicy: { mode: ${mode} } }`;

  it('reads an IstioOperator’s spec.meshConfig; the ConfigMap istiod reads wins over it', () => {
    expect(shop(operator('REGISTRY_ONLY'), simulation()).scenario.mesh.outboundTrafficPolicy).toBe('REGISTRY_ONLY');
    expect(shop(operator('REGISTRY_ONLY'), meshConfig('ALLOW_ANY'), simulation()).scenario.mesh.outboundTrafficPolicy).toBe('ALLOW_ANY');
  });

  it('says so when istiod could not read it, and keeps Istio’s default', () => {
    const files = [{ name: 'mesh.yaml', text: meshConfig('registry_only') }];
    expect(analyze(files).diagnostics.map((d) => `${d.code} ${d.severity} ${d.path}`)).toEqual(['MV0032 warning data.mesh']);
  });
});

describe('egress through a DestinationRule on the external host', () => {
  it('ejects the failing external service after consecutive 5xx, then fails fast (503 UH)', () => {
    const rule = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: payments, namespace: default }
spec:
  host: payments.example.com
  trafficPolicy:
    outlierDetection: { consecutive5xxErrors: 3, interval: 5s, baseEjectionTime: 30s, maxEjectionPercent: 100 }`;
    const r = send(shop(rule, simulation()), to('payments.example.com/charge', { failures: [{ target: 'payments.example.com', mode: '503' }], repeat: 4 }));
    expect(r.earlier.map((e) => `${e.status} ${e.flags.join(',') || '-'}`)).toEqual(['503 -', '503 -', '503 -', '503 UH']);
    expect([r.status, r.flags]).toEqual([503, ['UH']]);
  });

  it('runs the external service’s latency and error rate from the Simulation', () => {
    const session = shop(simulation(`  traffic:\n    - { name: buyers, from: external, to: checkout:8080, rps: 10, duration: 10s }\n`).replace('rates.example.org: { latency: { fixed: 30ms } }', 'rates.example.org: { latency: { fixed: 30ms }, errorRate: 1 }'));
    const report = runSimulation(session, { seed: 3 });
    const call = (host: string) => report.calls.find((c) => c.source === 'checkout' && c.destinationService === host);
    expect(call('rates.example.org')?.byCode).toEqual({ 500: 100 });
    expect(call('payments.example.com')?.byCode).toEqual({ 200: 100 });
  });
});
