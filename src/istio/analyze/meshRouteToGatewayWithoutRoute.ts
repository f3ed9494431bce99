import type { Diagnostic, ProxyXds } from '../../model/index.ts';
import { boundGateways, MESH_GATEWAY } from '../compile/gatewayBinding.ts';
import { hostMatches, isWildcardHost } from '../compile/HostResolver.ts';
import type { Analyzer } from './Analyzer.ts';
import { finding } from './AnalysisContext.ts';

/**
 * The egress gateway pattern's other half forgotten: a VirtualService rule
 * for the sidecars sends a host to a gateway's Service (its pods are
 * gateway proxies), and that gateway has no route for the host on the
 * port the rule names — no Gateway server there, or no VirtualService bound
 * to one of its Gateways for that host. The gateway routes a request by its
 * own listeners and routes (Istio's "Egress Gateways" task pairs the
 * `mesh` rule with one bound to the egress Gateway); without them it
 * answers 404 (NR), or nothing listens and the connection is refused.
 */
export const meshRouteToGatewayWithoutRoute: Analyzer = {
  name: 'meshRouteToGatewayWithoutRoute',
  run(ctx) {
    const found: Diagnostic[] = [];
    for (const vs of ctx.scenario.virtualServices) {
      if (!boundGateways(vs).includes(MESH_GATEWAY)) continue;
      const namespace = vs.metadata.namespace;
      const hosts = (vs.spec.hosts ?? []).map((h) => ctx.hosts.resolve(h, namespace)).filter((h) => !isWildcardHost(h));
      (vs.spec.http ?? []).forEach((rule, i) => {
        const forMesh = (rule.match ?? []).length === 0 || (rule.match ?? []).some((m) => (m.gateways ?? []).length === 0 || (m.gateways ?? []).includes(MESH_GATEWAY));
        if (!forMesh) return;
        (rule.route ?? []).forEach((d, j) => {
          const service = ctx.serviceFor(d.destination.host, namespace);
          const gateway = service?.pods.find((p) => p.gateway);
          const proxy = gateway ? ctx.xds.proxies[gateway.name] : undefined;
          if (!service || !proxy) return;
          const ports = service.service.ports;
          const port = d.destination.port?.number ?? (ports.length === 1 ? ports[0]?.port : undefined);
          if (port === undefined) return;
          const why = missingRoute(proxy, hosts, port);
          if (why) found.push(finding('MeshRouteToGatewayWithoutRoute', vs, `spec.http[${i}].route[${j}].destination`, { host: why.host, gateway: service.fqdn, port: why.serverPort, why: why.text }));
        });
      });
    }
    return found;
  },
};

/** Why the gateway proxy cannot route one of `hosts` arriving on Service port `port`, if it cannot. */
function missingRoute(proxy: ProxyXds, hosts: string[], port: number): { host: string; serverPort: number; text: string } | undefined {
  const server = proxy.gateway?.servers.find((s) => s.port === port || s.clientPorts.includes(port));
  if (!server) return hosts.length > 0 ? { host: hosts[0] as string, serverPort: 0, text: `which has no Gateway server on port ${port}` } : undefined;
  const wildcards = proxy.gateway?.wildcardDomains[server.port] ?? [];
  for (const host of hosts) {
    if (proxy.virtualHosts[`${host}:${server.port}`] || wildcards.some((w) => hostMatches(w, host))) continue;
    return { host, serverPort: server.port, text: `which has no route for it (no VirtualService for ${host} is bound to a Gateway of that proxy with a server on ${server.port})` };
  }
  return undefined;
}
