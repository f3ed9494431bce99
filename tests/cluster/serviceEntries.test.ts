import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/api/index.ts';
import type { MeshEvent } from '../../src/model/index.ts';
import { deployment, recordingSim, send, service, sessionFrom } from '../helpers/mesh.ts';

/**
 * ServiceEntry beyond one MESH_EXTERNAL host. Facts from Istio's source (github.com/istio/istio, master of Aug 2026):
 * - `convertServiceEntryToInstances` (pilot/pkg/serviceregistry/serviceentry/conversion.go): a DNS-type entry without
 *   endpoints or workloadSelector has its host name as its one endpoint, tlsMode disabled; otherwise each `endpoints`
 *   item is an endpoint (STATIC without any has none). `getTLSModeFromWorkloadEntry`: an endpoint's tlsMode is its
 *   `security.istio.io/tlsMode` label, else `istio` when it names a serviceAccount, else disabled.
 * - `buildUpstreamTLSSettings` (pilot/pkg/networking/core/cluster_tls.go): without a DestinationRule `tls`,
 *   `if meshExternal || !autoMTLSEnabled … return nil`: MESH_EXTERNAL hosts never get auto-mTLS, MESH_INTERNAL ones do.
 * - `ValidateServiceEntry` (pkg/config/validation/validation.go): host `*` invalid; DNS resolution without endpoints
 *   needs FQDN hosts (no wildcard); NONE takes no endpoints; workloadSelector and endpoints exclude each other.
 * - IST0134 ServiceEntryAddressesRequired (pkg/config/analysis/analyzers/serviceentry/protocoladdresses.go): TCP or
 *   unset protocol ports without `addresses`.
 * - Envoy picks a virtual host by exact domain before a suffix wildcard (§ route matching of the gateway tests).
 */
const entry = (name: string, spec: string, namespace = 'default') => `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: { name: ${name}, namespace: ${namespace} }
spec:
${spec}`;

const ledger = (location: string, endpoints: string, extra = '') => entry('ledger', `  hosts: [ledger.corp.internal]
  location: ${location}
  ports: [{ number: 80, name: http, protocol: HTTP }]
  resolution: STATIC
${extra}  endpoints:
${endpoints}`);

const threeVms = ['10.10.0.11', '10.10.0.12', '10.10.0.13'].map((ip) => `    - { address: ${ip}, serviceAccount: ledger }`).join('\n');

const sim = (calls: string, extra = '') => `apiVersion: meshviz.dev/v1alpha1
kind: Simulation
metadata: { name: entries }
spec:
  workloads:
    checkout:
      calls:
${calls}
  external:
    ledger.corp.internal: { latency: { fixed: 5ms } }
    api.example.com: { latency: { fixed: 20ms } }
${extra}`;

const strict = (namespace = 'default') => `apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: { name: default, namespace: ${namespace} }
spec: { mtls: { mode: STRICT } }`;

const meshConfig = (mode: string) => `apiVersion: v1
kind: ConfigMap
metadata: { name: istio, namespace: istio-system }
data:
  mesh: |
    outboundTrafficPolicy:
      mode: ${mode}`;

const checkout = [deployment('checkout', { app: 'checkout' }), service('checkout')];
const to = (target: string, more = {}) => ({ from: 'checkout', to: target, ...more });
const picks = (events: readonly MeshEvent[]) => events.flatMap((e) => (e.kind === 'lb.pick' ? [e.endpoint] : []));
const clusters = (events: readonly MeshEvent[]) => events.flatMap((e) => (e.kind === 'route.cluster' ? [e.cluster] : []));
const routes = (events: readonly MeshEvent[]) => events.flatMap((e) => (e.kind === 'route.match' ? [e.route] : []));
const requestHop = (events: readonly MeshEvent[]) => events.find((e) => e.kind === 'hop.send' && e.direction === 'request');
const findings = (...docs: string[]) => analyze([{ name: 'mesh.yaml', text: docs.join('\n---\n') }]).diagnostics;

describe('location MESH_INTERNAL: the endpoints are in the mesh', () => {
  it('originates auto-mTLS to endpoints with a sidecar (tlsMode from serviceAccount), with their identity', () => {
    const session = sessionFrom(...checkout, ledger('MESH_INTERNAL', threeVms), sim('        - { service: ledger.corp.internal, path: /post }'));
    const r = send(session, to('ledger.corp.internal/post'));
    expect([r.status, clusters(r.events)]).toEqual([200, ['outbound|80||ledger.corp.internal']]);
    expect(requestHop(r.events)).toMatchObject({ mtls: true });
    const arrive = r.events.find((e) => e.kind === 'hop.arrive');
    expect(arrive).toMatchObject({ mtls: true, identities: { server: 'spiffe://cluster.local/ns/default/sa/ledger' } });
  });

  it('applies the entry namespace’s PeerAuthentication at the endpoints: STRICT resets a DestinationRule’s plaintext', () => {
    const plaintext = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: ledger, namespace: default }
spec: { host: ledger.corp.internal, trafficPolicy: { tls: { mode: DISABLE } } }`;
    const session = sessionFrom(...checkout, ledger('MESH_INTERNAL', threeVms), strict(), plaintext, sim('        - { service: ledger.corp.internal, path: /post }'));
    const r = send(session, to('ledger.corp.internal/post'));
    expect(r.events.some((e) => e.kind === 'mtls.reject' && e.mode === 'STRICT')).toBe(true);
    expect(r.status).not.toBe(200);
  });

  it('keeps an endpoint labelled tlsMode disabled in plaintext, and MESH_EXTERNAL never gets auto-mTLS', () => {
    const labelled = '    - { address: 10.10.0.11, serviceAccount: ledger, labels: { security.istio.io/tlsMode: disabled } }';
    const internal = sessionFrom(...checkout, ledger('MESH_INTERNAL', labelled), sim('        - { service: ledger.corp.internal, path: /post }'));
    expect(requestHop(send(internal, to('ledger.corp.internal/post')).events)).toMatchObject({ mtls: false });
    // The same sidecar endpoint declared MESH_EXTERNAL: istiod builds no TLS for the cluster, so STRICT there refuses it.
    const external = sessionFrom(...checkout, ledger('MESH_EXTERNAL', threeVms), strict(), sim('        - { service: ledger.corp.internal, path: /post }'));
    expect(external.xds.proxies[external.scenario.pods[0]?.name as string]?.clusters['outbound|80||ledger.corp.internal']?.tls).toEqual({ mode: 'DISABLE', auto: false });
    const r = send(external, to('ledger.corp.internal/post'));
    expect(requestHop(r.events)).toMatchObject({ mtls: false });
    expect(r.events.some((e) => e.kind === 'mtls.reject')).toBe(true);
  });
});

describe('resolution STATIC with several endpoints', () => {
  const session = sessionFrom(...checkout, ledger('MESH_EXTERNAL', threeVms), `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: ledger, namespace: default }
spec:
  host: ledger.corp.internal
  trafficPolicy:
    loadBalancer: { simple: ROUND_ROBIN }
    outlierDetection: { consecutive5xxErrors: 2, interval: 5s, baseEjectionTime: 30s, maxEjectionPercent: 100 }`, sim('        - { service: ledger.corp.internal, path: /post }'));

  it('has one endpoint per item, at its address, each a pod of the host', () => {
    const pods = session.scenario.pods.filter((p) => p.workload === 'ledger.corp.internal');
    expect(pods.map((p) => `${p.name} ${p.ip}`)).toEqual(['ledger.corp.internal-0 10.10.0.11', 'ledger.corp.internal-1 10.10.0.12', 'ledger.corp.internal-2 10.10.0.13']);
  });

  it('balances over them (ROUND_ROBIN: 300 requests, 100 each)', () => {
    const { sim: run, events } = recordingSim(session, 5);
    for (let i = 0; i < 300; i++) {
      run.send({ from: 'checkout', host: 'ledger.corp.internal', port: 80 });
      run.runUntilIdle();
    }
    const counts: Record<string, number> = {};
    for (const pod of picks(events)) counts[pod] = (counts[pod] ?? 0) + 1;
    expect(counts).toEqual({ 'ledger.corp.internal-0': 100, 'ledger.corp.internal-1': 100, 'ledger.corp.internal-2': 100 });
  });

  it('ejects one failing endpoint on its own and keeps sending to the others', () => {
    const { sim: run, events } = recordingSim(session, 5);
    run.fail({ pod: 'ledger.corp.internal-1' }, '503');
    for (let i = 0; i < 30; i++) {
      run.send({ from: 'checkout', host: 'ledger.corp.internal', port: 80 });
      run.runUntilIdle();
    }
    const ejections = events.flatMap((e) => (e.kind === 'outlier.eject' ? [e.endpoint] : []));
    expect(ejections).toEqual(['ledger.corp.internal-1']);
    // Two 503s from it (consecutive5xxErrors: 2), then only the other two are picked.
    const chosen = picks(events);
    const afterEjection = chosen.slice(chosen.lastIndexOf('ledger.corp.internal-1') + 1);
    expect(chosen.filter((p) => p === 'ledger.corp.internal-1').length).toBeGreaterThanOrEqual(2);
    expect(new Set(afterEjection)).toEqual(new Set(['ledger.corp.internal-0', 'ledger.corp.internal-2']));
    expect(afterEjection.length).toBeGreaterThan(20);
  });

  it('fails every endpoint when the host is named, one when its pod is', () => {
    const all = send(session, to('ledger.corp.internal/post', { failures: [{ target: 'ledger.corp.internal', mode: '503' }], repeat: 3 }));
    expect(all.earlier.map((e) => e.status)).toEqual([503, 503, 503]);
    const one = send(session, to('ledger.corp.internal/post', { failures: [{ target: 'ledger.corp.internal-2', mode: '503' }], repeat: 3 }));
    expect(one.earlier.map((e) => e.status)).toEqual([200, 200, 503]);
  });

  it('selects mesh pods as endpoints with a workloadSelector', () => {
    const selecting = entry('vms', `  hosts: [vms.corp.internal]
  location: MESH_INTERNAL
  ports: [{ number: 8080, name: http, protocol: HTTP }]
  resolution: STATIC
  workloadSelector: { labels: { app: legacy } }`);
    const s = sessionFrom(...checkout, deployment('legacy', { app: 'legacy' }, 2), selecting, sim('        - { service: vms.corp.internal, port: 8080 }'));
    const endpoints = s.xds.proxies[s.scenario.pods[0]?.name as string]?.clusters['outbound|8080||vms.corp.internal']?.endpoints ?? [];
    expect(endpoints.map((e) => e.pod)).toEqual(s.scenario.pods.filter((p) => p.workload === 'legacy').map((p) => p.name));
    expect(endpoints.every((e) => e.sidecar)).toBe(true);
    expect(send(s, to('vms.corp.internal:8080/')).status).toBe(200);
  });

  it('without endpoints has none: 503 UH, and analyze says so (MV0430)', () => {
    const empty = entry('ledger', `  hosts: [ledger.corp.internal]
  ports: [{ number: 80, name: http, protocol: HTTP }]
  resolution: STATIC`);
    const s = sessionFrom(...checkout, empty, sim('        - { service: ledger.corp.internal, path: /post }'));
    const r = send(s, to('ledger.corp.internal/post'));
    expect([r.status, r.flags]).toEqual([503, ['UH']]);
    expect(findings(...checkout, empty).map((d) => `${d.code} ${d.path}`)).toEqual(['MV0430 spec.resolution']);
  });
});

describe('wildcard hosts (resolution NONE)', () => {
  const wildcard = entry('example-apis', `  hosts: ["*.example.com"]
  ports: [{ number: 80, name: http, protocol: HTTP }]
  resolution: NONE`);
  const calls = '        - { service: api.example.com, path: /v1 }\n        - { service: www.example.com, path: / }\n        - { service: example.org, path: / }';

  it('sends a host under the wildcard through its cluster to the address dialled', () => {
    const s = sessionFrom(...checkout, wildcard, meshConfig('REGISTRY_ONLY'), sim(calls));
    for (const host of ['api.example.com', 'www.example.com']) {
      const r = send(s, to(`${host}/`));
      expect([r.status, clusters(r.events), picks(r.events)]).toEqual([200, ['outbound|80||*.example.com'], [host]]);
    }
    // Not under it: REGISTRY_ONLY's catch-all.
    expect(routes(send(s, to('example.org/')).events)).toEqual(['block_all']);
  });

  it('loses to an exact ServiceEntry host, as Envoy prefers an exact domain', () => {
    const exact = entry('api', `  hosts: [api.example.com]
  ports: [{ number: 80, name: http, protocol: HTTP }]
  resolution: DNS`);
    const s = sessionFrom(...checkout, wildcard, exact, sim(calls));
    expect(clusters(send(s, to('api.example.com/')).events)).toEqual(['outbound|80||api.example.com']);
    expect(clusters(send(s, to('www.example.com/')).events)).toEqual(['outbound|80||*.example.com']);
  });

  it('is refused with DNS resolution and no endpoints, as Istio’s validation does (MV0056, IST0106)', () => {
    const dns = entry('example-apis', `  hosts: ["*.example.com"]
  ports: [{ number: 80, name: http, protocol: HTTP }]
  resolution: DNS`);
    const found = findings(...checkout, dns);
    expect(found.map((d) => `${d.code} ${d.severity} ${d.path}`)).toEqual(['MV0056 error spec.hosts[0]']);
    expect(found[0]?.message).toContain('DNS cannot resolve a wildcard');
  });
});

describe('addresses: the entry’s VIPs', () => {
  const db = entry('db', `  hosts: [db.corp.internal]
  addresses: [240.0.0.10, 240.0.1.0/24]
  ports: [{ number: 5432, name: tcp, protocol: TCP }]
  resolution: DNS`);

  it('sends a connection to a listed address or one inside a listed CIDR to the entry’s host', () => {
    const s = sessionFrom(...checkout, db, meshConfig('REGISTRY_ONLY'), sim('        - { service: "240.0.0.10:5432" }\n        - { service: "240.0.1.7:5432" }', '    db.corp.internal: { latency: { fixed: 2ms } }\n'));
    for (const address of ['240.0.0.10:5432', '240.0.1.7:5432']) {
      const r = send(s, to(`${address}/`));
      expect([r.status, clusters(r.events), picks(r.events)]).toEqual([200, ['outbound|5432||db.corp.internal'], ['db.corp.internal']]);
    }
  });

  it('is what IST0134 asks for on a TCP port (MV0431)', () => {
    const bare = entry('db', `  hosts: [db.corp.internal]
  ports: [{ number: 5432, name: tcp, protocol: TCP }, { number: 80, name: http, protocol: HTTP }, { number: 6379, name: redis }]
  resolution: DNS`);
    const found = findings(bare).filter((d) => d.code === 'MV0431');
    expect(found.map((d) => d.path)).toEqual(['spec.ports[0]', 'spec.ports[2]']);
    expect(findings(db).filter((d) => d.code === 'MV0431')).toEqual([]);
  });
});

describe('exportTo', () => {
  const reports = `apiVersion: apps/v1
kind: Deployment
metadata: { name: reports, namespace: other }
spec:
  replicas: 1
  selector: { matchLabels: { app: reports } }
  template:
    metadata: { labels: { app: reports } }
    spec: { containers: [{ name: main, image: example }] }`;
  const other = 'apiVersion: v1\nkind: Namespace\nmetadata: { name: other, labels: { istio-injection: enabled } }';
  const withExport = (exportTo: string) => ledger('MESH_EXTERNAL', threeVms, `  exportTo: ${exportTo}\n`);
  const bothCall = sim('        - { service: ledger.corp.internal, path: /post }').replace('  external:', '    reports:\n      calls:\n        - { service: ledger.corp.internal, path: /read }\n  external:');
  const from = (s: ReturnType<typeof sessionFrom>, workload: string) => send(s, { from: workload, to: 'ledger.corp.internal/post' });

  it('"." keeps the host to its own namespace: elsewhere it is unknown (ALLOW_ANY: PassthroughCluster)', () => {
    const s = sessionFrom(other, ...checkout, reports, withExport('["."]'), bothCall);
    expect(clusters(from(s, 'checkout').events)).toEqual(['outbound|80||ledger.corp.internal']);
    const outside = from(s, 'reports');
    expect([outside.status, routes(outside.events), clusters(outside.events)]).toEqual([200, ['allow_any'], ['PassthroughCluster']]);
  });

  it('under REGISTRY_ONLY the namespace it is not exported to gets 502 block_all; analyze points at exportTo (MV0429)', () => {
    const docs = [other, ...checkout, reports, withExport('["."]'), meshConfig('REGISTRY_ONLY'), bothCall];
    const r = from(sessionFrom(...docs), 'reports');
    expect([r.status, routes(r.events)]).toEqual([502, ['block_all']]);
    expect(findings(...docs).filter((d) => d.code === 'MV0429').map((d) => `${d.path} ${d.message}`)).toEqual([
      'spec.exportTo ServiceEntry/default/ledger is not exported to other (exportTo), and reports there calls ledger.corp.internal:80: to its sidecar the host is unknown, so its sidecar answers 502 (route block_all)',
    ]);
  });

  it('reaches mesh pods a hidden workloadSelector entry selects through PassthroughCluster (no other host outside)', () => {
    const selecting = entry('vms', `  hosts: [vms.corp.internal]
  location: MESH_INTERNAL
  ports: [{ number: 8080, name: http, protocol: HTTP }]
  resolution: STATIC
  exportTo: ["."]
  workloadSelector: { labels: { app: legacy } }`);
    const calls = `apiVersion: meshviz.dev/v1alpha1
kind: Simulation
metadata: { name: s }
spec:
  workloads:
    reports:
      calls:
        - { service: vms.corp.internal, port: 8080 }`;
    const s = sessionFrom(other, deployment('legacy', { app: 'legacy' }), reports, selecting, calls);
    const r = send(s, { from: 'reports', to: 'vms.corp.internal:8080/' });
    expect([r.status, routes(r.events), clusters(r.events)]).toEqual([200, ['allow_any'], ['PassthroughCluster']]);
  });

  it('a namespace list or "*" exports it there', () => {
    for (const list of ['[other]', '["*"]']) {
      const s = sessionFrom(other, ...checkout, reports, withExport(list), meshConfig('REGISTRY_ONLY'), bothCall);
      expect(clusters(from(s, 'reports').events)).toEqual(['outbound|80||ledger.corp.internal']);
    }
    const only = sessionFrom(other, ...checkout, reports, withExport('[other]'), meshConfig('REGISTRY_ONLY'), bothCall);
    expect(routes(from(only, 'checkout').events)).toEqual(['block_all']);
  });
});

describe('entries Istio’s validation refuses (MV0056, IST0106)', () => {
  it('reports where and leaves the hosts undeclared', () => {
    const bad = [
      entry('all', '  hosts: ["*"]\n  ports: [{ number: 80, name: http, protocol: HTTP }]\n  resolution: NONE'),
      entry('none', '  hosts: [a.example.net]\n  ports: [{ number: 80, name: http, protocol: HTTP }]\n  resolution: NONE\n  endpoints: [{ address: 10.0.0.1 }]'),
      entry('both', '  hosts: [b.example.net]\n  ports: [{ number: 80, name: http, protocol: HTTP }]\n  resolution: STATIC\n  workloadSelector: { labels: { app: x } }\n  endpoints: [{ address: 10.0.0.1 }]'),
      entry('rr', '  hosts: [c.example.net]\n  ports: [{ number: 80, name: http, protocol: HTTP }]\n  resolution: DNS_ROUND_ROBIN\n  endpoints: [{ address: 10.0.0.1 }, { address: 10.0.0.2 }]'),
    ];
    expect(findings(...bad).map((d) => `${d.code} ${d.resource} ${d.path}`)).toEqual([
      'MV0056 ServiceEntry/default/all spec.hosts[0]',
      'MV0056 ServiceEntry/default/none spec.endpoints',
      'MV0056 ServiceEntry/default/both spec.workloadSelector',
      'MV0056 ServiceEntry/default/rr spec.endpoints',
    ]);
    // Refused, the entry declares nothing: the call to its host is reported as to an undeclared one.
    const calls = findings(...checkout, bad[1] as string, meshConfig('REGISTRY_ONLY'), sim('        - { service: a.example.net, path: / }'));
    expect(calls.map((d) => d.code)).toEqual(['MV0056', 'MV0420']);
  });
});
