import { describe, expect, it } from 'vitest';
import type { MeshEvent, MeshEventOf } from '../../src/model/index.ts';
import { deployment, ends, recordingSim, send, sessionFrom, simulation } from '../helpers/mesh.ts';
import { analyzeFiles } from '../../src/istio/index.ts';
import { annotatedService, diagnosticsOf, linkerdMesh } from './linkerdMesh.ts';

const S = 1_000_000;

function ofKind<K extends MeshEvent['kind']>(events: MeshEvent[], kind: K): Array<MeshEventOf<K>> {
  return events.filter((e): e is MeshEventOf<K> => e.kind === kind);
}

const profile = (spec: string) => `apiVersion: linkerd.io/v1alpha2
kind: ServiceProfile
metadata: { name: server.default.svc.cluster.local, namespace: default }
spec:
${spec}`;

const httpRoute = (rules: string, annotations = '', group = 'gateway.networking.k8s.io/v1') => `apiVersion: ${group}
kind: HTTPRoute
metadata:
  name: server-split
  namespace: default
${annotations}spec:
  parentRefs: [{ group: core, kind: Service, name: server, port: 8080 }]
  rules:
${rules}`;

describe('Linkerd configuration as Linkerd users write it', () => {
  it('linkerd.io/inject: the pod template wins over the namespace; a namespace document without it leaves pods unmeshed', () => {
    const ns = (inject?: string) => `apiVersion: v1
kind: Namespace
metadata: { name: default${inject ? `, annotations: { linkerd.io/inject: ${inject} }` : ''} }`;
    const optOut = deployment('server', { app: 'server' }, 1, '      annotations: { linkerd.io/inject: disabled }');
    const meshed = (docs: string[]) => sessionFrom(...docs).scenario.pods.map((p) => `${p.workload}:${p.sidecar}`);
    expect(meshed([ns('enabled'), deployment('client', { app: 'client' }), optOut, simulation('flavor: linkerd')])).toEqual(['client:true', 'server:false']);
    expect(meshed([ns(), deployment('client', { app: 'client' }), simulation('flavor: linkerd')])).toEqual(['client:false']);
    // Istio's injection label means nothing to Linkerd.
    expect(meshed([`apiVersion: v1\nkind: Namespace\nmetadata: { name: default, labels: { istio-injection: enabled } }`, deployment('client', { app: 'client' }), simulation('flavor: linkerd')])).toEqual(['client:false']);
  });

  it('an HTTPRoute splits by backendRefs weight, matches headers, and a retry draws the backend again (§10.1)', () => {
    const docs = linkerdMesh({
      extra: [
        deployment('canary', { app: 'canary' }),
        annotatedService('canary'),
        httpRoute(`    - matches: [{ headers: [{ name: x-canary, value: "yes" }] }]
      backendRefs: [{ name: canary, port: 8080 }]
    - backendRefs: [{ name: server, port: 8080, weight: 3 }, { name: canary, port: 8080, weight: 1 }]`),
      ],
    });
    const session = sessionFrom(...docs);
    const routes = session.xds.proxies[session.scenario.pods[0]?.name as string]?.virtualHosts['server.default.svc.cluster.local:8080']?.routes ?? [];
    expect(routes.map((r) => r.name)).toEqual(['HTTPRoute/default/server-split rules[0]', 'HTTPRoute/default/server-split rules[1]']);
    expect(send(session, { to: 'server:8080/', headers: { 'x-canary': 'yes' } }).events.find((e) => e.kind === 'app.receive')?.where).toMatchObject({ pod: expect.stringMatching(/^canary-/) });
    const { sim, events } = recordingSim(session, 5);
    for (let i = 0; i < 400; i++) sim.send({ from: 'client', host: 'server', port: 8080 });
    sim.runUntilIdle();
    const toCanary = ofKind(events, 'route.cluster').filter((e) => e.cluster.includes('canary')).length;
    expect(toCanary / 400).toBeGreaterThan(0.2);
    expect(toCanary / 400).toBeLessThan(0.3);
  });

  it('the longest path match wins whatever the rule order, and a prefix matches whole segments (Linkerd route precedence)', () => {
    const docs = linkerdMesh({
      extra: [
        deployment('api', { app: 'api' }),
        annotatedService('api'),
        httpRoute(`    - matches: [{ path: { type: PathPrefix, value: / } }]
      backendRefs: [{ name: server, port: 8080 }]
    - matches: [{ path: { type: PathPrefix, value: /api } }]
      backendRefs: [{ name: api, port: 8080 }]`),
      ],
    });
    const session = sessionFrom(...docs);
    const podOf = (path: string) => (send(session, { to: `server:8080${path}` }).events.find((e) => e.kind === 'app.receive')?.where as { pod: string }).pod;
    expect(podOf('/api/items')).toMatch(/^api-/);
    expect(podOf('/api')).toMatch(/^api-/);
    expect(podOf('/apix')).toMatch(/^server-/);
  });

  it('an HTTPRoute’s own retry annotations replace its Service’s (§10.1)', () => {
    const docs = linkerdMesh({
      annotations: { 'retry.linkerd.io/http': '5xx', 'retry.linkerd.io/limit': '4' },
      extra: [httpRoute(`    - backendRefs: [{ name: server, port: 8080 }]`, `  annotations:\n    retry.linkerd.io/http: "503"\n    retry.linkerd.io/limit: "1"\n`)],
    });
    const result = send(sessionFrom(...docs), { to: 'server:8080/', failures: [{ target: 'server', mode: '503' }] });
    expect(result.attempts).toBe(2);
  });

  it('a ServiceProfile wins: the Service’s retry annotations and failure accrual no longer apply, its own route retries do (§10.1, §10.4)', () => {
    const annotations = { 'retry.linkerd.io/http': '5xx', 'retry.linkerd.io/limit': '5', 'balancer.linkerd.io/failure-accrual': 'consecutive' };
    const withProfile = sessionFrom(...linkerdMesh({ annotations, extra: [profile(`  routes:
    - name: GET /
      condition: { method: GET, pathRegex: /.* }
      isRetryable: true`)] }));
    const cluster = Object.values(withProfile.xds.proxies)[0]?.clusters['outbound|8080||server.default.svc.cluster.local'];
    expect(cluster?.accrual).toBeUndefined();
    const route = Object.values(withProfile.xds.proxies)[0]?.virtualHosts['server.default.svc.cluster.local:8080']?.routes[0];
    expect(route?.action.kind === 'route' && route.action.timeout).toBe(10 * S);
    expect(route?.action.kind === 'route' && route.action.retry.linkerd?.budget).toEqual({ ratio: 0.2, minPerSecond: 10, ttl: 10 * S });
    // A POST matches no route of the profile: no retries at all, although the Service asks for 5.
    expect(send(withProfile, { to: 'server:8080/', method: 'POST', failures: [{ target: 'server', mode: '503' }] }).attempts).toBe(1);
    const found = analyzeFiles([{ name: 'test.yaml', text: [...linkerdMesh({ annotations, extra: [profile('  routes: []')] }), httpRoute('    - backendRefs: [{ name: server, port: 8080 }]')].join('\n---\n') }]).diagnostics;
    expect(found.filter((d) => d.code === 'MV0650').map((d) => d.message)).toEqual([
      'ServiceProfile/default/server.default.svc.cluster.local exists, so Linkerd uses it and ignores retry.linkerd.io/http, retry.linkerd.io/limit, balancer.linkerd.io/failure-accrual on Service/default/server, HTTPRoute/default/server-split: their retries, timeouts and failure accrual do not apply',
    ]);
  });

  it('ServiceProfile retries: at 100 requests a second, every one failing, the budget lets through at most 20 + 10 retries a second (§10.1)', () => {
    const session = sessionFrom(...linkerdMesh({
      extra: [profile(`  routes:
    - name: all
      condition: { pathRegex: /.* }
      isRetryable: true`)],
      spec: 'traffic: [{ name: load, from: client, to: "server:8080", rps: 100, duration: 30s }]',
    }));
    const { sim, events } = recordingSim(session, 2);
    sim.scheduleScenario();
    sim.fail({ workload: 'server' }, '503');
    sim.runUntilIdle();
    const perSecond = new Array<number>(31).fill(0);
    for (const b of ofKind(events, 'retry.backoff')) perSecond[Math.floor(b.t / S)] = (perSecond[Math.floor(b.t / S)] ?? 0) + 1;
    for (let start = 0; start + 10 <= 30; start++) {
      expect(perSecond.slice(start, start + 10).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(20 * 10 + 10 * 10);
    }
    expect(ofKind(events, 'retry.budget').length).toBeGreaterThan(1000);
    // Retries go out at once: a ServiceProfile has no back-off.
    expect(ofKind(events, 'retry.backoff').every((b) => b.delay === 0)).toBe(true);
    expect(ends(events).length).toBeGreaterThan(2999);
  });

  it('Server + AuthorizationPolicy + MeshTLSAuthentication: the named identity gets through, another meshed client gets 403', () => {
    const docs = [
      ...linkerdMesh(),
      deployment('other', { app: 'other' }),
      `apiVersion: policy.linkerd.io/v1beta3
kind: Server
metadata: { name: server-http, namespace: default }
spec:
  podSelector: { matchLabels: { app: server } }
  port: 8080`,
      `apiVersion: policy.linkerd.io/v1alpha1
kind: MeshTLSAuthentication
metadata: { name: client-only, namespace: default }
spec:
  identities: [client.default.serviceaccount.identity.linkerd.cluster.local]`,
      `apiVersion: policy.linkerd.io/v1alpha1
kind: AuthorizationPolicy
metadata: { name: server-from-client, namespace: default }
spec:
  targetRef: { group: policy.linkerd.io, kind: Server, name: server-http }
  requiredAuthenticationRefs: [{ group: policy.linkerd.io, kind: MeshTLSAuthentication, name: client-only }]`,
    ];
    // Each workload runs as its own service account.
    const named = docs.map((d) => d.replace('containers: [{ name: main', `serviceAccountName: ${/name: (client|other|server),/.exec(d)?.[1] ?? 'default'}\n      containers: [{ name: main`));
    const session = sessionFrom(...named);
    expect(send(session, { to: 'server:8080/' }).status).toBe(200);
    expect(send(session, { from: 'other', to: 'server:8080/' }).status).toBe(403);
  });

  it('bad annotation values are reported where they are written and the setting left out', () => {
    const found = diagnosticsOf(...linkerdMesh({ annotations: { 'retry.linkerd.io/http': '5xx, 503', 'retry.linkerd.io/limt': '2', 'balancer.linkerd.io/failure-accrual': 'consecutive', 'balancer.linkerd.io/failure-accrual-consecutive-min-penalty': '1m30s' } }));
    const codes = found.filter((d) => d.code.startsWith('MV06')).map((d) => `${d.code} ${d.path}`);
    expect(codes).toEqual([
      'MV0605 metadata.annotations["retry.linkerd.io/limt"]',
      'MV0604 metadata.annotations["retry.linkerd.io/http"]',
      'MV0604 metadata.annotations["balancer.linkerd.io/failure-accrual-consecutive-min-penalty"]',
    ]);
    expect(found.find((d) => d.code === 'MV0605')?.message).toContain('did you mean "retry.linkerd.io/limit"');
    expect(found.find((d) => d.code === 'MV0604')?.source?.line).toBeGreaterThan(1);
  });

  it("Linkerd kinds are schema-checked with positions; under flavor istio they are reported and left out, but the Gateway API's HTTPRoute, which Istio routes by too", () => {
    const bad = diagnosticsOf(...linkerdMesh({ extra: [httpRoute(`    - backendRefs: [{ name: server, port: 8080, weight: -1 }]`)] }));
    expect(bad.find((d) => d.path === 'spec.rules[0].backendRefs[0].weight')?.severity).toBe('error');
    const underIstio = diagnosticsOf(deployment('client', { app: 'client' }), profile('  routes: []'), httpRoute('    - backendRefs: [{ name: server, port: 8080 }]'), httpRoute('    - backendRefs: [{ name: server, port: 8080 }]', '', 'policy.linkerd.io/v1beta3').replace('server-split', 'linkerd-split'));
    // Linkerd's two are reported; the Gateway API one is read, and Istio's findings say its Service is missing.
    expect(underIstio.map((d) => `${d.code} ${d.resource}`)).toEqual([
      'MV0600 ServiceProfile/default/server.default.svc.cluster.local',
      'MV0600 HTTPRoute/default/linkerd-split',
      'MV0601 HTTPRoute/default/server-split',
      'MV0602 HTTPRoute/default/server-split',
    ]);
  });
});
