import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeRouteDomains, openSession, proxyConfig } from '../../src/api/index.ts';
import { serviceAddress } from '../../src/telemetry/index.ts';
import type { Session } from '../../src/api/index.ts';
import { serviceEntry } from '../helpers/mesh.ts';
import { meshviz } from '../helpers/meshvizCli.ts';

function scenario(name: string): Session {
  const opened = openSession([{ name: `scenarios/${name}.yaml`, text: readFileSync(`scenarios/${name}.yaml`, 'utf8') }]);
  if (!opened.ok) throw new Error(`${name} does not load`);
  return opened.session;
}

const SECOND = 1_000_000;

function inline(text: string): Session {
  const opened = openSession([{ name: 'mesh.yaml', text }]);
  if (!opened.ok) throw new Error(`does not load: ${JSON.stringify(opened.diagnostics.slice(0, 2))}`);
  return opened.session;
}

const EGRESS_TLS = readFileSync('examples/egress-gateway-tls/mesh.yaml', 'utf8');

/** examples/egress-gateway-tls, its mesh as given (or changed). */
function egressTls(mesh = EGRESS_TLS): Session {
  const opened = openSession([
    { name: 'mesh.yaml', text: mesh },
    { name: 'simulation.yaml', text: readFileSync('examples/egress-gateway-tls/simulation.yaml', 'utf8') },
  ]);
  if (!opened.ok) throw new Error(`the example does not load: ${JSON.stringify(opened.diagnostics.slice(0, 2))}`);
  return opened.session;
}

function exportSession(): Session {
  const file = 'tests/fixtures/cluster-export/bookinfo-export.yaml';
  const opened = openSession([{ name: file, text: readFileSync(file, 'utf8') }]);
  if (!opened.ok) throw new Error('the export does not load');
  return opened.session;
}

/** web calls an HTTP api, a MySQL Service (port tcp-mysql), a Service whose port has no protocol name, and an external TCP database. */
const TCP_MESH = readFileSync('tests/fixtures/tcp/web-db-cache.yaml', 'utf8');

describe('proxy-config: Envoy’s view of one sidecar, in istioctl’s tables', () => {
  const bookinfo = scenario('bookinfo');
  const productpage = proxyConfig(bookinfo, 'productpage');

  it('lists clusters by Envoy’s names: outbound per subset with their DestinationRule, inbound per container port, Istio’s fixed clusters', () => {
    expect(productpage.pod).toMatch(/^productpage-v1-/);
    expect(productpage.clusters).toContainEqual({ serviceFqdn: 'reviews.default.svc.cluster.local', port: 9080, subset: 'v2', direction: 'outbound', type: 'EDS', destinationRule: 'reviews.default' });
    expect(productpage.clusters).toContainEqual({ serviceFqdn: '', port: 9080, subset: undefined, direction: 'inbound', type: 'ORIGINAL_DST', destinationRule: undefined });
    for (const fixed of ['BlackHoleCluster', 'InboundPassthroughCluster', 'PassthroughCluster']) {
      expect(productpage.clusters.filter((c) => c.serviceFqdn === fixed)).toHaveLength(1);
    }
    // Inbound first, as istioctl prints them.
    expect(productpage.clusters[0]?.direction).toBe('inbound');
  });

  it('lists the outbound listener per HTTP port with its route config, and the two virtual listeners', () => {
    expect(productpage.listeners).toContainEqual({ address: '0.0.0.0', port: 9080, match: 'Trans: raw_buffer; App: http/1.1,h2c', destination: 'Route: 9080' });
    expect(productpage.listeners).toContainEqual({ address: '0.0.0.0', port: 15001, match: 'ALL', destination: 'PassthroughCluster' });
    expect(productpage.listeners).toContainEqual({ address: '0.0.0.0', port: 15006, match: 'Addr: *:9080', destination: 'Inline Route: /*' });
  });

  it('lists each virtual host’s routes with the names a caller in the namespace may dial and the VirtualService they came from', () => {
    const reviews = productpage.routes.filter((r) => r.virtualHost === 'reviews.default.svc.cluster.local:9080');
    expect(reviews.length).toBeGreaterThan(0);
    // istiod's order (pilot/pkg/networking/core/httproute.go generateVirtualHostDomains): the host, its absolute form
    // (PILOT_ENABLE_ABSOLUTE_FQDN_VHOST_DOMAIN, default on), the short names from the same namespace, then the cluster IP;
    // no host:port forms, as a sidecar's route config ignores the port in host matching.
    expect(reviews[0]).toMatchObject({
      name: '9080',
      domains: ['reviews.default.svc.cluster.local', 'reviews.default.svc.cluster.local.', 'reviews', 'reviews.default.svc', 'reviews.default', serviceAddress('reviews.default.svc.cluster.local')],
      virtualService: 'reviews.default',
    });
  });

  it('puts a Service’s own cluster IP in its virtual host’s domains when the scenario carries one (a cluster export)', () => {
    const exported = exportSession();
    const reviews = proxyConfig(exported, 'productpage').routes.find((r) => r.virtualHost === 'reviews.default.svc.cluster.local:9080');
    // tests/fixtures/cluster-export/bookinfo-export.yaml: Service reviews has spec.clusterIP 10.96.42.114.
    expect(reviews?.domains.at(-1)).toBe('10.96.42.114');
    // From another namespace only name.ns and name.ns.svc are short forms (generateAltVirtualHostsForKubernetesService).
    const gatewayRoutes = proxyConfig(exported, 'productpage').routes.find((r) => r.virtualHost === 'istiod.istio-system.svc.cluster.local:15014');
    expect(gatewayRoutes?.domains).toEqual(['istiod.istio-system.svc.cluster.local', 'istiod.istio-system.svc.cluster.local.', 'istiod.istio-system', 'istiod.istio-system.svc', '10.96.12.9']);
  });

  it('abbreviates DOMAINS as istioctl does: the long forms of a name also listed short dropped, two shown, the rest counted', () => {
    // istioctl/pkg/writer/envoy/configdump/route.go describeRouteDomains + unexpandDomains.
    expect(describeRouteDomains(['reviews.default.svc.cluster.local', 'reviews.default.svc.cluster.local.', 'reviews', 'reviews.default.svc', 'reviews.default', '10.96.42.114'])).toBe('reviews.default.svc.cluster.local., reviews + 2 more...');
    expect(describeRouteDomains(['api.example.com', 'api.example.com.'])).toBe('api.example.com, api.example.com.');
    expect(describeRouteDomains(['*'])).toBe('*');
    expect(describeRouteDomains(['a', 'a:80', 'b'])).toBe('a, b');
  });

  it('shows a TCP port as istioctl does: a listener on the service’s address with a TCP proxy to its cluster, and no route config', () => {
    const session = inline(TCP_MESH);
    const web = proxyConfig(session, 'web');
    const vip = serviceAddress('db.default.svc.cluster.local');
    expect(web.listeners).toContainEqual({ address: vip, port: 3306, match: 'ALL', destination: 'Cluster: outbound|3306||db.default.svc.cluster.local' });
    expect(web.listeners.filter((l) => l.port === 3306)).toHaveLength(1);
    // A ServiceEntry port with protocol TCP and an address: its listener is on that address.
    expect(web.listeners).toContainEqual({ address: '240.0.0.5', port: 5432, match: 'ALL', destination: 'Cluster: outbound|5432||pg.example.com' });
    expect(web.routes.filter((r) => r.virtualHost.includes(':3306') || r.virtualHost.includes(':5432'))).toEqual([]);
    // The HTTP port beside them keeps its shared 0.0.0.0 listener and route config.
    expect(web.listeners).toContainEqual({ address: '0.0.0.0', port: 8080, match: 'Trans: raw_buffer; App: http/1.1,h2c', destination: 'Route: 8080' });
    // A port whose protocol nothing names is sniffed: its own listener on the address, an HTTP chain to a route config of its own, the TCP proxy beside it.
    const cacheVip = serviceAddress('cache.default.svc.cluster.local');
    expect(web.listeners.filter((l) => l.port === 6000)).toEqual([
      { address: cacheVip, port: 6000, match: 'Trans: raw_buffer; App: http/1.1,h2c', destination: 'Route: cache.default.svc.cluster.local:6000' },
      { address: cacheVip, port: 6000, match: 'ALL', destination: 'Cluster: outbound|6000||cache.default.svc.cluster.local' },
    ]);
    expect(web.routes.find((r) => r.virtualHost === 'cache.default.svc.cluster.local:6000')?.name).toBe('cache.default.svc.cluster.local:6000');
  });

  it('reads the endpoints’ outlier state at --at: users-v1 is FAILED in api’s v1 cluster while it is ejected, OK before the failure', () => {
    // The default mesh's timeline: users-v1 answers 503 from 15 s; api's sidecar ejects it (consecutive5xxErrors 5).
    const mesh = scenario('default');
    const v1 = (at: number) => proxyConfig(mesh, 'api', { at }).endpoints.filter((e) => e.cluster === 'outbound|8080|v1|users.default.svc.cluster.local');
    expect(v1(10 * SECOND).map((e) => e.outlierCheck)).toEqual(['OK']);
    expect(v1(30 * SECOND).map((e) => e.outlierCheck)).toEqual(['FAILED']);
    // Envoy's outlier detection is per cluster: the v2 cluster's host is never ejected.
    expect(proxyConfig(mesh, 'api', { at: 30 * SECOND }).endpoints.filter((e) => e.cluster.includes('|v2|')).map((e) => e.outlierCheck)).toEqual(['OK']);
  });

  it('shows at --at the config the proxy runs then: the timeline’s DestinationRule, applied at 4 s, gives web a v2 cluster once istiod has pushed it', () => {
    // scenarios/lessons/subset-before-rule.yaml: the VirtualService naming v2 lands at 2 s, the DestinationRule with v2 at 4 s (pushed 100 ms later).
    const lesson = scenario('lessons/subset-before-rule');
    const subsets = (at: number) => proxyConfig(lesson, 'web', { at }).clusters.filter((c) => c.serviceFqdn === 'users.default.svc.cluster.local').map((c) => c.subset);
    expect(subsets(0)).toEqual([undefined, 'v1']);
    expect(subsets(4 * SECOND)).toEqual([undefined, 'v1']);
    expect(subsets(5 * SECOND)).toEqual([undefined, 'v1', 'v2']);
    // The endpoints follow the same config: v2's pod appears in its own cluster.
    expect(proxyConfig(lesson, 'web', { at: 5 * SECOND }).endpoints.filter((e) => e.cluster === 'outbound|8080|v2|users.default.svc.cluster.local')).toHaveLength(1);
  });

  it('shows a gateway’s listeners on the ports Envoy binds (a server on 80 behind a Service whose targetPort is 8080 listens on 8080)', () => {
    const opened = openSession(['examples/ingress/mesh.yaml', 'examples/ingress/simulation.yaml'].map((f) => ({ name: f, text: readFileSync(f, 'utf8') })));
    if (!opened.ok) throw new Error('the ingress example does not load');
    const gateway = proxyConfig(opened.session, 'istio-ingressgateway');
    // HTTP servers share http.<bound port>; an HTTPS server that ends TLS has https.<port>.<port name>.<gateway>.<namespace>,
    // its filter chain matched by SNI (Istio src pilot/pkg/model/gateway.go, gatewayRDSRouteName).
    expect(gateway.listeners.map((l) => `${l.port} ${l.match} ${l.destination}`)).toEqual(['8080 ALL Route: http.8080', '8443 SNI: shop.example.com Route: https.443.https.shop-gateway.shop']);
    expect(new Set(gateway.routes.map((r) => r.name))).toEqual(new Set(['http.8080', 'https.443.https.shop-gateway.shop']));
  });

  it('shows a gateway’s TLS passthrough as istioctl does: the tls rule’s SNI chain and a TCP proxy to its cluster, no route config (examples/egress-gateway-tls)', () => {
    const gateway = proxyConfig(egressTls(), 'istio-egressgateway');
    // istiod gateway.go buildGatewayNetworkFiltersFromTLSRoutes: a chain per tls match block, server_names its sniHosts.
    expect(gateway.listeners).toEqual([{ address: '0.0.0.0', port: 8443, match: 'SNI: edition.cnn.com', destination: 'Cluster: outbound|443||edition.cnn.com' }]);
    expect(gateway.routes).toEqual([]);
  });

  it('lists every tls chain of a sidecar’s TLS listener, also when none takes the host’s own SNI (Envoy then closes the connection: NR)', () => {
    const checkout = (text: string) => proxyConfig(egressTls(text), 'checkout').listeners.filter((l) => l.port === 443);
    const gatewayVip = serviceAddress('istio-egressgateway.istio-system.svc.cluster.local');
    const toGateway = 'Cluster: outbound|443|cnn|istio-egressgateway.istio-system.svc.cluster.local';
    expect(checkout(EGRESS_TLS)).toEqual([
      { address: '0.0.0.0', port: 443, match: 'SNI: edition.cnn.com', destination: toGateway },
      { address: gatewayVip, port: 443, match: 'ALL', destination: 'Cluster: outbound|443||istio-egressgateway.istio-system.svc.cluster.local' },
    ]);
    const other = EGRESS_TLS.replace('match: [{ gateways: [mesh], port: 443, sniHosts: [edition.cnn.com] }]', 'match: [{ gateways: [mesh], port: 443, sniHosts: [www.cnn.com] }]');
    expect(other).not.toBe(EGRESS_TLS);
    // Before: an ALL chain to outbound|443||edition.cnn.com, which the sidecar does not have.
    expect(checkout(other)[0]).toEqual({ address: '0.0.0.0', port: 443, match: 'SNI: www.cnn.com', destination: toGateway });
    // Two blocks, two chains, in istioctl's order (by destination, descending).
    const two = EGRESS_TLS.replace('match: [{ gateways: [mesh], port: 443, sniHosts: [edition.cnn.com] }]', 'match: [{ gateways: [mesh], port: 443, sniHosts: [edition.cnn.com] }, { gateways: [mesh], port: 443, sniHosts: [money.cnn.com] }]');
    expect(checkout(two).filter((l) => l.address === '0.0.0.0').map((l) => l.match)).toEqual(['SNI: edition.cnn.com', 'SNI: money.cnn.com']);
  });

  it('a TLS port no tls rule routes: on its own address any SNI, on 0.0.0.0 (no address) the host’s name (istiod tls.go)', () => {
    const secure = serviceEntry('secure', 'secure.example.com', { number: 443, name: 'https', protocol: 'HTTPS' });
    const vault = serviceEntry('vault', 'vault.example.com', { number: 8200, name: 'tls', protocol: 'TLS' }, '240.0.0.9');
    const mesh = [TCP_MESH, secure, vault].join('\n---\n');
    const web = proxyConfig(inline(mesh), 'web');
    expect(web.listeners.filter((l) => l.port === 443)).toEqual([{ address: '0.0.0.0', port: 443, match: 'SNI: secure.example.com', destination: 'Cluster: outbound|443||secure.example.com' }]);
    expect(web.listeners.filter((l) => l.port === 8200)).toEqual([{ address: '240.0.0.9', port: 8200, match: 'ALL', destination: 'Cluster: outbound|8200||vault.example.com' }]);
  });

  it('a TCP proxy split by weight shows an empty cluster, as istioctl prints Envoy’s weighted_clusters; one destination shows its own', () => {
    const routed = (route: string) =>
      proxyConfig(
        inline(`${TCP_MESH}---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: db }
spec: { host: db, subsets: [{ name: a, labels: { app: db } }, { name: b, labels: { app: db } }] }
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: db }
spec:
  hosts: [db]
  tcp: [{ route: ${route} }]
`),
        'web',
      ).listeners.filter((l) => l.port === 3306);
    const vip = serviceAddress('db.default.svc.cluster.local');
    // Istio src pilot/pkg/networking/core/networkfilter.go buildOutboundNetworkFilters: more than one destination, weighted_clusters.
    expect(routed('[{ destination: { host: db, subset: a }, weight: 80 }, { destination: { host: db, subset: b }, weight: 20 }]')).toEqual([{ address: vip, port: 3306, match: 'ALL', destination: 'Cluster: ' }]);
    // A destination weighted 0 is left out of the clusters, but the rule still has two: still weighted.
    expect(routed('[{ destination: { host: db, subset: a }, weight: 100 }, { destination: { host: db, subset: b }, weight: 0 }]')[0]?.destination).toBe('Cluster: ');
    expect(routed('[{ destination: { host: db, subset: b } }]')[0]?.destination).toBe('Cluster: outbound|3306|b|db.default.svc.cluster.local');
  });

  it('refuses a name it does not know, with the nearest one', () => {
    expect(() => proxyConfig(bookinfo, 'prodcutpage')).toThrow(/no workload, pod, app or service named "prodcutpage"/);
  });

  it('prints the table from the CLI, and the rows with -o json', async () => {
    const text = await meshviz('proxy-config', 'clusters', 'productpage', '--scenario', 'bookinfo');
    expect(text.code).toBe(0);
    expect(text.stdout.split('\n')[0]).toMatch(/^SERVICE FQDN\s+PORT\s+SUBSET\s+DIRECTION\s+TYPE\s+DESTINATION RULE$/);
    expect(text.stdout).toMatch(/reviews\.default\.svc\.cluster\.local\s+9080\s+v3\s+outbound\s+EDS\s+reviews\.default/);
    const json = await meshviz('proxy-config', 'endpoints', 'api', '--at', '30s', '-o', 'json');
    expect(json.code).toBe(0);
    const rows = JSON.parse(json.stdout) as { atMs: number; endpoints: Array<{ outlierCheck: string; cluster: string }> };
    expect(rows.atMs).toBe(30_000);
    expect(rows.endpoints.find((e) => e.cluster === 'outbound|8080|v1|users.default.svc.cluster.local')?.outlierCheck).toBe('FAILED');
    const bad = await meshviz('proxy-config', 'secrets', 'api');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/clusters, listeners, routes, endpoints|clusters.*endpoints/);
  });
});
