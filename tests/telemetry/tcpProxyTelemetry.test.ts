import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openSession, startGraph, startSimulation } from '../../src/api/index.ts';
import { edgeRates, kialiGraph } from '../../src/telemetry/index.ts';
import type { Session } from '../../src/api/index.ts';
import { deployment, service, sessionFrom, simulation } from '../helpers/mesh.ts';

/**
 * What an Envoy TCP proxy reports: a gateway's PASSTHROUGH or TCP server (its routes come from a
 * VirtualService's `tls` / `tcp` rules, Envoy `tcp_proxy`: istiod `buildGatewayNetworkFiltersFromTLSRoutes`),
 * and a sidecar's listener for a port whose protocol is not HTTP (Istio builds a TCP proxy for HTTPS, TLS,
 * TCP, Mongo, Redis, MySQL: pilot/pkg/networking/core/listener.go; `pkg/config/protocol`). Facts, with sources:
 * - The istio stats filter's network form counts `istio_tcp_connections_opened_total`, `…_closed_total`,
 *   `istio_tcp_received_bytes_total` (bytes read from the downstream) and `istio_tcp_sent_bytes_total`
 *   (written to it), with the HTTP labels less `response_code` and `grpc_response_status`, and
 *   `request_protocol="tcp"` (istio/proxy source/extensions/filters/http/istio_stats/istio_stats.cc,
 *   `reportHelper`, at d13a386^); no `istio_requests_total`.
 * - Its access-log line in Istio's default format has no request line, code 0, no details, headers or route
 *   name: `"- - -" 0 - - - "-" <rx> <tx> <ms> - "-" "-" "-" "-" "<upstream>" <cluster> … <sni> -`, the SNI being
 *   the server name a PASSTHROUGH client sent (istio.io, "Egress Gateways", the egress gateway's log for
 *   edition.cnn.com: `… outbound|443||edition.cnn.com … edition.cnn.com -`).
 * - A TCP proxy makes no span.
 */
/** db's Service: port 5432 named for Postgres, which Istio proxies as TCP. */
const db = service('db', 'db', 5432, 'tcp-postgres');

/** Beside the ingress example: a PASSTHROUGH server to vault (port `tls`) and a TCP server to catalog. */
const EDGE = 'tests/fixtures/telemetry/tcp-proxies.yaml';

interface Outputs {
  metrics: string[];
  text: string[];
  json: Array<Record<string, unknown>>;
  spans: string;
}

function outputs(session: Session): Outputs {
  const run = (format: 'text' | 'json'): { log: string; metrics: string; spans: string } => {
    let log = '';
    let spans = '';
    const r = startSimulation(session, { telemetry: { startMs: 0, liveMetrics: true, accessLog: { write: (t) => (log += t), format }, traces: { write: (t) => (spans += t), samplingPercent: 100 } } });
    while (r.advance());
    return { log, metrics: r.telemetry?.prometheusText() ?? '', spans };
  };
  const text = run('text');
  const json = run('json');
  return {
    metrics: text.metrics.split('\n').filter((l) => l.startsWith('istio_')),
    text: text.log.split('\n').filter(Boolean),
    json: json.log.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>),
    spans: text.spans,
  };
}

const labels = (line: string): Record<string, string> => Object.fromEntries([...line.matchAll(/([a-z_]+)="([^"]*)"/g)].map((m) => [m[1] as string, m[2] as string]));
const value = (line: string | undefined): number => Number(line?.slice(line.lastIndexOf(' ') + 1));

describe('a gateway’s TLS PASSTHROUGH and TCP servers in the telemetry', () => {
  const opened = openSession(['examples/ingress/mesh.yaml', EDGE].map((name) => ({ name, text: readFileSync(name, 'utf8') })));
  if (!opened.ok) throw new Error(opened.diagnostics.map((d) => d.message).join('\n'));
  const out = outputs(opened.session);
  const gateway = (l: string) => l.includes('source_workload="istio-ingressgateway"') && l.includes('reporter="source"');

  it('the gateway counts each connection with Istio’s TCP metrics, not istio_requests_total', () => {
    const tcp = out.metrics.filter(gateway);
    expect(out.metrics.filter((l) => gateway(l) && l.startsWith('istio_request'))).toEqual([]);
    const vault = tcp.filter((l) => l.includes('destination_workload="vault"'));
    expect(vault.map((l) => l.slice(0, l.indexOf('{')))).toEqual(['istio_tcp_connections_opened_total', 'istio_tcp_connections_closed_total', 'istio_tcp_received_bytes_total', 'istio_tcp_sent_bytes_total']);
    expect(value(vault[0])).toBe(20);
    expect(value(vault[1])).toBe(20);
    expect(value(vault[2])).toBeGreaterThan(0);
    const l = labels(vault[0] as string);
    expect(Object.keys(l)).not.toContain('response_code');
    expect(Object.keys(l)).not.toContain('grpc_response_status');
    expect([l['request_protocol'], l['response_flags'], l['connection_security_policy'], l['destination_service'], l['destination_service_name']]).toEqual(['tcp', '-', 'unknown', 'vault.shop.svc.cluster.local', 'vault']);
    expect(Object.keys(l).slice(-3)).toEqual(['request_protocol', 'response_flags', 'connection_security_policy']);
    expect(value(tcp.find((x) => x.startsWith('istio_tcp_connections_closed_total') && x.includes('destination_workload="catalog"')))).toBe(20);
  });

  it('vault’s sidecar takes the opaque TLS on its `tls` port with a TCP proxy too; catalog’s `http` port parses the TCP server’s bytes as HTTP', () => {
    const vault = out.metrics.filter((l) => l.includes('reporter="destination"') && l.includes('destination_workload="vault"'));
    expect(vault.filter((l) => l.startsWith('istio_request'))).toEqual([]);
    expect(value(vault.find((l) => l.startsWith('istio_tcp_connections_opened_total')))).toBe(20);
    expect(labels(vault[0] as string)['connection_security_policy']).toBe('mutual_tls');
    const catalog = out.metrics.filter((l) => l.startsWith('istio_requests_total') && l.includes('reporter="destination"') && l.includes('source_workload="istio-ingressgateway"') && l.includes('destination_workload="catalog"'));
    expect(catalog.map(value)).toEqual([20]);
  });

  it('the access log: a "- - -" line with code 0, the bytes each way, the PASSTHROUGH SNI, no route name', () => {
    const outbound = out.text.filter((l) => l.includes(' outbound|8443||vault.shop.svc.cluster.local '));
    expect(outbound).toHaveLength(20);
    for (const line of outbound) {
      expect(line).toMatch(/^\[[^\]]+\] "- - -" 0 - - - "-" \d+ \d+ \d+ - "-" "-" "-" "-" "10\.244\.\d+\.\d+:8443" outbound\|8443\|\|vault\.shop\.svc\.cluster\.local \S+ \S+ \S+ vault\.example\.com -$/);
    }
    const raw = out.text.filter((l) => l.includes(' outbound|9090||catalog.shop.svc.cluster.local ') && l.includes('"- - -"'));
    expect(raw).toHaveLength(20);
    for (const line of raw) expect(line.endsWith(' - -')).toBe(true);
    const inbound = out.text.filter((l) => l.includes(' inbound|8443|| '));
    expect(inbound).toHaveLength(20);
    for (const line of inbound) expect(line).toMatch(/^\[[^\]]+\] "- - -" 0 - - - "-" \d+ \d+ \d+ - "-" "-" "-" "-" .* outbound_\.8443_\._\.vault\.shop\.svc\.cluster\.local -$/);
    const [received, sent] = (outbound[0] as string).split(' ').slice(9, 11).map(Number);
    expect(received).toBeGreaterThan(0);
    expect(sent).toBeGreaterThan(0);
  });

  it('the JSON log: Istio’s keys, null where a TCP proxy has no value, the bytes and the attempt count', () => {
    const line = out.json.find((l) => l['upstream_cluster'] === 'outbound|8443||vault.shop.svc.cluster.local');
    expect(line).toMatchObject({
      route_name: null,
      method: null,
      path: null,
      protocol: null,
      response_code: 0,
      response_flags: '-',
      response_code_details: null,
      connection_termination_details: null,
      upstream_service_time: null,
      x_forwarded_for: null,
      user_agent: null,
      request_id: null,
      authority: null,
      requested_server_name: 'vault.example.com',
      upstream_request_attempt_count: 1,
    });
    expect(line?.['bytes_received']).toBeGreaterThan(0);
    expect(Object.keys(line ?? {})).toEqual(Object.keys(out.json.find((l) => l['method'] === 'GET') ?? {}));
  });

  it('no span for a TCP proxy: the gateway’s passthrough and vault’s inbound make none', () => {
    expect(out.spans).not.toContain('vault');
    expect(out.spans).toContain('catalog');
  });

  it('the service graph draws TCP edges as Kiali draws them from these metrics: bytes per second, no code, no response time', () => {
    const g = startGraph(opened.session);
    while (g.run.advance());
    const graph = g.graph('versionedApp');
    const byId = new Map(graph.edges.map((e) => [e.id, e]));
    const toVault = byId.get('vapp_Kubernetes_istio-system_istio-ingressgateway>svc_Kubernetes_shop_vault>tcp');
    expect(toVault?.protocol).toBe('tcp');
    // The bytes the graph counts are the ones the gateway's istio_tcp_sent_bytes_total counts.
    const sent = out.metrics.filter((l) => gateway(l) && l.startsWith('istio_tcp_sent_bytes_total') && l.includes('destination_workload="vault"'));
    expect(Object.values(toVault?.sentBytes ?? {}).reduce((a, b) => a + b, 0)).toBe(value(sent[0]));
    expect([toVault?.requests, toVault?.responses]).toEqual([20, { '0': { '-': 20 } }]);
    expect(byId.get('svc_Kubernetes_shop_vault>vapp_Kubernetes_shop_vault>tcp')?.protocol).toBe('tcp');
    // catalog's sidecar parses HTTP from the gateway's TCP proxy: an HTTP edge from its service node.
    expect(byId.get('svc_Kubernetes_shop_catalog>vapp_Kubernetes_shop_catalog')?.protocol).toBe('http');
    expect(edgeRates(toVault!, graph.durationMs).errorPercent).toBe(0);
    const kiali = kialiGraph(graph, 'versionedApp');
    const edge = kiali.elements.edges.find((e) => e.data.id === toVault?.id)?.data;
    expect(edge?.traffic).toEqual({ protocol: 'tcp', rates: { tcp: expect.stringMatching(/^\d+\.\d{2}$/) }, responses: { '-': { flags: { '-': '100.0' }, hosts: { 'vault.shop.svc.cluster.local': '100.0' } } } });
    expect(edge?.responseTime).toBeUndefined();
    const gatewayNode = kiali.elements.nodes.find((n) => n.data.id === 'vapp_Kubernetes_istio-system_istio-ingressgateway')?.data;
    expect(gatewayNode?.traffic?.map((t) => [t.protocol, Object.keys(t.rates)])).toEqual([['tcp', ['tcpOut']]]);
  });
});

describe('a sidecar’s call to a service port Istio proxies as TCP', () => {
  const session = sessionFrom(
    deployment('client', { app: 'client' }),
    deployment('db', { app: 'db' }),
    db,
    simulation(`
seed: 1
workloads: { db: { latency: { fixed: 2ms } } }
traffic: [{ name: q, from: client, to: db:5432, rps: 10, duration: 1s }]`),
  );
  const out = outputs(session);

  it('both sidecars report the connection (TCP metrics, "- - -" lines), the caller’s security policy unknown, the callee’s mTLS', () => {
    expect(out.metrics.filter((l) => l.startsWith('istio_request'))).toEqual([]);
    const opened = out.metrics.filter((l) => l.startsWith('istio_tcp_connections_opened_total'));
    expect(opened.map((l) => [labels(l)['reporter'], labels(l)['connection_security_policy'], value(l)]).sort()).toEqual([
      ['destination', 'mutual_tls', 10],
      ['source', 'unknown', 10],
    ]);
    expect(out.text).toHaveLength(20);
    for (const line of out.text) expect(line).toMatch(/"- - -" 0 - - - "-" \d+ \d+ \d+ - "-" "-" "-" "-" /);
    // A plain TCP port carries no SNI from the app; the callee's line shows the mTLS SNI of the caller's cluster.
    expect(out.text.filter((l) => l.includes(' outbound|5432||db.default.svc.cluster.local ')).every((l) => l.endsWith(' - -'))).toBe(true);
    expect(out.spans).toBe('');
  });

  it('a Telemetry that disables TCP_OPENED_CONNECTIONS leaves the other three', () => {
    const off = sessionFrom(
      deployment('client', { app: 'client' }),
      deployment('db', { app: 'db' }),
      db,
      `apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata: { name: no-opened, namespace: istio-system }
spec:
  metrics: [{ providers: [{ name: prometheus }], overrides: [{ match: { metric: TCP_OPENED_CONNECTIONS }, disabled: true }] }]`,
      simulation(`
seed: 1
traffic: [{ name: q, from: client, to: db:5432, rps: 10, duration: 1s }]`),
    );
    const names = new Set(outputs(off).metrics.map((l) => l.slice(0, l.indexOf('{'))));
    expect([...names].sort()).toEqual(['istio_tcp_connections_closed_total', 'istio_tcp_received_bytes_total', 'istio_tcp_sent_bytes_total']);
  });
});

describe('a trace across a sidecar’s TCP proxy', () => {
  // web's app copies the trace context onto its call to db:5432 (a TCP port: no spans there) and db's app onto its call to
  // cache. What db's app copied names web's server span, so cache's spans hang under it: no span's parent is missing.
  const session = sessionFrom(
    deployment('web', { app: 'web' }),
    service('web'),
    deployment('db', { app: 'db' }),
    db,
    deployment('cache', { app: 'cache' }),
    service('cache'),
    simulation(`
seed: 1
workloads:
  web: { calls: [{ service: "db:5432", path: /q }] }
  db: { calls: [{ service: "cache:8080", path: /k }] }
traffic: [{ name: q, from: external, to: web:8080, rps: 10, duration: 1s }]`),
  );
  const spans = outputs(session)
    .spans.split('\n')
    .filter(Boolean)
    .flatMap((line) => (JSON.parse(line) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<{ traceId: string; spanId: string; parentSpanId?: string; name: string }> }> }> }).resourceSpans)
    .flatMap((r) => r.scopeSpans.flatMap((ss) => ss.spans));

  it('every parent a span names is a span of the file, and cache’s spans continue web’s trace', () => {
    const ids = new Set(spans.map((sp) => sp.spanId));
    const orphans = spans.filter((sp) => sp.parentSpanId !== undefined && sp.parentSpanId !== '' && !ids.has(sp.parentSpanId));
    expect(orphans).toEqual([]);
    const cache = spans.filter((sp) => sp.name.startsWith('cache'));
    expect(cache.length).toBeGreaterThan(0);
    const webTraces = new Set(spans.filter((sp) => sp.name.startsWith('web')).map((sp) => sp.traceId));
    expect(cache.every((sp) => webTraces.has(sp.traceId))).toBe(true);
    expect(spans.some((sp) => sp.name.startsWith('db'))).toBe(false);
  });
});

