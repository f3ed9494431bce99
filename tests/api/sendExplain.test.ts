import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { explainSend, openSession, proxyConfig, sendOne, SIMULATION_ERRORS } from '../../src/api/index.ts';
import type { ExplainHop, SendOptions, Session } from '../../src/api/index.ts';
import { serviceAddress } from '../../src/telemetry/index.ts';
import { meshviz } from '../helpers/meshvizCli.ts';

/*
 * send --explain walks the stages of Istio's config simulator (Istio src pilot/pkg/simulation/traffic.go:
 * Result.ListenerMatched, FilterChainMatched, RouteConfigMatched, VirtualHostMatched, RouteMatched,
 * ClusterMatched) and stops with its errors, word for word: ErrNoFilterChain "no filter chains matched",
 * ErrNoRoute "no route matched", ErrNoVirtualHost "no virtual host matched", ErrTLSRedirect "tls required,
 * sending 301", ErrMTLSError "invalid mTLS". Names are istiod's: listener_inbound.go (virtualInbound,
 * 0.0.0.0_<port>), httproute.go (inbound|http|<port>), listener.go (0.0.0.0_<port>, <vip>_<port> for TCP),
 * listener_waypoint.go / cluster_waypoint.go (main_internal, inbound-vip|<port>|http[/subset]|<host>).
 */

function open(...files: string[]): Session {
  const opened = openSession(files.map((f) => ({ name: f, text: readFileSync(f, 'utf8') })));
  if (!opened.ok) throw new Error(`${files.join(' ')} does not load`);
  return opened.session;
}

function openText(files: Array<{ name: string; text: string }>): Session {
  const opened = openSession(files);
  if (!opened.ok) throw new Error(`does not load: ${opened.diagnostics.map((d) => d.message).join('; ')}`);
  return opened.session;
}

function explain(session: Session, options: SendOptions): { hops: ExplainHop[]; status: number; flags: string[] } {
  return explainSend(session, sendOne(session, options));
}

/** The seven stage values of a hop, in the simulator's order (null: not reached or not there). */
function stages(hop: ExplainHop | undefined): Array<string | null> {
  if (!hop) return [];
  return [hop.listenerMatched, hop.filterChainMatched, hop.routeConfigMatched, hop.virtualHostMatched, hop.routeMatched, hop.clusterMatched, hop.endpointMatched];
}

const EXPORT = 'tests/fixtures/cluster-export/bookinfo-export.yaml';
const HTTP_CHAIN = 'Trans: raw_buffer; App: http/1.1,h2c';

describe('send --explain: a sidecar to a sidecar (the Bookinfo export, productpage → reviews)', () => {
  const session = open(EXPORT);
  const result = explain(session, { from: 'productpage', to: 'reviews:9080/reviews/0' });
  const reviewsPod = session.scenario.pods.find((p) => p.workload === 'reviews-v1');

  it('names each stage of the caller’s outbound pass as Envoy’s config does', () => {
    expect(result.hops.map((h) => h.role)).toEqual(['outbound', 'inbound']);
    const [outbound] = result.hops;
    expect(outbound?.proxy).toMatch(/^productpage-v1-/);
    // The export's VirtualService reviews sends everything to v1 from an unnamed rule: Envoy's route name is ''.
    expect(stages(outbound)).toEqual(['0.0.0.0_9080', HTTP_CHAIN, '9080', 'reviews.default.svc.cluster.local:9080', '', 'outbound|9080|v1|reviews.default.svc.cluster.local', `${reviewsPod?.ip}:9080`]);
    expect(outbound?.notes).toContain('route from VirtualService/default/reviews http[0]');
    expect(outbound?.error).toBeNull();
  });

  it('names the callee’s inbound pass: virtualInbound, the port’s chain, inbound|9080||', () => {
    const inbound = result.hops[1];
    expect(inbound?.proxy).toBe(reviewsPod?.name);
    expect(stages(inbound)).toEqual(['virtualInbound', '0.0.0.0_9080', 'inbound|9080||', 'inbound|http|9080', 'default', 'inbound|9080||', `${reviewsPod?.ip}:9080`]);
    expect(inbound?.notes).toContain('mTLS on a PERMISSIVE port');
    expect(result.status).toBe(200);
  });

  it('agrees with proxy-config line for line: the listener, route config, virtual host and cluster are rows of its tables', () => {
    const config = proxyConfig(session, 'productpage');
    const outbound = result.hops[0];
    expect(config.listeners.some((l) => `${l.address}_${l.port}` === outbound?.listenerMatched && l.match === outbound.filterChainMatched && l.destination === `Route: ${outbound.routeConfigMatched}`)).toBe(true);
    expect(config.routes.some((r) => r.name === outbound?.routeConfigMatched && r.virtualHost === outbound.virtualHostMatched)).toBe(true);
    expect(config.endpoints.some((e) => e.cluster === outbound?.clusterMatched && e.endpoint === outbound.endpointMatched)).toBe(true);
  });
});

describe('send --explain: where a request stops, named as Istio’s simulator names it', () => {
  it('no route matched: a VirtualService whose rules all miss (Envoy 404 NR), at the route stage', () => {
    const text = `${readFileSync('scenarios/default.yaml', 'utf8')}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: api-admin-only }
spec:
  hosts: [api]
  http:
    - name: admin
      match: [{ uri: { prefix: /admin } }]
      route: [{ destination: { host: api } }]
`;
    const r = explain(openText([{ name: 'mesh.yaml', text }]), { from: 'web', to: 'api:8080/orders' });
    expect(r.hops).toHaveLength(1);
    const [hop] = r.hops;
    expect(stages(hop).slice(0, 4)).toEqual(['0.0.0.0_8080', HTTP_CHAIN, '8080', 'api.default.svc.cluster.local:8080']);
    expect(hop?.routeMatched).toBeNull();
    expect(hop?.error).toMatchObject({ stage: 'route', message: SIMULATION_ERRORS.noRoute });
    expect(SIMULATION_ERRORS.noRoute).toBe('no route matched');
    expect([r.status, r.flags]).toEqual([404, ['NR']]);
  });

  it('no filter chains matched: plaintext from a pod without a sidecar to a STRICT port (sidecar_simulation_test.go: "Plaintext to strict, should fail")', () => {
    const r = explain(open('scenarios/default.yaml', 'examples/legacy-client.yaml', 'examples/strict-mtls.yaml'), { from: 'legacy', to: 'api:8080/' });
    expect(r.hops.map((h) => h.role)).toEqual(['no proxy', 'inbound']);
    expect(r.hops[1]?.listenerMatched).toBe('virtualInbound');
    expect(r.hops[1]?.filterChainMatched).toBeNull();
    expect(r.hops[1]?.error).toMatchObject({ stage: 'filterChain', message: 'no filter chains matched' });
    expect(r.hops[1]?.error?.detail).toMatch(/port 8080 is STRICT/);
    expect(r.status).toBe(0);
  });

  it('authorization: the callee’s RBAC filter denies, naming the policy, after the filter chain and before any route', () => {
    const r = explain(open('scenarios/default.yaml', 'examples/rbac.yaml'), { from: 'web', to: 'api:8080/', method: 'DELETE' });
    const inbound = r.hops[1];
    expect(inbound?.filterChainMatched).toBe('0.0.0.0_8080');
    expect(inbound?.error).toMatchObject({ stage: 'authorization', message: 'RBAC: access denied' });
    expect(inbound?.error?.detail).toMatch(/^AuthorizationPolicy\/default\/api-readers: /);
    expect(inbound?.routeConfigMatched).toBeNull();
    expect(r.status).toBe(403);
  });

  it('REGISTRY_ONLY: a host with no ServiceEntry matches the catch-all virtual host block_all, whose route answers 502', () => {
    const r = explain(open('examples/egress/mesh.yaml', 'examples/egress/simulation.yaml'), { from: 'checkout', to: 'rates.example.org/latest' });
    const [hop] = r.hops;
    // pilot/pkg/networking/util/util.go: BlackHole = "block_all" names the virtual host and its route.
    expect(stages(hop).slice(0, 5)).toEqual(['0.0.0.0_80', HTTP_CHAIN, '80', 'block_all', 'block_all']);
    expect(hop?.error).toMatchObject({ stage: 'route', message: 'direct response 502' });
    expect(r.status).toBe(502);
  });
});

describe('send --explain: gateways', () => {
  const ingress = open('examples/ingress/mesh.yaml', 'examples/ingress/simulation.yaml');

  it('an HTTPS server: the gateway’s listener on its bound port, the SNI chain, the server’s own route config, then the backend’s inbound pass', () => {
    const r = explain(ingress, { from: 'external', to: 'shop.example.com:443/' });
    expect(r.hops.map((h) => h.role)).toEqual(['gateway', 'inbound']);
    const web = ingress.scenario.pods.find((p) => p.workload === 'web');
    expect(stages(r.hops[0])).toEqual(['0.0.0.0_8443', 'SNI: shop.example.com', 'https.443.https.shop-gateway.shop', 'shop.example.com:443', '', 'outbound|8080||web.shop.svc.cluster.local', expect.stringMatching(/^10\.\d+\.\d+\.\d+:8080$/)]);
    // The backend's virtual host is named by the service port it was sent to (8080), not the client's 443.
    expect(r.hops[1]?.virtualHostMatched).toBe('inbound|http|8080');
    expect(web).toBeDefined();
  });

  it('no virtual host matched: a host the gateway has no virtual host for (404 NR)', () => {
    const r = explain(ingress, { from: 'external', to: 'nope.example.com:80/' });
    expect(stages(r.hops[0]).slice(0, 3)).toEqual(['0.0.0.0_8080', 'ALL', 'http.8080']);
    expect(r.hops[0]?.error).toMatchObject({ stage: 'virtualHost', message: 'no virtual host matched' });
    expect([r.status, r.flags]).toEqual([404, ['NR']]);
  });

  it('tls required, sending 301: the virtual host of a server with httpsRedirect matches, then redirects', () => {
    const r = explain(ingress, { from: 'external', to: 'shop.example.com/' });
    expect(r.hops[0]?.virtualHostMatched).toBe('shop.example.com:80');
    expect(r.hops[0]?.error).toMatchObject({ stage: 'virtualHost', message: 'tls required, sending 301' });
    expect(r.status).toBe(301);
  });

  it('no filter chains matched: an SNI no chain of the HTTPS server takes (Envoy closes the connection, NR)', () => {
    const r = explain(ingress, { from: 'external', to: 'other.example.com:443/' });
    expect(r.hops[0]?.listenerMatched).toBe('0.0.0.0_8443');
    expect(r.hops[0]?.error).toMatchObject({ stage: 'filterChain', message: 'no filter chains matched' });
    expect([r.status, r.flags]).toEqual([0, ['NR']]);
  });

  it('invalid mTLS: a MUTUAL server and a client without a certificate; with one, the request goes through', () => {
    const mutual = openText(['examples/ingress/mesh.yaml', 'examples/ingress/simulation.yaml'].map((f) => ({ name: f, text: readFileSync(f, 'utf8').replace('tls: { mode: SIMPLE, credentialName: shop-cert }', 'tls: { mode: MUTUAL, credentialName: shop-cert }') })));
    const refused = explain(mutual, { from: 'external', to: 'shop.example.com:443/' });
    expect(refused.hops[0]?.error).toMatchObject({ stage: 'filterChain', message: 'invalid mTLS' });
    const presented = explain(mutual, { from: 'external', to: 'shop.example.com:443/', clientCertificate: true });
    expect(presented.hops.every((h) => h.error === null)).toBe(true);
    expect(presented.status).toBe(200);
  });

  it('an egress gateway: the sidecar’s pass to the gateway’s cluster, then the gateway’s own pass to the external host', () => {
    const r = explain(open('examples/egress-gateway/mesh.yaml', 'examples/egress-gateway/simulation.yaml'), { from: 'checkout', to: 'api.payments.example/charge' });
    expect(r.hops.map((h) => h.role)).toEqual(['outbound', 'gateway', 'no proxy']);
    expect(r.hops[0]?.clusterMatched).toBe('outbound|80|payments|istio-egressgateway.istio-system.svc.cluster.local');
    expect(stages(r.hops[1]).slice(0, 6)).toEqual(['0.0.0.0_8080', 'ALL', 'http.8080', 'api.payments.example:80', '', 'outbound|80||api.payments.example']);
  });
});

describe('send --explain: ambient and Linkerd', () => {
  const ambient = open('scenarios/ambient.yaml');

  it('a waypoint is an Envoy hop with its own names; the ztunnels on either side are named as L4 hops, with no Envoy stages', () => {
    const r = explain(ambient, { from: 'api', to: 'users:8080/', seed: 1 });
    expect(r.hops.map((h) => h.role)).toEqual(['ztunnel', 'waypoint', 'ztunnel']);
    const waypoint = r.hops[1];
    expect(waypoint?.proxy).toBe('waypoint default/waypoint');
    expect(stages(waypoint).slice(0, 5)).toEqual(['main_internal', 'inbound-vip|8080|http|users.default.svc.cluster.local', 'inbound-vip|8080|http|users.default.svc.cluster.local', 'inbound|http|8080', 'canary']);
    expect(waypoint?.clusterMatched).toMatch(/^inbound-vip\|8080\|http\/v[12]\|users\.default\.svc\.cluster\.local$/);
    for (const l4 of [r.hops[0], r.hops[2]]) {
      expect([l4?.listenerMatched, l4?.filterChainMatched, l4?.routeConfigMatched, l4?.clusterMatched]).toEqual([null, null, null, null]);
      expect(l4?.notes[0]).toMatch(/^L4: /);
    }
    expect(r.hops[2]?.endpointMatched).toBe(r.hops[1]?.endpointMatched);
  });

  it('a ztunnel without a waypoint routes by itself: one L4 hop with the endpoint it picked', () => {
    const r = explain(ambient, { from: 'users-v1', to: 'db:8080/' });
    expect(r.hops[0]?.role).toBe('ztunnel');
    expect(r.hops[0]?.notes[0]).toMatch(/no waypoint for db\.default\.svc\.cluster\.local:8080/);
    const db = ambient.scenario.pods.find((p) => p.workload === 'db');
    expect(r.hops[0]?.endpointMatched).toBe(`${db?.ip}:8080`);
  });

  it('under Linkerd it refuses in one line: the stages are Envoy’s', () => {
    const linkerd = open('scenarios/linkerd.yaml');
    expect(() => explain(linkerd, { from: 'api', to: 'users:8080/' })).toThrow(/--explain names Envoy's stages .* linkerd-proxy has none of them/);
  });
});

describe('send --explain on a TCP port', () => {
  it('meets the service’s own listener and a TCP proxy straight to the cluster: no route config, virtual host or route', () => {
    const mesh = readFileSync('tests/fixtures/tcp/web-db-cache.yaml', 'utf8');
    const session = openText([{ name: 'mesh.yaml', text: mesh }]);
    const r = explain(session, { from: 'web', to: 'db:3306/' });
    const db = session.scenario.pods.find((p) => p.workload === 'db');
    expect(stages(r.hops[0])).toEqual([`${serviceAddress('db.default.svc.cluster.local')}_3306`, 'ALL', null, null, null, 'outbound|3306||db.default.svc.cluster.local', `${db?.ip}:3306`]);
    expect(r.hops[0]?.notes[0]).toBe('port 3306 is TCP: a TCP proxy, no route config');
  });

  it('a TLS port routed by a tls rule: the filter chain is the rule’s SNI match, the route its source (examples/egress-gateway-tls)', () => {
    const r = explain(open('examples/egress-gateway-tls/mesh.yaml', 'examples/egress-gateway-tls/simulation.yaml'), { from: 'checkout', to: 'edition.cnn.com:443/' });
    expect(r.hops.map((h) => h.role)).toEqual(['outbound', 'gateway', 'no proxy']);
    expect([r.hops[0]?.filterChainMatched, r.hops[0]?.routeConfigMatched, r.hops[0]?.clusterMatched]).toEqual(['SNI: edition.cnn.com', null, 'outbound|443|cnn|istio-egressgateway.istio-system.svc.cluster.local']);
    expect(r.hops[0]?.notes).toContain('route from VirtualService/default/direct-cnn-through-egress-gateway tls[0]');
  });

  it('proxy-config listeners shows the same chain: SNI edition.cnn.com, to the gateway’s cluster', () => {
    const session = open('examples/egress-gateway-tls/mesh.yaml', 'examples/egress-gateway-tls/simulation.yaml');
    const checkout = session.scenario.pods.find((p) => p.workload === 'checkout')?.name as string;
    const rows = proxyConfig(session, checkout).listeners;
    expect(rows.filter((l) => l.port === 443 && l.match.startsWith('SNI'))).toEqual([{ address: '0.0.0.0', port: 443, match: 'SNI: edition.cnn.com', destination: 'Cluster: outbound|443|cnn|istio-egressgateway.istio-system.svc.cluster.local' }]);
  });

  it('no filter chains matched: a TLS port whose tls rules name another SNI (Envoy closes the connection, NR)', () => {
    const mesh = readFileSync('examples/egress-gateway-tls/mesh.yaml', 'utf8').replace('match: [{ gateways: [mesh], port: 443, sniHosts: [edition.cnn.com] }]', 'match: [{ gateways: [mesh], port: 443, sniHosts: [www.cnn.com] }]');
    const r = explain(openText([{ name: 'mesh.yaml', text: mesh }]), { from: 'checkout', to: 'edition.cnn.com:443/' });
    expect([r.status, r.flags]).toEqual([0, ['NR']]);
    expect(r.hops[0]?.error).toMatchObject({ stage: 'filterChain', message: SIMULATION_ERRORS.noFilterChain });
  });

  it('a gateway’s passthrough chain is matched by the tls rule’s SNI names, not the server’s hosts (istiod gateway.go buildGatewayNetworkFiltersFromTLSRoutes)', () => {
    const mesh = readFileSync('examples/egress-gateway-tls/mesh.yaml', 'utf8').replace('      hosts: [edition.cnn.com]\n      tls: { mode: PASSTHROUGH }', '      hosts: ["*.cnn.com"]\n      tls: { mode: PASSTHROUGH }');
    expect(mesh).toContain('"*.cnn.com"');
    const session = openText([{ name: 'mesh.yaml', text: mesh }]);
    const r = explain(session, { from: 'checkout', to: 'edition.cnn.com:443/' });
    expect(r.status).toBe(200);
    expect([r.hops[1]?.role, r.hops[1]?.filterChainMatched, r.hops[1]?.clusterMatched]).toEqual(['gateway', 'SNI: edition.cnn.com', 'outbound|443||edition.cnn.com']);
    // proxy-config listeners shows the gateway's same chain.
    const gateway = session.scenario.pods.find((p) => p.workload === 'istio-egressgateway')?.name as string;
    expect(proxyConfig(session, gateway).listeners.map((l) => `${l.port} ${l.match} ${l.destination}`)).toEqual(['8443 SNI: edition.cnn.com Cluster: outbound|443||edition.cnn.com']);
  });
});

describe('meshviz send --explain', () => {
  it('prints the stages, and with -o json the hops in a stable shape', async () => {
    const text = await meshviz('send', EXPORT, '--from', 'productpage', '--to', 'reviews:9080/reviews/0', '--explain');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/listener matched\s+0\.0\.0\.0_9080/);
    expect(text.stdout).toMatch(/cluster matched\s+outbound\|9080\|v1\|reviews\.default\.svc\.cluster\.local/);
    expect(text.stdout).toMatch(/filter chain matched\s+0\.0\.0\.0_9080/);
    const json = await meshviz('send', '--scenario', 'bookinfo', '--from', 'productpage', '--to', 'reviews:9080/', '--explain', '--json');
    expect(json.code).toBe(0);
    const data = JSON.parse(json.stdout) as { hops: Array<Record<string, unknown>> };
    expect(Object.keys(data)).toEqual(['requestId', 'status', 'flags', 'hops']);
    expect(Object.keys(data.hops[0] ?? {})).toEqual(['role', 'proxy', 'listenerMatched', 'filterChainMatched', 'authorizationMatched', 'routeConfigMatched', 'virtualHostMatched', 'routeMatched', 'clusterMatched', 'endpointMatched', 'notes', 'error']);
    const both = await meshviz('send', '--from', 'web', '--to', 'api:8080/', '--explain', '--certs');
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--explain prints the stages/);
    const linkerd = await meshviz('send', '--scenario', 'linkerd', '--from', 'api', '--to', 'users:8080/', '--explain');
    expect(linkerd.code).toBe(2);
    expect(linkerd.stderr).toMatch(/linkerd-proxy has none of them/);
  });

  it('with --repeat, says first that the stages are the last request’s: after ejection, users-v1’s cluster has no healthy upstream', async () => {
    const run = await meshviz('send', '--from', 'api', '--to', 'users:8080/', '--fail', 'users-v1=503', '--repeat', '3', '--explain');
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe('request #3 of 3, the last one sent:');
    expect(run.stdout).toMatch(/no healthy upstream/);
    const one = await meshviz('send', '--from', 'api', '--to', 'users:8080/', '--explain');
    expect(one.stdout).not.toMatch(/^request #/);
  });
});
