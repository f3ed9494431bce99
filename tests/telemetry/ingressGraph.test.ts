import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openSession, startGraph } from '../../src/api/index.ts';
import type { Session } from '../../src/api/index.ts';

/**
 * The service graph through a gateway. Istio labels a request by the service of the upstream cluster it
 * went to (`destination_service`, from the cluster's metadata — Istio docs "Istio Standard Metrics":
 * "destination_service: the fully qualified service name the request was routed to"), not by the
 * :authority the client sent; Kiali draws the gateway workload → that service → its workload.
 */
function open(paths: string[]): Session {
  const opened = openSession(paths.map((name) => ({ name, text: readFileSync(name, 'utf8') })));
  if (!opened.ok) throw new Error(opened.diagnostics.map((d) => d.message).join('\n'));
  return opened.session;
}
function graphOf(paths: string[]) {
  const g = startGraph(open(paths));
  while (g.run.advance());
  return g.graph('versionedApp');
}

describe('the service graph through gateways', () => {
  it('ingress: the gateway workload calls the web Service (not a node for shop.example.com)', () => {
    const graph = graphOf(['examples/ingress/mesh.yaml', 'examples/ingress/simulation.yaml']);
    expect(graph.nodes.map((n) => n.id)).toEqual([
      'svc_Kubernetes_shop_catalog',
      'svc_Kubernetes_shop_web',
      'vapp_Kubernetes_istio-system_istio-ingressgateway',
      'vapp_Kubernetes_shop_catalog',
      'vapp_Kubernetes_shop_web',
    ]);
    expect(graph.edges.map((e) => [e.source, e.target, e.requests])).toEqual([
      ['svc_Kubernetes_shop_catalog', 'vapp_Kubernetes_shop_catalog', 600],
      ['svc_Kubernetes_shop_web', 'vapp_Kubernetes_shop_web', 600],
      ['vapp_Kubernetes_istio-system_istio-ingressgateway', 'svc_Kubernetes_shop_web', 600],
      ['vapp_Kubernetes_shop_web', 'svc_Kubernetes_shop_catalog', 600],
    ]);
  });

  it('egress: checkout calls the gateway Service, the gateway calls the ServiceEntry of the external host', () => {
    const graph = graphOf(['examples/egress-gateway/mesh.yaml', 'examples/egress-gateway/simulation.yaml']);
    const edges = graph.edges.map((e) => `${e.source} > ${e.target}`);
    expect(edges).toEqual([
      'Kubernetes_unknown_source > svc_Kubernetes_default_checkout',
      'svc_Kubernetes_default_checkout > vapp_Kubernetes_default_checkout',
      'vapp_Kubernetes_default_checkout > svc_Kubernetes_istio-system_istio-egressgateway',
      'vapp_Kubernetes_istio-system_istio-egressgateway > svc_Kubernetes_istio-system_payments',
    ]);
  });
});
