import { describe, expect, it } from 'vitest';
import { sendOne } from '../../src/api/index.ts';
import { analyzeScenario } from '../../src/istio/index.ts';
import type { MeshEvent } from '../../src/model/index.ts';
import { service } from '../helpers/mesh.ts';
import { ambientMesh } from './ambientMesh.ts';

/**
 * Gateway API HTTPRoutes under ambient, as Istio's ambient users write L7 routing: a parentRef to the
 * Service (GAMMA). Facts, with sources:
 * - A waypoint accepts HTTPRoute (mesh-semantics §11; istio.io `docs/ambient/usage/l7-features`); the
 *   routes are enforced at the destination's waypoint, the one the Service is bound to.
 * - Without `istio.io/use-waypoint` on the Service or its namespace istiod marks the route
 *   `ResolvedWaypoints: False`, "istio.io/use-waypoint label missing from parent and parent namespace; in
 *   ambient mode, route will not be respected" (Istio src pilot/pkg/config/kube/gateway/conditions.go,
 *   WaypointErrorMsgMissingLabel; referenceAllowed in conversion.go): ztunnel never parses HTTP.
 * - Matches and weights are the Gateway API's, compiled once for sidecars and waypoints alike
 *   (tests/cluster/gammaRoutes.test.ts pins them under sidecars).
 */
const ROUTE = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: server-split, namespace: default }
spec:
  parentRefs: [{ group: "", kind: Service, name: server, port: 8080 }]
  rules:
    - matches: [{ headers: [{ name: x-canary, value: "1" }] }]
      backendRefs: [{ name: other, port: 8080 }]
    - backendRefs: [{ name: server, port: 8080, weight: 3 }, { name: other, port: 8080, weight: 1 }]`;

const withRoute = (waypoint: boolean) => ambientMesh({ waypoint, extra: [service('other'), ROUTE] });
const matched = (events: MeshEvent[]) => events.flatMap((e) => (e.kind === 'route.match' ? [[e.route, e.where.kind]] : []));
const served = (events: MeshEvent[]) => events.flatMap((e) => (e.kind === 'app.receive' && e.where.kind === 'app' ? [e.where.pod.split('-')[0]] : []));

describe('HTTPRoute with a Service parent under ambient (§11)', () => {
  it('through the waypoint: the header match sends to its backend, routed by the waypoint', () => {
    const r = sendOne(withRoute(true), { from: 'client', to: 'server', headers: { 'x-canary': '1' } });
    expect(r.status).toBe(200);
    expect(matched(r.events)).toEqual([['HTTPRoute/default/server-split rules[0]', 'waypoint']]);
    expect(served(r.events)).toEqual(['other']);
  });

  it('through the waypoint: backendRefs weights 3:1 (±4 points over 1,000 seeded requests)', () => {
    const mesh = withRoute(true);
    let toServer = 0;
    for (let seed = 1; seed <= 1_000; seed++) {
      const r = sendOne(mesh, { from: 'client', to: 'server', seed });
      expect(matched(r.events)).toEqual([['HTTPRoute/default/server-split rules[1]', 'waypoint']]);
      if (served(r.events)[0] === 'server') toServer += 1;
    }
    expect(Math.abs(toServer / 1_000 - 0.75)).toBeLessThan(0.04);
  });

  it('without a waypoint: ztunnel routes to the Service itself, the route is ignored (header or not)', () => {
    const mesh = withRoute(false);
    for (let seed = 1; seed <= 50; seed++) {
      const r = sendOne(mesh, { from: 'client', to: 'server', headers: { 'x-canary': '1' }, seed });
      expect(matched(r.events)).toEqual([['ztunnel (L4: no waypoint)', 'ztunnel']]);
      expect(served(r.events)).toEqual(['server']);
    }
  });

  it('analyze: the route on a Service no waypoint serves is MV0750 at its parentRef; with the waypoint it is not reported', () => {
    const without = withRoute(false);
    const found = analyzeScenario(without.scenario, without.xds).filter((d) => d.code === 'MV0750');
    expect(found.map((d) => [d.resource, d.path])).toEqual([['HTTPRoute/default/server-split', 'spec.parentRefs[0]']]);
    expect(found[0]?.message).toContain('routes, weighted backends have no effect');
    const bound = withRoute(true);
    expect(analyzeScenario(bound.scenario, bound.xds).filter((d) => d.code === 'MV0750')).toEqual([]);
  });
});
