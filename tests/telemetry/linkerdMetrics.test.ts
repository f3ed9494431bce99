import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { openSession, startSimulation } from '../../src/api/index.ts';
import type { Session } from '../../src/api/index.ts';
import type { SimulationReport } from '../../src/telemetry/index.ts';
import { deployment } from '../helpers/mesh.ts';
import { promtool } from '../helpers/prometheus.ts';
import { annotatedService, linkerdSession } from '../linkerd/linkerdMesh.ts';

/*
 * Every name, label and bucket below was read in linkerd/linkerd2-proxy at
 * commit 29637b64f6cebedaf15bfbf516818d7a28a4d5a6:
 * - linkerd/http/metrics/src/requests/report.rs: request_total, response_total, response_latency_ms and their help;
 * - linkerd/metrics/src/latency.rs BOUNDS: the latency buckets (ms);
 * - linkerd/app/core/src/metrics.rs: direction, authority, the Class labels (classification, grpc_status, error),
 *   ServerLabel / RouteLabels / RouteAuthzLabels (srv_*, route_*, authz_*), ProfileRouteLabels (dst, rt_*);
 * - linkerd/app/core/src/transport/labels.rs: target_addr/ip/port, TlsConnect (server_id), TlsAccept (client_id);
 * - linkerd/app/outbound/src/metrics.rs (parent_*, route_*), .../policy/route/metrics.rs (REQUEST_BUCKETS, the
 *   `outbound` `http` `route` `request` `statuses` registry path) and .../route/metrics/labels.rs (hostname,
 *   http_status and the `error` values FAIL_FAST, LOAD_SHED, REQUEST_TIMEOUT, RESPONSE_HEADERS_TIMEOUT, …);
 * - linkerd/app/inbound/src/policy/defaults.rs and proxy/server-policy/src/http.rs: the default policy's names.
 * The dst_* values are the destination controller's (linkerd/linkerd2 at b24cd4059841f8cee2fb7a9c2ac23a693c583579,
 * pkg/k8s/labels.go GetPodLabels, controller/api/destination/endpoint_translator.go), sorted by key as the proxy
 * keeps them (proxy/api-resolve/src/metadata.rs).
 */
const LATENCY_BOUNDS = ['1', '2', '3', '4', '5', '10', '20', '30', '40', '50', '100', '200', '300', '400', '500', '1000', '2000', '3000', '4000', '5000', '10000', '20000', '30000', '40000', '50000', '+Inf'];

function metricsOf(session: Session, duration?: number): { text: string; report: SimulationReport } {
  const run = startSimulation(session, { ...(duration === undefined ? {} : { duration }), telemetry: { startMs: 0, liveMetrics: true } });
  while (run.advance());
  return { text: run.telemetry?.prometheusText() ?? '', report: run.report() };
}

/** The samples of `name` whose labels include every `key="value"` of `having`, with their labels and values. */
function samples(text: string, name: string, having: Record<string, string> = {}): Array<{ labels: string; value: number }> {
  const out: Array<{ labels: string; value: number }> = [];
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)\{(.*)\} (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const labels = m[2] as string;
    if (Object.entries(having).every(([k, v]) => labels.split(/,(?=[a-z_]+=")/).includes(`${k}="${v}"`))) out.push({ labels, value: Number(m[3]) });
  }
  return out;
}
const sum = (s: Array<{ value: number }>): number => s.reduce((n, x) => n + x.value, 0);
const keys = (labels: string): string[] => labels.split(/,(?=[a-z_]+=")/).map((p) => p.slice(0, p.indexOf('=')));

describe('a Linkerd run’s metrics are linkerd-proxy’s, not Istio’s', () => {
  let text: string;
  let report: SimulationReport;
  beforeAll(() => {
    const opened = openSession([{ name: 'linkerd.yaml', text: readFileSync(new URL('../../scenarios/linkerd.yaml', import.meta.url), 'utf8') }]);
    if (!opened.ok) throw new Error('the Linkerd shop did not load');
    ({ text, report } = metricsOf(opened.session, 60_000_000));
  });

  it('has request_total, response_total, response_latency_ms and the route statuses, and no Istio or Envoy name', () => {
    const families = [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => `${m[1]} ${m[2]}`);
    expect(families).toEqual([
      'request_total counter',
      'response_latency_ms histogram',
      'response_total counter',
      'outbound_http_route_request_statuses_total counter',
      'outbound_http_route_request_duration_seconds histogram',
    ]);
    expect(text).not.toMatch(/^(istio|envoy)_/m);
  });

  it('response_latency_ms has linkerd-proxy’s buckets, 1 ms to 50 s', () => {
    const first = samples(text, 'response_latency_ms_bucket', { direction: 'inbound' })[0]?.labels as string;
    const series = first.replace(/,le="[^"]*"$/, '');
    const les = samples(text, 'response_latency_ms_bucket').filter((s) => s.labels.startsWith(`${series},le=`)).map((s) => /le="([^"]*)"$/.exec(s.labels)?.[1]);
    expect(les).toEqual(LATENCY_BOUNDS);
    expect(samples(text, 'outbound_http_route_request_duration_seconds_bucket')[0]?.labels).toMatch(/le="0.05"$/);
  });

  it('an outbound endpoint series has linkerd-proxy’s labels in its order, with the destination controller’s dst_* labels', () => {
    const users = samples(text, 'request_total', { direction: 'outbound', dst_deployment: 'users-v1' });
    expect(users).toHaveLength(1);
    expect(keys(users[0]?.labels as string)).toEqual([
      'namespace',
      'deployment',
      'direction',
      'authority',
      'target_addr',
      'target_ip',
      'target_port',
      'tls',
      'server_id',
      'dst_control_plane_ns',
      'dst_deployment',
      'dst_namespace',
      'dst_pod',
      'dst_pod_template_hash',
      'dst_service',
      'dst_serviceaccount',
      'dst_zone',
      'dst_zone_locality',
    ]);
    expect(users[0]?.labels).toContain('authority="users.default.svc.cluster.local:8080"');
    expect(users[0]?.labels).toContain('tls="true",server_id="users.default.serviceaccount.identity.linkerd.cluster.local"');
    expect(users[0]?.labels).toContain('dst_service="users",dst_serviceaccount="users",dst_zone="",dst_zone_locality="unknown"');
    const failures = samples(text, 'response_total', { direction: 'outbound', dst_deployment: 'users-v1', status_code: '503' });
    expect(failures).toHaveLength(1);
    expect(failures[0]?.labels).toMatch(/,status_code="503",classification="failure",grpc_status="",error=""$/);
  });

  it('the inbound side names the default policy (all-unauthenticated) and the client’s identity, and counts what each app was given', () => {
    const v1 = samples(text, 'request_total', { direction: 'inbound', deployment: 'users-v1' });
    expect(v1).toHaveLength(1);
    expect(v1[0]?.labels).toContain('tls="true",client_id="api.default.serviceaccount.identity.linkerd.cluster.local"');
    expect(v1[0]?.labels).toMatch(/srv_group="",srv_kind="default",srv_name="all-unauthenticated",srv_port="8080",route_group="",route_kind="default",route_name="default",authz_group="",authz_kind="default",authz_name="all-unauthenticated"$/);
    for (const edge of report.edges) {
      expect(sum(samples(text, 'request_total', { direction: 'inbound', deployment: edge.destination }))).toBe(report.edges.filter((e) => e.destination === edge.destination).reduce((n, e) => n + e.requests, 0));
    }
  });

  it('each request is one route status after its retries; the fail-fast answers are error="FAIL_FAST" with no http_status', () => {
    const calls = report.calls.filter((c) => c.source !== 'external');
    expect(sum(samples(text, 'outbound_http_route_request_statuses_total'))).toBe(calls.reduce((n, c) => n + c.requests, 0));
    // users-v1 fails: once its queue is in fail-fast the route sends its share to users-v2, so few requests fail fast.
    const failFast = calls.reduce((n, c) => n + (c.byFlags['FAIL_FAST'] ?? 0), 0);
    expect(failFast).toBeGreaterThan(0);
    const ff = samples(text, 'outbound_http_route_request_statuses_total', { error: 'FAIL_FAST' });
    expect(sum(ff)).toBe(failFast);
    expect(ff.every((s) => s.labels.includes('http_status=""'))).toBe(true);
    // The users Service's HTTPRoute (gateway.networking.k8s.io) names the route; the other Services get the policy controller's default route.
    expect(ff[0]?.labels).toContain('parent_group="core",parent_kind="Service",parent_namespace="default",parent_name="users",parent_port="8080",parent_section_name="",route_group="gateway.networking.k8s.io",route_kind="HTTPRoute",route_namespace="default",route_name="users"');
    expect(samples(text, 'outbound_http_route_request_statuses_total', { parent_name: 'cache' })[0]?.labels).toContain('route_group="",route_kind="default",route_namespace="",route_name="http"');
  });

  it('promtool check metrics parses it; its one finding is about linkerd-proxy’s own name response_latency_ms', async () => {
    const check = await promtool(['check', 'metrics'], text);
    // 3 is promtool's exit status for lint findings (a parse error is 1).
    expect(check.code).toBe(3);
    expect(check.out.split('\n').filter((l) => l.trim() !== '')).toEqual(['response_latency_ms metric names should not contain abbreviated units']);
  });
});

describe('Linkerd metrics for a ServiceProfile, a Server and proxy-made failures', () => {
  it('a ServiceProfile’s route is counted in the legacy route_* metrics with dst and rt_route', () => {
    const profile = `apiVersion: linkerd.io/v1alpha2
kind: ServiceProfile
metadata: { name: server.default.svc.cluster.local, namespace: default }
spec:
  routes:
  - name: GET /items
    condition: { method: GET, pathRegex: /items }`;
    const session = linkerdSession({ extra: [profile], spec: 'traffic: [{ name: load, from: client, to: server:8080, path: /items, rps: 10, duration: 1s }]' });
    const { text } = metricsOf(session);
    const route = samples(text, 'route_request_total');
    expect(route).toHaveLength(1);
    expect(route[0]?.labels).toMatch(/direction="outbound",dst="server.default.svc.cluster.local:8080",rt_route="GET \/items"$/);
    expect(route[0]?.value).toBe(10);
    expect(samples(text, 'route_response_total', { status_code: '200', classification: 'success' })[0]?.value).toBe(10);
    expect(samples(text, 'outbound_http_route_request_statuses_total')).toHaveLength(0);
  });

  it('a Server with an AuthorizationPolicy names both on the inbound side', () => {
    const server = `apiVersion: policy.linkerd.io/v1beta3
kind: Server
metadata: { name: server-http, namespace: default }
spec: { podSelector: { matchLabels: { app: server } }, port: 8080 }
---
apiVersion: policy.linkerd.io/v1alpha1
kind: AuthorizationPolicy
metadata: { name: from-client, namespace: default }
spec:
  targetRef: { group: policy.linkerd.io, kind: Server, name: server-http }
  requiredAuthenticationRefs: [{ group: policy.linkerd.io, kind: MeshTLSAuthentication, name: client-id }]
---
apiVersion: policy.linkerd.io/v1alpha1
kind: MeshTLSAuthentication
metadata: { name: client-id, namespace: default }
spec: { identities: ['*'] }`;
    const session = linkerdSession({ extra: [server], spec: 'traffic: [{ name: load, from: client, to: server:8080, rps: 10, duration: 1s }]' });
    const inbound = samples(metricsOf(session).text, 'request_total', { direction: 'inbound' });
    expect(inbound).toHaveLength(1);
    expect(inbound[0]?.labels).toMatch(/srv_group="policy.linkerd.io",srv_kind="server",srv_name="server-http",srv_port="8080",route_group="",route_kind="default",route_name="default",authz_group="policy.linkerd.io",authz_kind="authorizationpolicy",authz_name="from-client"$/);
    expect(inbound[0]?.value).toBe(10);
  });

  it('a backend whose gate is shut in fail-fast: the waiting requests are error="FAIL_FAST", the next ones error="LOAD_SHED"', () => {
    const session = linkerdSession({
      annotations: {
        'balancer.linkerd.io/failure-accrual': 'consecutive',
        'balancer.linkerd.io/failure-accrual-consecutive-max-failures': '1',
        'balancer.linkerd.io/failure-accrual-consecutive-min-penalty': '60s',
      },
      spec: `traffic:
- { name: load, from: client, to: server:8080, rps: 10, duration: 10s }
timeline:
- { at: 0s, fail: { workload: server, mode: "503" } }`,
    });
    const { text, report } = metricsOf(session);
    const statuses = (error: string) => sum(samples(text, 'outbound_http_route_request_statuses_total', { error, http_status: '' }));
    // The first request fails (503 from the app) and makes the one endpoint unavailable; the next 30 (0.1 s to 3.0 s)
    // wait for it and fail fast together 3 s after the first of them reached the queue — the request of 3.1 s reaches
    // the proxy at that very instant, after the queue's wake-up, scheduled first —; the 69 after that are shed by
    // the route (linkerd2-proxy's consecutive_failures_accrue test: FAIL_FAST, then LOAD_SHED).
    expect(statuses('FAIL_FAST')).toBe(30);
    expect(statuses('LOAD_SHED')).toBe(69);
    expect(report.calls[0]?.byFlags).toEqual({ '-': 1, FAIL_FAST: 30, LOAD_SHED: 69 });
  });

  it('a route timeout is error="REQUEST_TIMEOUT" in the route statuses; a plaintext caller is tls="no_identity" at the callee', () => {
    const session = linkerdSession({
      annotations: { 'timeout.linkerd.io/request': '50ms' },
      extra: [deployment('legacy', { app: 'legacy' }, 1, '      annotations: { linkerd.io/inject: disabled }'), annotatedService('legacy')],
      spec: `workloads:
  server: { latency: { fixed: 100ms } }
traffic:
- { name: load, from: client, to: server:8080, rps: 10, duration: 1s }
- { name: plain, from: legacy, to: server:8080, rps: 5, duration: 1s }`,
    });
    const { text } = metricsOf(session);
    expect(sum(samples(text, 'outbound_http_route_request_statuses_total', { error: 'REQUEST_TIMEOUT', http_status: '' }))).toBe(10);
    const plain = samples(text, 'request_total', { direction: 'inbound', tls: 'no_identity' });
    expect(plain).toHaveLength(1);
    expect(plain[0]?.labels).toContain('tls="no_identity",no_tls_reason="no_tls_from_remote"');
    expect(plain[0]?.value).toBe(5);
  });
});
