import { byName, tcpProxiedTargetPorts } from '../../model/index.ts';
import { createPriorityBuilder } from './localityPriorities.ts';
import type { Diagnostic, InboundXds, MeshXds, Pod, ProxyXds, Scenario } from '../../model/index.ts';
import { compileAuthz } from './authz/compileAuthz.ts';
import { compileTelemetry } from './compileTelemetry.ts';
import { compileLinkerd } from './linkerd/compileLinkerd.ts';
import { createAmbientBuilder } from './ambient/compileAmbient.ts';
import { sourceKey } from './sourceKey.ts';
import { buildClusters } from './buildClusters.ts';
import { createGammaRoutes } from './buildGammaRoutes.ts';
import { attachGatewayRoutes } from './attachGatewayRoutes.ts';
import { buildGatewayProxy } from './buildGatewayProxy.ts';
import { buildKubeServices } from './buildKubeServices.ts';
import { createVirtualHostBuilder } from './buildVirtualHosts.ts';
import { createWildcardDomains } from './sidecarWildcardDomains.ts';
import { createCompileContext } from './CompileContext.ts';
import { lintDestinationRule } from './lintDestinationRule.ts';
import { lintVirtualService } from './lintVirtualService.ts';
import { mergeDelegates } from './mergeDelegates.ts';
import type { RoutingContext } from './RoutingContext.ts';
import { selectVirtualServices } from './selectVirtualServices.ts';

export interface CompileResult {
  xds: MeshXds;
  diagnostics: Diagnostic[];
}

/**
 * The control plane: Istio resources and workloads → each sidecar's config
 * (virtual hosts, clusters, inbound mTLS) and kube-proxy's view for callers
 * without a sidecar. Pure and deterministic. Proxy objects share their parts:
 * every proxy gets the same `clusters` object; `virtualHosts` and `inbound`
 * are shared between pods of the same namespace and labels (and virtual hosts
 * between all proxies when no VirtualService matches on the source). Treat
 * the result as read-only.
 */
export function compileMesh(scenario: Scenario): CompileResult {
  if (scenario.simulation.flavor === 'linkerd') return compileLinkerd(scenario);
  const loaded = createCompileContext(scenario);
  // Delegate VirtualServices merged into their roots, as istiod does before anything reads them.
  const { virtualServices, delegated } = mergeDelegates(scenario.virtualServices, loaded.diagnostics);
  const base = delegated.size > 0 || virtualServices.length !== scenario.virtualServices.length ? { ...loaded, scenario: { ...scenario, virtualServices } } : loaded;
  const { clusters, policies } = buildClusters(base);
  const ctx: RoutingContext = {
    ...base,
    clusters,
    clusterPolicies: policies,
    virtualServices: selectVirtualServices(base),
    delegated,
    gamma: createGammaRoutes(base),
    gatewayRoutes: attachGatewayRoutes(base),
  };
  for (const vs of [...scenario.virtualServices].sort((a, b) => a.order - b.order)) lintVirtualService(ctx, vs);
  for (const rule of [...scenario.destinationRules].sort((a, b) => a.order - b.order)) lintDestinationRule(ctx, rule);

  const virtualHosts = createVirtualHostBuilder(ctx);
  const wildcardDomains = createWildcardDomains();
  const inbound = createInboundBuilder(scenario, ctx);
  const priorities = createPriorityBuilder(scenario.pods, scenario.nodes, clusters, policies, scenario.mesh.localityLbSetting);
  const proxies = byName<ProxyXds>();
  // Under ambient, pods in ambient namespaces are served by their node's ztunnel, and waypoints are proxies of their own.
  const ambient = scenario.simulation.flavor === 'istio-ambient' ? createAmbientBuilder(ctx, virtualHosts) : undefined;
  const gatewayClusters = ambient ? ambient.gatewayClusters() : clusters;
  for (const pod of scenario.pods) {
    if (pod.gateway) {
      const built = buildGatewayProxy(ctx, pod);
      proxies[pod.name] = { pod: pod.name, virtualHosts: built.virtualHosts, clusters: gatewayClusters, inbound: inbound.of(pod), gateway: built.gateway };
      continue;
    }
    if (!pod.sidecar) continue;
    if (pod.ambient && ambient) {
      proxies[pod.name] = ambient.ztunnelFor(pod);
      continue;
    }
    const source = { namespace: pod.namespace, labels: pod.labels };
    const table = virtualHosts(source);
    const proxy: ProxyXds = { pod: pod.name, virtualHosts: table, clusters, inbound: inbound.of(pod) };
    const wildcards = wildcardDomains(table);
    if (wildcards) proxy.wildcardDomains = wildcards;
    const locality = priorities.of(pod);
    if (locality.priorities) proxy.priorities = locality.priorities;
    if (locality.weights) proxy.localityWeights = locality.weights;
    proxies[pod.name] = proxy;
  }
  if (ambient) Object.assign(proxies, ambient.waypoints());
  const telemetry = compileTelemetry(scenario, ctx.diagnostics);
  const xds: MeshXds = { proxies, kubeServices: buildKubeServices(ctx), ...(telemetry ? { telemetry } : {}) };
  // Under ambient, targetRefs policies are applied (by waypoints): the sidecars' note that they skip them does not hold.
  const inboundFound = ambient ? inbound.diagnostics().filter((d) => d.code !== 'MV0331') : inbound.diagnostics();
  return { xds, diagnostics: [...ctx.diagnostics.list(), ...inboundFound, ...(ambient ? ambient.diagnostics() : [])] };
}

/**
 * Inbound config (PeerAuthentication mode, AuthorizationPolicies) per
 * distinct namespace and labels; authorization findings reported once each.
 */
function createInboundBuilder(scenario: Scenario, ctx: RoutingContext) {
  const cache = new Map<string, InboundXds>();
  const found = new Map<string, Diagnostic>();
  return {
    of(pod: Pod): InboundXds {
      const key = sourceKey(pod.namespace, pod.labels);
      let inbound = cache.get(key);
      if (!inbound) {
        const mtls = ctx.peerAuthentications.inbound(pod.namespace, pod.labels);
        const tcpPorts = tcpProxiedTargetPorts(scenario, pod);
        const authz = compileAuthz(scenario, pod, { tcp: tcpPorts.length > 0 });
        for (const d of authz.diagnostics) found.set(`${d.code}|${d.resource}|${d.path}|${d.message}`, d);
        const policies = authz.policies.length > 0 ? { authz: authz.policies, ...(authz.tcpPolicies ? { tcpAuthz: authz.tcpPolicies } : {}) } : {};
        inbound = { ...mtls, ...policies, ...(tcpPorts.length > 0 ? { tcpPorts } : {}) };
        cache.set(key, inbound);
      }
      return inbound;
    },
    diagnostics: (): Diagnostic[] => [...found.values()],
  };
}
