import { describe, expect, it } from 'vitest';
import { sendOne } from '../../src/api/index.ts';
import { analyzeScenario } from '../../src/istio/index.ts';
import { ambientMesh } from './ambientMesh.ts';

/**
 * An ingress gateway in front of an ambient Service behind a waypoint. Sources:
 * - istiod points an ingress gateway's endpoints for a Service at the Service's waypoint only when the Service (or
 *   its namespace) has `istio.io/ingress-use-waypoint` true ("They need to explicitly opt-in on the service to send
 *   from ingress -> waypoint", `findServiceWaypoint`, Istio src pilot/pkg/xds/endpoints/endpoint_builder.go; the
 *   label read as Go's ParseBool, `ingressUseWaypointFromLabels`, pilot/pkg/serviceregistry/ambient/services.go);
 *   without it the gateway sends straight to the pods.
 * meshviz simulates the gateway → pods path only: with the label it says so (MV0707) instead of dropping it.
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

  it('with the label on the namespace (Go’s ParseBool: "True"): reported as not simulated (MV0707, at the label), and no longer as a bypass', () => {
    const withLabel = ambientMeshWithNamespace(labelled('True'));
    const found = withLabel.diagnostics.filter((d) => d.code === 'MV0707');
    expect(found.map((d) => [d.resource, d.path, d.severity])).toEqual([['Namespace/default', 'metadata.labels["istio.io/ingress-use-waypoint"]', 'warning']]);
    expect(found[0]?.message).toContain('waypoint "default/waypoint"');
    expect(analyzeScenario(withLabel.scenario, withLabel.xds).some((d) => d.code === 'MV0753')).toBe(false);
  });

  it('a value ParseBool reads as false ("yes") sends nothing through the waypoint, as istiod does: no MV0707', () => {
    expect(ambientMeshWithNamespace(labelled('yes')).diagnostics.some((d) => d.code === 'MV0707')).toBe(false);
  });
});

/** The ingress mesh with another Namespace document for `default`. */
function ambientMeshWithNamespace(namespace: string) {
  return ambientMesh({ waypoint: true, extra: INGRESS, namespace });
}
