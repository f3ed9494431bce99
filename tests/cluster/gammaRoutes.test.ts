import { describe, expect, it } from 'vitest';
import { openSession } from '../../src/api/index.ts';
import type { Session } from '../../src/api/index.ts';
import type { MeshEvent } from '../../src/model/index.ts';
import { deployment, send, service, simulation } from '../helpers/mesh.ts';

/**
 * Gateway API HTTPRoutes for the mesh under Istio (GAMMA). Facts, with sources:
 * - A parentRef of kind Service (group "" / core) attaches the route to that Service's traffic in the mesh
 *   (Gateway API GEP-1426, "Service mesh (GAMMA)"); istiod converts HTTPRoutes to VirtualServices for the
 *   Service host (Istio src pilot/pkg/config/kube/gateway/conversion.go), so a rule without retries gets
 *   the mesh's default retry policy (§2.1).
 * - Rule precedence (Gateway API HTTPRoute API, `rules`): an exact path match first, then the longest
 *   prefix, then a method match, then the most header matches, then the most query matches; then the
 *   oldest route and the earlier rule. PathPrefix matches element by element ("/api" takes "/api/x", not "/apix").
 * - backendRefs weights are proportional (default 1, weight 0 never chosen).
 * - RequestHeaderModifier: `set` overwrites, `add` appends to an existing value, `remove` drops (Gateway API
 *   HTTPHeaderFilter).
 */
const route = (rules: string, parent = '{ group: "", kind: Service, name: api, port: 8080 }') => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: api-routes, namespace: default }
spec:
  parentRefs: [${parent}]
  rules:
${rules}`;

function open(...docs: string[]): Session {
  const opened = openSession([{ name: 'mesh.yaml', text: [
    deployment('web', { app: 'web' }), service('web'),
    deployment('api-v1', { app: 'api', version: 'v1' }), deployment('api-v2', { app: 'api', version: 'v2' }),
    service('api'), service('api-v1', 'api'), `apiVersion: v1
kind: Service
metadata: { name: api-v2 }
spec: { selector: { app: api, version: v2 }, ports: [{ name: http, port: 8080 }] }`,
    simulation(`  workloads:
    web:
      calls: [{ service: api, path: /orders, headers: { x-team: blue } }]`),
    ...docs,
  ].join('\n---\n') }]);
  if (!opened.ok) throw new Error(opened.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  return opened.session;
}

const routeOf = (events: MeshEvent[]) => events.flatMap((e) => (e.kind === 'route.match' ? [e.route] : []));
const clusterOf = (events: MeshEvent[]) => events.flatMap((e) => (e.kind === 'route.cluster' ? [e.cluster] : []));

describe('HTTPRoute with a Service parent (GAMMA) under Istio', () => {
  const rules = `    - matches: [{ path: { type: PathPrefix, value: /api } }]
      backendRefs: [{ name: api-v2, port: 8080 }]
    - matches: [{ path: { type: Exact, value: /api/health } }]
      backendRefs: [{ name: api-v1, port: 8080 }]
    - matches: [{ path: { type: PathPrefix, value: /api/orders } }]
      filters:
        - type: RequestHeaderModifier
          requestHeaderModifier: { set: [{ name: x-tier, value: gold }], add: [{ name: x-team, value: green }], remove: [x-debug] }
      backendRefs: [{ name: api-v1, port: 8080 }]
    - backendRefs: [{ name: api-v1, port: 8080, weight: 3 }, { name: api-v2, port: 8080, weight: 1 }]`;
  const session = open(route(rules));

  it('orders the rules by Gateway API precedence: exact, then the longest prefix, then the rest', () => {
    const routes = Object.values(session.xds.proxies)[0]!.virtualHosts['api.default.svc.cluster.local:8080']!.routes;
    expect(routes.map((r) => r.name)).toEqual([
      'HTTPRoute/default/api-routes rules[1]',
      'HTTPRoute/default/api-routes rules[2]',
      'HTTPRoute/default/api-routes rules[0]',
      'HTTPRoute/default/api-routes rules[3]',
    ]);
    expect(routes[3]!.action).toMatchObject({ kind: 'route', clusters: [{ cluster: 'outbound|8080||api-v1.default.svc.cluster.local', weight: 3 }, { cluster: 'outbound|8080||api-v2.default.svc.cluster.local', weight: 1 }], retry: { numRetries: 2 } });
  });

  it('matches a prefix by path segments and routes by it', () => {
    const r = send(session, { from: 'web', to: 'api:8080/api/orders/7' });
    expect([r.status, routeOf(r.events)[0], clusterOf(r.events)[0]]).toEqual([200, 'HTTPRoute/default/api-routes rules[2]', 'outbound|8080||api-v1.default.svc.cluster.local']);
    expect(routeOf(send(session, { from: 'web', to: 'api:8080/apix' }).events)[0]).toBe('HTTPRoute/default/api-routes rules[3]');
    expect(routeOf(send(session, { from: 'web', to: 'api:8080/api/health' }).events)[0]).toBe('HTTPRoute/default/api-routes rules[1]');
  });

  it('changes the request headers the callee receives (RequestHeaderModifier), as its AuthorizationPolicy sees them', () => {
    // api allows only requests with x-tier: gold and x-team "blue,green", and denies any with x-debug.
    const policies = `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: api-allow, namespace: default }
spec:
  selector: { matchLabels: { app: api } }
  action: ALLOW
  rules: [{ when: [{ key: "request.headers[x-tier]", values: [gold] }, { key: "request.headers[x-team]", values: ["blue,green"] }] }]
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: api-deny, namespace: default }
spec:
  selector: { matchLabels: { app: api } }
  action: DENY
  rules: [{ when: [{ key: "request.headers[x-debug]", values: ["*"] }] }]`;
    const s = open(route(rules), policies);
    const headers = { 'x-team': 'blue', 'x-debug': '1' };
    expect(send(s, { from: 'web', to: 'api:8080/api/orders/7', headers }).status).toBe(200);
    // The same request by a rule without the filter reaches api unchanged, and is refused.
    expect(send(s, { from: 'web', to: 'api:8080/other', headers }).status).toBe(403);
  });

  it('splits by weight 3:1 over a seeded run (±5 points over 2,000 requests)', () => {
    let v1 = 0;
    for (let seed = 1; seed <= 2_000; seed++) if (clusterOf(send(session, { from: 'web', to: 'api:8080/', seed }).events)[0]?.includes('api-v1')) v1 += 1;
    expect(Math.abs(v1 / 2_000 - 0.75)).toBeLessThan(0.05);
  });

  it('reports a filter it does not simulate, and leaves out a rule with a filter it does not know', () => {
    const s = open(route(`    - matches: [{ path: { type: PathPrefix, value: /a } }]
      filters: [{ type: URLRewrite, urlRewrite: { path: { type: ReplacePrefixMatch, replacePrefixMatch: /b } } }]
      backendRefs: [{ name: api-v1, port: 8080 }]
    - matches: [{ path: { type: PathPrefix, value: /x } }]
      filters: [{ type: ExtensionRef, extensionRef: { group: example.com, kind: Auth, name: auth } }]
      backendRefs: [{ name: api-v2, port: 8080 }]`));
    expect(s.diagnostics.filter((d) => d.code === 'MV0360' || d.code === 'MV0361').map((d) => `${d.code} ${d.severity} ${d.path}`)).toEqual([
      'MV0360 info spec.rules[0].filters[0]',
      'MV0361 warning spec.rules[1].filters[0]',
    ]);
    const routes = Object.values(s.xds.proxies)[0]!.virtualHosts['api.default.svc.cluster.local:8080']!.routes;
    expect(routes.map((r) => r.name)).toEqual(['HTTPRoute/default/api-routes rules[0]']);
  });

  it('redirects with RequestRedirect (302 unless statusCode says)', () => {
    const s = open(route(`    - filters: [{ type: RequestRedirect, requestRedirect: { scheme: https, hostname: shop.example.com, statusCode: 301 } }]`));
    const r = send(s, { from: 'web', to: 'api:8080/x' });
    expect([r.status, r.attempts]).toEqual([301, 0]);
  });

  it('applies only to the Service its parentRef names', () => {
    const s = open(route(`    - backendRefs: [{ name: api-v2, port: 8080 }]`, '{ kind: Service, name: web }'));
    expect(routeOf(send(s, { from: 'web', to: 'api:8080/' }).events)[0]).toBe('default');
  });

  it('says what it names and the mesh does not have: a missing parent or backend, a Gateway parent that is no Gateway of class istio (NoMatchingParent)', () => {
    const s = open(route(`    - backendRefs: [{ name: api-v3, port: 8080 }]`, '{ kind: Service, name: apii }, { name: edge }'));
    expect(s.diagnostics.filter((d) => d.resource === 'HTTPRoute/default/api-routes').map((d) => `${d.code} ${d.path}`)).toEqual([
      'MV0601 spec.parentRefs[0]',
      'MV0602 spec.rules[0].backendRefs[0]',
      'MV0373 spec.parentRefs[1]',
    ]);
  });
});
