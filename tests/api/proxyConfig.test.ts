import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openSession, proxyConfig } from '../../src/api/index.ts';
import type { Session } from '../../src/api/index.ts';
import { meshviz } from '../helpers/meshvizCli.ts';

function scenario(name: string): Session {
  const opened = openSession([{ name: `scenarios/${name}.yaml`, text: readFileSync(`scenarios/${name}.yaml`, 'utf8') }]);
  if (!opened.ok) throw new Error(`${name} does not load`);
  return opened.session;
}

const SECOND = 1_000_000;

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
    expect(reviews[0]).toMatchObject({ name: '9080', domains: ['reviews', 'reviews.default', 'reviews.default.svc', 'reviews.default.svc.cluster.local'], virtualService: 'reviews.default' });
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

  it('shows a gateway’s listeners on the ports Envoy binds (a server on 80 behind a Service whose targetPort is 8080 listens on 8080)', () => {
    const opened = openSession(['examples/ingress/mesh.yaml', 'examples/ingress/simulation.yaml'].map((f) => ({ name: f, text: readFileSync(f, 'utf8') })));
    if (!opened.ok) throw new Error('the ingress example does not load');
    const gateway = proxyConfig(opened.session, 'istio-ingressgateway');
    expect(gateway.listeners.map((l) => `${l.port} ${l.destination}`)).toEqual(['8080 Route: http.8080', '8443 Route: http.8443']);
    expect(new Set(gateway.routes.map((r) => r.name))).toEqual(new Set(['http.8080', 'http.8443']));
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
