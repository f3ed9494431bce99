import { matchesLabels } from '../../model/index.ts';
import type { Analyzer } from './Analyzer.ts';
import { finding } from './AnalysisContext.ts';

/**
 * A Gateway whose `selector` matches no pod (istioctl's
 * `gateway.IngressGatewayPortAnalyzer`, Istio src
 * `pkg/config/analysis/analyzers/gateway/gateway.go`: IST0101
 * ReferencedResourceNotFound for the selector, an error), or only pods that
 * are not gateway proxies: a sidecar never listens with a Gateway's servers.
 */
export const gatewaySelector: Analyzer = {
  name: 'gatewaySelector',
  run(ctx) {
    return ctx.scenario.gateways.flatMap((gateway) => {
      const labels = gateway.spec.selector ?? {};
      const selector = Object.keys(labels).sort().map((key) => `${key}=${labels[key]}`).join(',');
      const pods = ctx.scenario.pods.filter((pod) => !pod.external && matchesLabels(labels, pod.labels));
      if (pods.length === 0) return [finding('GatewaySelectorMatchesNoPod', gateway, 'spec.selector', { selector })];
      if (pods.some((pod) => pod.gateway)) return [];
      const workloads = [...new Set(pods.map((pod) => `${pod.namespace}/${pod.workload}`))];
      return [finding('GatewaySelectsNoProxy', gateway, 'spec.selector', { selector, pods: `the pods of ${workloads.join(', ')}` })];
    });
  },
};
