import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze, openSession, runSimulation, sendOne } from '../../src/api/index.ts';
import type { SendOptions, SendResult, Session } from '../../src/api/index.ts';
import { exportScenario } from '../../src/istio/index.ts';
import type { SourceFile } from '../../src/istio/index.ts';
import { DEFAULT_COSTS, type MeshEvent } from '../../src/model/index.ts';

/**
 * A gateway server's modes, before and beside HTTP. Facts not on the semantics page, with their sources:
 * - Envoy closes a connection no filter chain of the listener takes: "closing connection: no matching
 *   filter chain found", access log flag NoRouteFound (NR), response code details `filter_chain_not_found`
 *   (envoy src source/common/listener_manager/active_stream_listener_base.cc, `newConnection`).
 * - istiod gives a TLS server's filter chain the server's hosts as `server_names` without their
 *   `namespace/` (`GetSNIHostsForServer`, pilot/pkg/model/gateway.go), and none at all when a host is `*`
 *   ("If we have a host with *, it effectively means match anything", pilot/pkg/networking/core/listener.go).
 * - A PASSTHROUGH server's filter chains are made from the bound VirtualServices' `tls` rules, one per SNI
 *   name in `match.sniHosts` that the server also has; a TCP server's from the first `tcp` rule whose
 *   `port`/`gateways` conditions hold (istiod `buildGatewayNetworkFiltersFromTLSRoutes` and `…TCPRoutes`,
 *   pilot/pkg/networking/core/gateway.go). Both are Envoy `tcp_proxy` filters: no HTTP route, no retries.
 * - Gateway API reference (istio.io networking/gateway, ServerTLSSettings.TLSmode): MUTUAL "secure
 *   connections to the downstream using mutual TLS by presenting server certificates for authentication"
 *   and requires the client's certificate; ISTIO_MUTUAL "similar to MUTUAL mode, except that the
 *   certificates ... are generated automatically by Istio", i.e. a mesh workload certificate.
 * - The TLS handshake's cost is the cost model's `tlsHandshake` (model/scenario.ts DEFAULT_COSTS).
 */
const read = (path: string): SourceFile => ({ name: path, text: readFileSync(path, 'utf8') });
const EXAMPLE = [read('examples/ingress/mesh.yaml'), read('examples/ingress/simulation.yaml')];

const EDGE = `apiVersion: apps/v1
kind: Deployment
metadata: { name: vault, namespace: shop }
spec:
  replicas: 1
  selector: { matchLabels: { app: vault } }
  template:
    metadata: { labels: { app: vault } }
    spec: { containers: [{ name: vault, image: shop/vault:1.0, ports: [{ containerPort: 8443 }] }] }
---
apiVersion: v1
kind: Service
metadata: { name: vault, namespace: shop }
spec: { selector: { app: vault }, ports: [{ name: tls, port: 8443 }] }
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: edge, namespace: shop }
spec:
  selector: { istio: ingressgateway }
  servers:
    - port: { number: 443, name: tls-vault, protocol: TLS }
      tls: { mode: PASSTHROUGH }
      hosts: [vault.example.com, old.example.com]
    - port: { number: 31400, name: tcp, protocol: TCP }
      hosts: ["*"]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: vault-edge, namespace: shop }
spec:
  hosts: [vault.example.com, old.example.com, "*"]
  gateways: [edge]
  tls:
    - match: [{ port: 443, sniHosts: [vault.example.com] }]
      route: [{ destination: { host: vault, port: { number: 8443 } } }]
  tcp:
    - match: [{ port: 31400 }]
      route: [{ destination: { host: catalog, port: { number: 9090 } } }]`;

function open(files: SourceFile[]): Session {
  const opened = openSession(files);
  if (!opened.ok) throw new Error(opened.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  return opened.session;
}
const withDocs = (...docs: string[]): SourceFile[] => [...EXAMPLE, ...docs.map((text, i) => ({ name: `extra-${i}.yaml`, text }))];
const send = (session: Session, to: string, more: Partial<SendOptions> = {}): SendResult => sendOne(session, { from: 'external', to, ...more });
const kinds = <K extends MeshEvent['kind']>(r: SendResult, kind: K) => r.events.filter((e): e is Extract<MeshEvent, { kind: K }> => e.kind === kind && e.requestId === r.requestId);
const shopGateway = (tls: string): string => readFileSync('examples/ingress/mesh.yaml', 'utf8').replace('tls: { mode: SIMPLE, credentialName: shop-cert }', tls);
const replaced = (tls: string): SourceFile[] => [{ name: 'mesh.yaml', text: shopGateway(tls) }, EXAMPLE[1]!];

describe('SNI filter chains on a TLS port', () => {
  const session = open(EXAMPLE);

  it('closes the connection for an SNI no server on the port has: no HTTP, no status, flag NR', () => {
    const r = send(session, 'admin.example.com:443/');
    expect([r.status, r.flags, r.attempts]).toEqual([0, ['NR'], 0]);
    expect(r.detail).toMatch(/no filter chain for SNI admin\.example\.com on port 443.*filter_chain_not_found/);
    expect(kinds(r, 'route.none')).toEqual([]);
    expect(kinds(r, 'route.match')).toEqual([]);
    expect(r.events.filter((e) => e.kind === 'hop.send')).toEqual([]);
  });

  it('matches any SNI when the server lists *, and then a host no virtual host has is HTTP 404 NR again', () => {
    const text = readFileSync('examples/ingress/mesh.yaml', 'utf8').replace('credentialName: shop-cert }\n      hosts: [shop.example.com]', 'credentialName: shop-cert }\n      hosts: ["*"]');
    const s = open([{ name: 'mesh.yaml', text }, EXAMPLE[1]!]);
    const server = s.xds.proxies[s.scenario.pods.find((p) => p.gateway)!.name]!.gateway!.servers[0]!;
    expect([server.hosts, server.sniHosts]).toEqual([['*'], undefined]);
    const r = send(s, 'admin.example.com:443/');
    expect([r.status, r.flags]).toEqual([404, ['NR']]);
    expect(kinds(r, 'route.none')).toMatchObject([{ virtualHost: 'admin.example.com:443' }]);
  });

  it('charges the client its TLS handshake with a terminating server, and nothing for plain HTTP', () => {
    const https = send(session, 'shop.example.com:443/products');
    const http = send(open(withDocs(`apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: plain, namespace: shop }
spec:
  selector: { istio: ingressgateway }
  servers: [{ port: { number: 8081, name: http, protocol: HTTP }, hosts: [shop.example.com] }]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: plain, namespace: shop }
spec:
  hosts: [shop.example.com]
  gateways: [plain]
  http: [{ route: [{ destination: { host: web, port: { number: 8080 } } }] }]`)), 'shop.example.com:8081/products');
    const routedAt = (r: SendResult) => kinds(r, 'route.match')[0]!.t - kinds(r, 'request.start')[0]!.t;
    const c = DEFAULT_COSTS;
    expect(routedAt(http)).toBe(c.wire + c.proxyProcessing);
    expect(routedAt(https)).toBe(c.wire + c.tlsHandshake + c.proxyProcessing);
    expect(kinds(https, 'request.start')[0]!.ingress?.tls).toMatch(/terminated here \(SIMPLE; handshake paid on the way in\)/);
  });
});

describe('MUTUAL and ISTIO_MUTUAL servers', () => {
  it('MUTUAL refuses a client without a certificate at the handshake, and takes one that presents it', () => {
    const s = open(replaced('tls: { mode: MUTUAL, credentialName: shop-cert }'));
    const bare = send(s, 'shop.example.com:443/products');
    expect([bare.status, bare.flags, bare.attempts]).toEqual([0, [], 0]);
    expect(bare.detail).toMatch(/requires a client certificate \(MUTUAL\).*handshake fails/);
    const withCert = send(s, 'shop.example.com:443/products', { clientCertificate: true });
    expect([withCert.status, withCert.attempts]).toEqual([200, 1]);
  });

  it('a Simulation source with clientCertificate: true gets through a MUTUAL server; one without gets nothing', () => {
    const sim = EXAMPLE[1]!.text.replace('rps: 20, duration: 30s }', 'rps: 20, duration: 30s, clientCertificate: true }\n    - { name: no-cert, from: external, to: "shop.example.com:443", path: /products, rps: 10, duration: 30s }');
    const report = runSimulation(open([{ name: 'mesh.yaml', text: shopGateway('tls: { mode: MUTUAL, credentialName: shop-cert }') }, { name: 'sim.yaml', text: sim }]), {});
    expect(report.requests.byCode).toEqual({ 0: 300, 200: 600 });
  });

  it('ISTIO_MUTUAL asks for an Istio workload certificate, which no outside client has: refused', () => {
    const r = send(open(replaced('tls: { mode: ISTIO_MUTUAL }')), 'shop.example.com:443/products', { clientCertificate: true });
    expect([r.status, r.flags, r.attempts]).toEqual([0, [], 0]);
    expect(r.detail).toMatch(/Istio workload certificate \(ISTIO_MUTUAL\)/);
  });
});

describe('TLS PASSTHROUGH and TCP servers', () => {
  const session = open(withDocs(EDGE));
  const gatewayPod = session.scenario.pods.find((p) => p.gateway)!.name;

  it('compiles one TCP proxy per SNI of the tls rules, and one for the TCP port', () => {
    const proxy = session.xds.proxies[gatewayPod]!;
    const l4 = Object.values(proxy.virtualHosts).filter((v) => v.tcpProxy);
    expect(l4.map((v) => [v.name, v.routes.map((r) => r.name)])).toEqual([
      ['vault.example.com:443', ['VirtualService/shop/vault-edge tls[0]']],
      ['*:31400', ['VirtualService/shop/vault-edge tcp[0]']],
    ]);
    expect(proxy.gateway?.servers.filter((s) => s.gateway === 'Gateway/shop/edge').map((s) => [s.port, s.tls, s.sniHosts])).toEqual([
      [443, 'PASSTHROUGH', ['old.example.com', 'vault.example.com']],
      [31400, undefined, undefined],
    ]);
  });

  it('routes by SNI to the backend without opening the TLS: no trace started, no HTTP match, one try', () => {
    const r = send(session, 'vault.example.com:443/anything/at/all');
    expect([r.status, r.attempts]).toEqual([200, 1]);
    expect(kinds(r, 'request.start')[0]!.ingress).toMatchObject({ gateway: 'Gateway/shop/edge', server: 'spec.servers[0]', protocol: 'TLS' });
    expect(kinds(r, 'route.match')).toMatchObject([{ virtualHost: 'vault.example.com:443', origin: { kind: 'l4Route', section: 'tls', ruleIndex: 0 } }]);
    expect(kinds(r, 'route.cluster').map((e) => e.cluster)).toEqual(['outbound|8443||vault.shop.svc.cluster.local']);
    // The gateway parses no HTTP, so it starts no trace (the backend's sidecar is the first to).
    expect(r.events.filter((e) => e.kind === 'trace.start' && e.requestId === r.requestId && JSON.stringify(e.where).includes(gatewayPod))).toEqual([]);
  });

  it('an SNI the server lists but no tls rule names has no filter chain: closed', () => {
    const r = send(session, 'old.example.com:443/');
    expect([r.status, r.flags, r.attempts]).toEqual([0, ['NR'], 0]);
    expect(r.detail).toMatch(/TLS passthrough: only the SNI names of its VirtualServices' tls rules/);
  });

  it("passes the backend's own 503 through untried (an HTTP route at the gateway would retry it twice)", () => {
    const r = send(session, 'vault.example.com:443/', { failures: [{ target: 'vault', mode: '503' }] });
    expect([r.status, r.flags, r.attempts]).toEqual([503, [], 1]);
  });

  it("closes the client's connection on a failure of its own (no status, Envoy's flag), trying once where HTTP retries connect-failure", () => {
    const r = send(session, 'vault.example.com:443/', { failures: [{ target: 'vault', mode: 'refuse' }] });
    expect([r.status, r.flags, r.attempts]).toEqual([0, ['UF'], 1]);
  });

  it('takes any connection on the TCP port to the first tcp rule', () => {
    const r = send(session, 'whatever.example.org:31400/');
    expect(r.status).toBe(200);
    expect(kinds(r, 'route.match')).toMatchObject([{ virtualHost: '*:31400', origin: { kind: 'l4Route', section: 'tcp' } }]);
    expect(kinds(r, 'route.cluster').map((e) => e.cluster)).toEqual(['outbound|9090||catalog.shop.svc.cluster.local']);
  });

  it('says that tcp rules for the sidecars on a host with only HTTP ports are never used (MV0432); a gateway’s are not that', () => {
    const meshTcp = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: catalog-tcp, namespace: shop }
spec:
  hosts: [catalog]
  tcp: [{ route: [{ destination: { host: catalog, port: { number: 9090 } } }] }]`;
    const found = analyze(withDocs(meshTcp)).diagnostics.filter((d) => d.code === 'MV0432');
    expect(found.map((d) => [d.severity, d.path])).toEqual([['warning', 'spec.tcp']]);
    expect(found[0]?.message).toContain('9090 HTTP');
    expect(analyze(withDocs(EDGE)).diagnostics.filter((d) => d.code === 'MV0432' || d.code === 'MV0433')).toEqual([]);
  });
});

describe('export', () => {
  it("keeps a traffic source's clientCertificate, so the exported scenario still gets through a MUTUAL server", () => {
    const sim = EXAMPLE[1]!.text.replace('rps: 20, duration: 30s }', 'rps: 20, duration: 30s, clientCertificate: true }');
    const files = [{ name: 'mesh.yaml', text: shopGateway('tls: { mode: MUTUAL, credentialName: shop-cert }') }, { name: 'sim.yaml', text: sim }];
    const exported = exportScenario(open(files).scenario);
    expect(exported).toContain('clientCertificate: true');
    expect(exported).toMatch(/mode: MUTUAL/);
    expect(runSimulation(open([{ name: 'exported.yaml', text: exported }]), {}).requests.byCode).toEqual({ 200: 600 });
  });
});
