import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze, openSession, runSimulation, sendOne } from '../../src/api/index.ts';
import type { SendResult, Session } from '../../src/api/index.ts';
import { exportScenario, loadScenario } from '../../src/istio/index.ts';
import type { SourceFile } from '../../src/istio/index.ts';
import type { MeshEvent } from '../../src/model/index.ts';

/**
 * The ingress gateway. Facts not on the semantics page, with their sources:
 * - VirtualService API (istio.io/latest/docs/reference/config/networking/virtual-service/, `gateways`):
 *   the reserved word `mesh` means every sidecar and is the default when `gateways` is omitted; a
 *   listed gateway without `mesh` applies the rules only to the gateways; a gateway named without a
 *   namespace is in the VirtualService's namespace.
 * - istiod `buildGatewayHTTPRouteConfig` (Istio src pilot/pkg/networking/core/gateway.go): a virtual
 *   host per host the server and the VirtualService share (`serverHosts.Intersection(vsHosts)`, the more
 *   specific of each pair); routes of several VirtualServices for one host appended oldest first, then
 *   `CombineVHostRoutes` moves catch-all routes last; `tls.httpsRedirect` sets require_tls ALL.
 * - Envoy (api config.route.v3.VirtualHost.domains): exact domains, then suffix wildcards, prefix
 *   wildcards, `*`; a request no virtual host takes gets 404 with flag NR (§8.1 NR).
 * - Istio docs "Understanding TLS Configuration" (docs/ops/configuration/traffic-management/
 *   tls-configuration/, Gateways): a gateway's downstream and upstream connections have independent TLS;
 *   the Gateway server's `tls` decides the inbound side (SIMPLE terminates), and the outbound side is set
 *   by DestinationRule TLS "or auto mTLS by default", as for a sidecar.
 * - istioctl analyzers (pkg/config/analysis/analyzers/virtualservice/gateways.go and gateway/gateway.go):
 *   IST0101 for a missing gateway and for a selector no pod matches, IST0132 for a host not in the Gateway.
 */
const read = (path: string): SourceFile => ({ name: path, text: readFileSync(path, 'utf8') });
const EXAMPLE = [read('examples/ingress/mesh.yaml'), read('examples/ingress/simulation.yaml')];

function open(files: SourceFile[]): Session {
  const opened = openSession(files);
  if (!opened.ok) throw new Error(opened.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  return opened.session;
}

const send = (session: Session, to: string): SendResult => sendOne(session, { from: 'external', to });
const kinds = (r: SendResult, kind: MeshEvent['kind']) => r.events.filter((e) => e.kind === kind);
const start = (r: SendResult) => r.events.find((e): e is Extract<MeshEvent, { kind: 'request.start' }> => e.kind === 'request.start' && e.requestId === r.requestId);
const withDoc = (doc: string): SourceFile[] => [...EXAMPLE, { name: 'extra.yaml', text: doc }];
const codes = (files: SourceFile[]) => analyze(files).diagnostics.map((d) => `${d.code} ${d.path ?? ''}`);

describe('the ingress gateway (examples/ingress)', () => {
  const session = open(EXAMPLE);

  it('loads the gateway Deployment as gateway proxies: no sidecar, no app, a proxy with the Gateway servers', () => {
    const gateways = session.scenario.pods.filter((p) => p.workload === 'istio-ingressgateway');
    expect(gateways.map((p) => [p.gateway, p.sidecar])).toEqual([[true, false], [true, false]]);
    const proxy = session.xds.proxies[gateways[0]!.name]!;
    expect(proxy.gateway?.servers.map((s) => [s.port, s.protocol, s.tls, s.clientPorts])).toEqual([
      [443, 'HTTPS', 'SIMPLE', [443]],
      [80, 'HTTP', undefined, [80]],
    ]);
    expect(Object.keys(proxy.virtualHosts).sort()).toEqual(['shop.example.com:443', 'shop.example.com:80']);
    expect(session.diagnostics.filter((d) => d.code === 'MV0023')).toEqual([]);
  });

  it('takes an HTTPS request at the gateway, terminates TLS there, and calls the backend over auto-mTLS', () => {
    const r = send(session, 'shop.example.com:443/products');
    expect([r.status, r.flags, r.attempts]).toEqual([200, [], 1]);
    const first = start(r)!;
    expect(first.where).toEqual({ kind: 'client', name: 'external' });
    expect(first.fromPod).toMatch(/^istio-ingressgateway-/);
    expect(first.ingress).toMatchObject({ gateway: 'Gateway/shop/shop-gateway', server: 'spec.servers[0]', listener: '0.0.0.0_443', protocol: 'HTTPS' });
    expect(first.ingress?.tls).toMatch(/terminated here \(SIMPLE;/);
    const route = kinds(r, 'route.match')[0] as Extract<MeshEvent, { kind: 'route.match' }>;
    expect([route.where, route.virtualHost, route.route]).toEqual([{ kind: 'sidecar', pod: first.fromPod }, 'shop.example.com:443', 'VirtualService/shop/shop-ingress http[1]']);
    // The gateway → web hop is Istio mTLS (web has a sidecar; STRICT in shop would reset plaintext).
    const hop = r.events.find((e) => e.kind === 'hop.send' && e.requestId === r.requestId && e.direction === 'request');
    expect(hop).toMatchObject({ where: { kind: 'wire', from: first.fromPod }, mtls: true });
  });

  it('sends plain HTTP to https with a 301 from the server with httpsRedirect', () => {
    const r = send(session, 'shop.example.com/products');
    expect([r.status, r.attempts]).toEqual([301, 0]);
    expect(start(r)?.ingress).toMatchObject({ listener: '0.0.0.0_80', server: 'spec.servers[1]' });
    expect(kinds(r, 'route.match')).toMatchObject([{ route: 'https-redirect', origin: { kind: 'gatewayServer', path: 'spec.servers[1].tls.httpsRedirect' } }]);
  });

  it('answers 404 NR for a host no virtual host of the gateway takes, without calling anything (plain HTTP; on the TLS port no filter chain takes it: gatewayServers.test.ts)', () => {
    const r = send(session, 'admin.example.com/');
    expect([r.status, r.flags, r.attempts]).toEqual([404, ['NR'], 0]);
    expect(kinds(r, 'route.none')).toMatchObject([{ virtualHost: 'admin.example.com:80' }]);
    expect(kinds(r, 'hop.send')).toEqual([]);
  });

  it('routes by the first matching rule of the gateway-bound VirtualService', () => {
    const r = send(session, 'shop.example.com:443/api/catalog/7');
    expect(kinds(r, 'route.cluster').map((e) => (e as { cluster: string }).cluster)[0]).toBe('outbound|9090||catalog.shop.svc.cluster.local');
  });

  it("runs the Simulation's outside traffic through the gateway pods, every request answered", () => {
    const report = runSimulation(session, {});
    expect([report.requests.total, report.requests.byCode]).toEqual([600, { 200: 600 }]);
    // The gateway is the source the backend's sidecar sees, as Istio's metrics have it.
    expect(report.edges.find((e) => e.destination === 'web')).toMatchObject({ source: 'istio-ingressgateway', requests: 600 });
  });

  it('does not apply a gateway-only VirtualService to the sidecars: they take the default route (and the analyzer says so)', () => {
    const vs = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: catalog-edge, namespace: shop }
spec:
  hosts: [catalog]
  gateways: [shop-gateway]
  http: [{ route: [{ destination: { host: catalog, port: { number: 9090 } } }], timeout: 1s }]`;
    const s = open(withDoc(vs));
    const web = s.scenario.pods.find((p) => p.workload === 'web')!;
    const vhost = s.xds.proxies[web.name]!.virtualHosts['catalog.shop.svc.cluster.local:9090']!;
    expect(vhost.routes.map((r) => r.origin.kind)).toEqual(['default']);
    expect(codes(withDoc(vs))).toContain('MV0426 spec.gateways');
    // With `mesh` added the sidecars use it too, and the finding goes.
    const both = vs.replace('gateways: [shop-gateway]', 'gateways: [shop-gateway, mesh]');
    const s2 = open(withDoc(both));
    expect(s2.xds.proxies[web.name]!.virtualHosts['catalog.shop.svc.cluster.local:9090']!.routes[0]!.origin).toMatchObject({ kind: 'virtualService', resource: 'VirtualService/shop/catalog-edge' });
    expect(codes(withDoc(both))).not.toContain('MV0426 spec.gateways');
  });

  it('appends the routes of a second VirtualService for the same host and moves catch-alls last (CombineVHostRoutes)', () => {
    const extra = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: shop-beta, namespace: shop }
spec:
  hosts: [shop.example.com]
  gateways: [shop/shop-gateway]
  http: [{ match: [{ uri: { prefix: /beta } }], route: [{ destination: { host: catalog, port: { number: 9090 } } }] }]`;
    const s = open(withDoc(extra));
    const gw = Object.values(s.xds.proxies).find((p) => p.gateway)!;
    expect(gw.virtualHosts['shop.example.com:443']!.routes.map((r) => r.name)).toEqual([
      'VirtualService/shop/shop-ingress http[0] match[0]',
      'VirtualService/shop/shop-beta http[0] match[0]',
      'VirtualService/shop/shop-ingress http[1]',
    ]);
    expect(kinds(send(s, 'shop.example.com:443/beta'), 'route.match')).toMatchObject([{ route: 'VirtualService/shop/shop-beta http[0] match[0]' }]);
  });

  it('takes the wildcard virtual host Envoy would pick for a host with no exact one', () => {
    const wildcard = read('examples/ingress/mesh.yaml').text
      .replace('hosts: [shop.example.com]\n    - port: { number: 80', 'hosts: ["*.example.com"]\n    - port: { number: 80')
      .replace('  hosts: [shop.example.com]\n  gateways: [shop-gateway]', '  hosts: ["*.example.com"]\n  gateways: [shop-gateway]');
    const s = open([{ name: 'mesh.yaml', text: wildcard }, EXAMPLE[1]!]);
    const r = send(s, 'eu.example.com:443/');
    expect([r.status, kinds(r, 'route.match')[0]]).toMatchObject([200, { virtualHost: '*.example.com:443' }]);
    expect(send(s, 'example.org:443/').flags).toEqual(['NR']);
  });

  it('sends plaintext after the gateway to a backend without a sidecar (auto-mTLS)', () => {
    const plain = read('examples/ingress/mesh.yaml').text
      .replace('metadata: { name: shop, labels: { istio-injection: enabled } }', 'metadata: { name: shop }')
      .replace(/# Inside the mesh[\s\S]*$/, '');
    const s = open([{ name: 'mesh.yaml', text: plain }, EXAMPLE[1]!]);
    const r = send(s, 'shop.example.com:443/products');
    expect(r.status).toBe(200);
    expect(r.events.find((e) => e.kind === 'hop.send' && e.requestId === r.requestId)).toMatchObject({ mtls: false });
  });
});

describe('export of the edge', () => {
  it('writes the Gateway and the gateway Deployment with its injection template, and loads back to the same answers', () => {
    const loaded = loadScenario(EXAMPLE);
    const text = exportScenario(loaded.scenario);
    expect(text).toContain('kind: Gateway');
    expect(text).toContain('inject.istio.io/templates: gateway');
    const again = open([{ name: 'exported.yaml', text }]);
    for (const to of ['shop.example.com:443/products', 'shop.example.com/x', 'admin.example.com:443/']) {
      const [a, b] = [send(open(EXAMPLE), to), send(again, to)];
      expect([b.status, b.flags, b.durationMs]).toEqual([a.status, a.flags, a.durationMs]);
    }
  });
});

describe('ingress analyzers (istioctl IST0101, IST0132)', () => {
  it('reports a gateway that does not exist (IST0101) and a host the Gateway does not serve (IST0132)', () => {
    const vs = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: typos, namespace: shop }
spec:
  hosts: [shop.example.com, admin.example.com]
  gateways: [shop-gw, shop-gateway]
  http: [{ route: [{ destination: { host: web, port: { number: 8080 } } }] }]`;
    const found = analyze(withDoc(vs)).diagnostics.filter((d) => d.resource === 'VirtualService/shop/typos');
    expect(found.map((d) => [d.code, d.severity, d.path])).toEqual([
      ['MV0422', 'error', 'spec.gateways[0]'],
      ['MV0425', 'warning', 'spec.gateways[1]'],
    ]);
    expect(found[0]!.message).toMatch(/^Referenced gateway not found: "shop-gw"/);
    expect(found[1]!.message).toMatch(/^one or more host \[admin\.example\.com\] defined in VirtualService shop\/typos not found in Gateway shop\/shop-gateway/);
    expect(found.map((d) => d.equivalents)).toEqual([['IST0101'], ['IST0132']]);
  });

  it('reports a Gateway selector no pod matches (IST0101), and one that matches only sidecars', () => {
    const gw = (name: string, selector: string) => `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: ${name}, namespace: shop }
spec:
  selector: { ${selector} }
  servers: [{ port: { number: 8081, name: http, protocol: HTTP }, hosts: ["*"] }]`;
    const found = analyze(withDoc(`${gw('nobody', 'istio: ingress')}\n---\n${gw('sidecars', 'app: web')}`)).diagnostics.filter((d) => d.code === 'MV0423' || d.code === 'MV0424');
    expect(found.map((d) => [d.code, d.resource, d.severity])).toEqual([
      ['MV0423', 'Gateway/shop/nobody', 'error'],
      ['MV0424', 'Gateway/shop/sidecars', 'warning'],
    ]);
    expect(found[0]!.message).toMatch(/^Referenced selector not found: "istio=ingress"/);
  });

  it('finds nothing to say about the example itself', () => {
    expect(analyze(EXAMPLE).diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
  });
});

describe("Bookinfo's own gateway on the cluster export", () => {
  const files = [read('tests/fixtures/cluster-export/bookinfo-export.yaml'), read('tests/fixtures/bookinfo/bookinfo-gateway.yaml')];
  const session = open(files);

  it('finds the gateway pod the cluster reports (proxy router) and serves the product page on the LoadBalancer port 80', () => {
    const gateway = session.scenario.pods.find((p) => p.gateway)!;
    expect(gateway.name).toBe('istio-ingressgateway-fb65d44266-xzdzl');
    const r = send(session, 'bookinfo.example/productpage');
    expect([r.status, start(r)?.fromPod, start(r)?.ingress?.listener]).toEqual([200, gateway.name, '0.0.0.0_80']);
    expect(send(session, 'bookinfo.example/admin').flags).toEqual(['NR']);
  });
});

/**
 * Delegate VirtualServices (Istio src pilot/pkg/model/virtualservice.go `mergeVirtualServicesIfNeeded`,
 * `mergeHTTPRoute`, `mergeHTTPMatchRequests`, `hasConflict`; the webhook's `validateDelegateHTTPRoute`
 * and "http delegate only applies to gateway" in pkg/config/validation): a VirtualService without hosts
 * is a delegate; a root rule with `delegate` is replaced by the delegate's rules, each match block of
 * which must lie inside one of the root rule's (a prefix inside its prefix, the same exact) or is dropped;
 * unset timeout/retries/fault come from the root rule; a delegate not found (or one with hosts) drops the
 * root rule; a delegate that delegates again, or a root not bound to a gateway, is refused.
 */
describe('delegate VirtualServices (one level)', () => {
  const root = (delegate: string, gateways = '[shop-gateway]') => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: shop-ingress, namespace: shop }
spec:
  hosts: [shop.example.com]
  gateways: ${gateways}
  http:
    - match: [{ uri: { prefix: /api/ } }]
      timeout: 2s
      delegate: ${delegate}
    - route: [{ destination: { host: web, port: { number: 8080 } } }]`;
  const catalogRoutes = (extra = '') => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: catalog-routes, namespace: shop }
spec:
${extra}  http:
    - match: [{ uri: { prefix: /api/catalog } }]
      route: [{ destination: { host: catalog, port: { number: 9090 } } }]
    - match: [{ uri: { prefix: /admin } }]
      route: [{ destination: { host: catalog, port: { number: 9090 } } }]`;
  const files = (...docs: string[]): SourceFile[] => {
    const mesh = read('examples/ingress/mesh.yaml').text.replace(/# Bound to the Gateway only[\s\S]*?---\n/, '');
    return [{ name: 'mesh.yaml', text: mesh }, EXAMPLE[1]!, { name: 'routes.yaml', text: docs.join('\n---\n') }];
  };
  const gatewayRoutes = (s: Session) => Object.values(s.xds.proxies).find((p) => p.gateway)!.virtualHosts['shop.example.com:443']!.routes;

  it("replaces the root rule by the delegate's rules inside its match, with the root's timeout, named where they are written", () => {
    const s = open(files(root('{ name: catalog-routes }'), catalogRoutes()));
    const routes = gatewayRoutes(s);
    expect(routes.map((r) => r.name)).toEqual(['VirtualService/shop/catalog-routes http[0] match[0]', 'VirtualService/shop/shop-ingress http[1]']);
    expect(routes[0]!.match.path).toEqual({ kind: 'prefix', value: '/api/catalog', ignoreCase: false });
    expect(routes[0]!.action).toMatchObject({ kind: 'route', timeout: 2_000_000, clusters: [{ cluster: 'outbound|9090||catalog.shop.svc.cluster.local' }] });
    expect(send(s, 'shop.example.com:443/api/catalog/1').status).toBe(200);
    // /admin lies outside the root's /api/: that delegate rule is dropped, with a finding.
    expect(kinds(send(s, 'shop.example.com:443/admin'), 'route.match')[0]).toMatchObject({ route: 'VirtualService/shop/shop-ingress http[1]' });
    expect(s.diagnostics.filter((d) => d.code === 'MV0353').map((d) => d.message)).toEqual([expect.stringContaining('VirtualService/shop/catalog-routes http[1] matches requests this rule does not')]);
  });

  it('drops the root rule when the delegate is missing or has hosts (then it routes its own hosts)', () => {
    const missing = open(files(root('{ name: nowhere }')));
    expect(gatewayRoutes(missing).map((r) => r.name)).toEqual(['VirtualService/shop/shop-ingress http[1]']);
    expect(missing.diagnostics.find((d) => d.code === 'MV0350')?.message).toMatch(/^delegate shop\/nowhere does not exist/);
    const hosted = open(files(root('{ name: catalog-routes, namespace: shop }'), catalogRoutes('  hosts: [catalog]\n')));
    expect(gatewayRoutes(hosted).map((r) => r.name)).toEqual(['VirtualService/shop/shop-ingress http[1]']);
    expect(hosted.diagnostics.find((d) => d.code === 'MV0350')?.message).toMatch(/has hosts, so istiod does not take it for a delegate/);
  });

  it('refuses a delegate that delegates again, and a root bound to no gateway', () => {
    const nested = openSession(files(root('{ name: catalog-routes }'), catalogRoutes().replace('      route: [{ destination: { host: catalog, port: { number: 9090 } } }]\n    - match: [{ uri: { prefix: /admin } }]', '      delegate: { name: deeper }\n    - match: [{ uri: { prefix: /admin } }]')));
    if (nested.ok) throw new Error('a nested delegate must be refused');
    expect(nested.diagnostics.filter((d) => d.code === 'MV0351').map((d) => d.path)).toEqual(['spec.http[0].delegate']);
    const meshRoot = openSession(files(root('{ name: catalog-routes }', '[mesh]'), catalogRoutes()));
    if (meshRoot.ok) throw new Error('a root on no gateway must be refused');
    expect(meshRoot.diagnostics.filter((d) => d.code === 'MV0352').map((d) => d.path)).toEqual(['spec.gateways']);
  });
});
