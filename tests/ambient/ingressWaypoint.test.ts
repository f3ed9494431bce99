import { describe, expect, it } from 'vitest';
import { explainSend, proxyConfig, sendOne, startSimulation } from '../../src/api/index.ts';
import { analyzeScenario } from '../../src/istio/index.ts';
import type { MeshEvent } from '../../src/model/index.ts';
import { service } from '../helpers/mesh.ts';
import { ambientMesh, SIMULATION, step } from './ambientMesh.ts';

/**
 * An ingress gateway in front of an ambient Service behind a waypoint. Sources:
 * - istiod points an ingress gateway's endpoints for a Service at the Service's waypoint only when the Service (or
 *   its namespace) has `istio.io/ingress-use-waypoint` true ("They need to explicitly opt-in on the service to send
 *   from ingress -> waypoint", `findServiceWaypoint`, Istio src pilot/pkg/xds/endpoints/endpoint_builder.go; the
 *   label read as Go's ParseBool, `ingressUseWaypointFromLabels`, pilot/pkg/serviceregistry/ambient/services.go);
 *   without it the gateway sends straight to the pods. With it the gateway's endpoints for the Service's cluster are
 *   the waypoint's, reached over HBONE with the Service's VIP and port as the tunnel's target (`BuildClusterLoadAssignment`
 *   → `findServiceWaypoint`; `buildEnvoyLbEndpoint`, "Waypoints always use HBONE", same file), so the waypoint routes
 *   the request as it routes an ambient caller's (mesh-semantics §11: L7 policy and routing at the destination's waypoint).
 * meshviz applies the gateway's route match and weighted pick, then hands the request to the waypoint; the gateway's own
 * retries and route timeout around that hop are not applied (MV0707 says so).
 */
const INGRESS = [
  `apiVersion: apps/v1
kind: Deployment
metadata: { name: istio-ingressgateway, namespace: istio-system }
spec:
  replicas: 1
  selector: { matchLabels: { istio: ingressgateway } }
  template:
    metadata:
      labels: { istio: ingressgateway, sidecar.istio.io/inject: "true" }
      annotations: { inject.istio.io/templates: gateway }
    spec:
      serviceAccountName: istio-ingressgateway
      containers: [{ name: istio-proxy, image: auto }]`,
  `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: front, namespace: default }
spec:
  selector: { istio: ingressgateway }
  servers: [{ port: { number: 80, name: http, protocol: HTTP }, hosts: [shop.example.com] }]`,
  `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: front, namespace: default }
spec:
  hosts: [shop.example.com]
  gateways: [front]
  http: [{ route: [{ destination: { host: server, port: { number: 8080 } } }] }]`,
  `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: get-only, namespace: default }
spec:
  targetRefs: [{ kind: Service, group: "", name: server }]
  action: ALLOW
  rules: [{ to: [{ operation: { methods: ["GET"] } }] }]`,
];
const labelled = (value: string) => `apiVersion: v1
kind: Namespace
metadata:
  name: default
  labels: { istio.io/dataplane-mode: ambient, istio.io/ingress-use-waypoint: "${value}" }`;

describe('ingress through a waypoint (istio.io/ingress-use-waypoint)', () => {
  it('without the label: the gateway goes straight to the pods, so the waypoint’s policy does not hold for ingress requests (MV0753 names the gateway)', () => {
    const mesh = ambientMesh({ waypoint: true, extra: INGRESS });
    const post = sendOne(mesh, { from: 'external', to: 'shop.example.com/', method: 'POST' });
    expect(post.status).toBe(200);
    expect(post.events.some((e) => e.kind === 'ambient.hop' && e.where.kind === 'waypoint')).toBe(false);
    const found = analyzeScenario(mesh.scenario, mesh.xds).filter((d) => d.code === 'MV0753');
    expect(found.map((d) => d.resource)).toEqual(['AuthorizationPolicy/default/get-only']);
    expect(found[0]?.message).toContain('istio-ingressgateway (an ingress gateway) calls server without passing it');
    expect(mesh.diagnostics.some((d) => d.code === 'MV0707')).toBe(false);
  });

  it('with the label on the namespace (Go’s ParseBool: "True"): the waypoint’s L7 policy denies the ingress POST (403 at the waypoint) and allows the GET', () => {
    const withLabel = ambientMeshWithNamespace(labelled('True'));
    const post = sendOne(withLabel, { from: 'external', to: 'shop.example.com/', method: 'POST' });
    expect(post.status).toBe(403);
    expect(post.events.filter((e) => e.kind === 'authz.deny').map((e) => e.where)).toEqual([{ kind: 'waypoint', name: 'waypoint/default/waypoint' }]);
    expect(post.events.some((e) => e.kind === 'app.receive')).toBe(false);
    const get = sendOne(withLabel, { from: 'external', to: 'shop.example.com/' });
    expect(get.status).toBe(200);
    expect(get.events.filter((e) => ['ambient.hop', 'route.match', 'authz.allow', 'lb.pick', 'hop.arrive', 'app.receive', 'request.end'].includes(e.kind)).map(step)).toEqual([
      'route.match@sidecar:istio',
      'ambient.hop@waypoint:waypoint/default/waypoint',
      'authz.allow@waypoint:waypoint/default/waypoint',
      'route.match@waypoint:waypoint/default/waypoint',
      'lb.pick@waypoint:waypoint/default/waypoint',
      'hop.arrive@ztunnel:node-1',
      'app.receive@app:server',
      'ambient.hop@sidecar:istio',
      'request.end@client:external',
    ]);
    const hops = get.events.flatMap((e) => (e.kind === 'ambient.hop' ? [[e.from, e.to, e.direction, e.hbone, e.port]] : []));
    expect(hops).toEqual([
      [`gateway ${gatewayPod(withLabel)}`, 'waypoint default/waypoint', 'request', true, 15008],
      ['waypoint default/waypoint', `gateway ${gatewayPod(withLabel)}`, 'response', true, 15008],
    ]);
    // The destination's ztunnel sees the waypoint's identity, not the gateway's (§11).
    const arrive = get.events.find((e) => e.kind === 'hop.arrive');
    expect(arrive?.kind === 'hop.arrive' && arrive.identities?.client).toBe('spiffe://cluster.local/ns/default/sa/waypoint');
    expect(analyzeScenario(withLabel.scenario, withLabel.xds).some((d) => d.code === 'MV0753')).toBe(false);
  });

  it('with the label: MV0707 (info, at the label) names the waypoint and says what is still simplified', () => {
    const withLabel = ambientMeshWithNamespace(labelled('True'));
    const found = withLabel.diagnostics.filter((d) => d.code === 'MV0707');
    expect(found.map((d) => [d.resource, d.path, d.severity])).toEqual([['Namespace/default', 'metadata.labels["istio.io/ingress-use-waypoint"]', 'info']]);
    expect(found[0]?.message).toContain('waypoint "default/waypoint"');
    expect(found[0]?.message).toContain("does not simulate the gateway's own retries");
  });

  it('an HTTPRoute weight split at the waypoint applies to ingress requests only with the label (3:1, ±4 points over 1,000 seeded requests)', () => {
    const split = (value?: string) => ambientMesh({ waypoint: true, extra: [...INGRESS.slice(0, 3), service('other'), ROUTE], ...(value ? { namespace: labelled(value) } : {}) });
    const share = (mesh: ReturnType<typeof split>) => {
      let toServer = 0;
      for (let seed = 1; seed <= 1_000; seed++) {
        const r = sendOne(mesh, { from: 'external', to: 'shop.example.com/', seed });
        expect(r.status).toBe(200);
        if (served(r.events)[0] === 'server') toServer += 1;
      }
      return toServer / 1_000;
    };
    expect(Math.abs(share(split('true')) - 0.75)).toBeLessThan(0.04);
    // Without the label the gateway's own route (to server) is the whole story.
    expect(share(split())).toBe(1);
  });

  it('telemetry: the waypoint reports the ingress requests (reporter="waypoint", the gateway as source); without the label the gateway’s source report only', () => {
    const reporters = (namespace?: string) => {
      const sim = SIMULATION.replace('    server: { latency: { fixed: 1ms } }', '    server: { latency: { fixed: 1ms } }\n  traffic: [{ name: web, from: external, to: shop.example.com, rps: 10, duration: 1s }]');
      const run = startSimulation(ambientMesh({ waypoint: true, extra: INGRESS.slice(0, 3), simulation: sim, ...(namespace ? { namespace } : {}) }), { telemetry: { startMs: 0, liveMetrics: true } });
      while (run.advance());
      return (run.telemetry?.prometheusText() ?? '')
        .split('\n')
        .filter((l) => l.startsWith('istio_requests_total{'))
        .map((l) => ['reporter', 'source_workload', 'destination_workload'].map((k) => new RegExp(`${k}="([^"]*)"`).exec(l)?.[1]).join(' ') + ' ' + l.slice(l.lastIndexOf(' ') + 1));
    };
    expect(reporters(labelled('true'))).toEqual(['waypoint istio-ingressgateway server 10']);
    expect(reporters()).toEqual(['source istio-ingressgateway server 10']);
  });

  it('a gateway route split between two Services behind one waypoint: in one run each request reaches the waypoint’s route for its own Service (1:1, ±8 points over 400 requests)', () => {
    const sim = SIMULATION.replace('    server: { latency: { fixed: 1ms } }', '    server: { latency: { fixed: 1ms } }\n  traffic: [{ name: web, from: external, to: shop.example.com, rps: 200, duration: 2s }]');
    const split = INGRESS[2]?.replace('http: [{ route: [{ destination: { host: server, port: { number: 8080 } } }] }]', 'http: [{ route: [{ destination: { host: server, port: { number: 8080 } }, weight: 50 }, { destination: { host: other, port: { number: 8080 } }, weight: 50 }] }]') ?? '';
    expect(split).toContain('host: other');
    const other = service('other').replace('metadata: { name: other, namespace: default }', 'metadata: { name: other, namespace: default, labels: { istio.io/use-waypoint: waypoint } }');
    expect(other).toContain('use-waypoint');
    const run = startSimulation(ambientMesh({ waypoint: true, extra: [INGRESS[0] ?? '', INGRESS[1] ?? '', split, other], simulation: sim, namespace: labelled('true') }), { telemetry: { startMs: 0, liveMetrics: true } });
    while (run.advance());
    const byWorkload = new Map<string, number>();
    for (const line of (run.telemetry?.prometheusText() ?? '').split('\n')) {
      if (!line.startsWith('istio_requests_total{') || !line.includes('reporter="waypoint"')) continue;
      const workload = /destination_workload="([^"]*)"/.exec(line)?.[1] ?? '';
      byWorkload.set(workload, (byWorkload.get(workload) ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1)));
    }
    expect([...byWorkload.keys()].sort()).toEqual(['other', 'server']);
    const total = (byWorkload.get('server') ?? 0) + (byWorkload.get('other') ?? 0);
    expect(total).toBe(400);
    expect(Math.abs((byWorkload.get('server') ?? 0) / total - 0.5)).toBeLessThan(0.08);
  });

  it('send --explain: the gateway’s pass ends at the waypoint (its endpoint), then the waypoint’s own pass routes the Service’s address; its 403 stops there', () => {
    const withLabel = ambientMeshWithNamespace(labelled('true'));
    const get = explainSend(withLabel, sendOne(withLabel, { from: 'external', to: 'shop.example.com/' }));
    expect(get.hops.map((h) => [h.role, h.proxy])).toEqual([
      ['gateway', gatewayPod(withLabel)],
      ['waypoint', 'waypoint default/waypoint'],
      ['ztunnel', expect.stringMatching(/^ztunnel node-\d$/)],
    ]);
    const [gateway, waypoint] = get.hops;
    expect([gateway?.clusterMatched, gateway?.endpointMatched]).toEqual(['outbound|8080||server.default.svc.cluster.local', 'waypoint default/waypoint']);
    // Before: no waypoint hop, and the waypoint's endpoint pick was shown as the gateway's.
    expect(gateway?.notes.some((n) => n.startsWith('endpoint '))).toBe(false);
    // The gateway tunnels to the waypoint with the Service's address and port as the target (istiod buildEnvoyLbEndpoint): the waypoint's chain is that VIP's.
    expect([waypoint?.listenerMatched, waypoint?.filterChainMatched, waypoint?.clusterMatched]).toEqual(['main_internal', 'inbound-vip|8080|http|server.default.svc.cluster.local', 'inbound-vip|8080|http|server.default.svc.cluster.local']);
    const server = withLabel.scenario.pods.filter((p) => p.workload === 'server').map((p) => `${p.ip}:8080`);
    expect(server).toContain(waypoint?.endpointMatched);
    const post = explainSend(withLabel, sendOne(withLabel, { from: 'external', to: 'shop.example.com/', method: 'POST' }));
    expect(post.hops.map((h) => h.role)).toEqual(['gateway', 'waypoint']);
    expect(post.hops[1]?.error).toMatchObject({ stage: 'authorization' });
  });

  it('proxy-config names a waypoint for what it is, not as an unknown name', () => {
    const withLabel = ambientMeshWithNamespace(labelled('true'));
    for (const name of ['waypoint', 'default/waypoint', 'waypoint/default/waypoint']) {
      expect(() => proxyConfig(withLabel, name)).toThrow('POD: default/waypoint is a waypoint, which meshviz simulates without a pod of its own, so proxy-config cannot show its Envoy');
    }
  });

  it('a value ParseBool reads as false ("yes") sends nothing through the waypoint, as istiod does: no MV0707', () => {
    expect(ambientMeshWithNamespace(labelled('yes')).diagnostics.some((d) => d.code === 'MV0707')).toBe(false);
  });
});

const ROUTE = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: server-split, namespace: default }
spec:
  parentRefs: [{ group: "", kind: Service, name: server, port: 8080 }]
  rules: [{ backendRefs: [{ name: server, port: 8080, weight: 3 }, { name: other, port: 8080, weight: 1 }] }]`;

const served = (events: MeshEvent[]) => events.flatMap((e) => (e.kind === 'app.receive' && e.where.kind === 'app' ? [e.where.pod.split('-')[0]] : []));
const gatewayPod = (mesh: ReturnType<typeof ambientMesh>) => mesh.scenario.pods.find((p) => p.gateway)?.name;

/** The ingress mesh with another Namespace document for `default`. */
function ambientMeshWithNamespace(namespace: string) {
  return ambientMesh({ waypoint: true, extra: INGRESS, namespace });
}
