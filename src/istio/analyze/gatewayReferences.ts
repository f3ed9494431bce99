import type { Diagnostic } from '../../model/index.ts';
import { gatewayKey, gatewayRef, intersectHosts, MESH_GATEWAY, serverHostsFor } from '../compile/gatewayBinding.ts';
import type { Analyzer } from './Analyzer.ts';
import { finding } from './AnalysisContext.ts';

/**
 * What a VirtualService's `gateways` names, as istioctl's
 * `virtualservice.GatewayAnalyzer` checks it (Istio src
 * `pkg/config/analysis/analyzers/virtualservice/gateways.go`): a Gateway
 * that does not exist (IST0101 ReferencedResourceNotFound, an error), and
 * hosts no server of the Gateway offers the VirtualService's namespace
 * (IST0132 VirtualServiceHostNotFoundInGateway, a warning). istioctl raises
 * IST0132 only when no host at all is served; this names each host the
 * gateway has no virtual host for, which includes that case.
 */
export const gatewayReferences: Analyzer = {
  name: 'gatewayReferences',
  run(ctx) {
    const byKey = new Map(ctx.scenario.gateways.map((g) => [gatewayKey(g), g]));
    const found: Diagnostic[] = [];
    for (const vs of ctx.scenario.virtualServices) {
      const hosts = (vs.spec.hosts ?? []).map((h) => ctx.hosts.resolve(h, vs.metadata.namespace));
      (vs.spec.gateways ?? []).forEach((entry, index) => {
        if (entry === MESH_GATEWAY) return;
        const path = `spec.gateways[${index}]`;
        const gateway = byKey.get(gatewayRef(entry, vs.metadata.namespace));
        if (!gateway) return void found.push(finding('GatewayNotFound', vs, path, { gateway: entry }));
        const offered = (gateway.spec.servers ?? []).flatMap((server) => serverHostsFor(server, gateway.metadata.namespace, vs.metadata.namespace));
        const missing = hosts.filter((host) => intersectHosts(offered, [host]).length === 0);
        if (missing.length > 0) {
          found.push(finding('VirtualServiceHostNotInGateway', vs, path, { hosts: missing, virtualService: `${vs.metadata.namespace}/${vs.metadata.name}`, gateway: gatewayKey(gateway) }));
        }
      });
    }
    return found;
  },
};

