import type { Diagnostic } from '../../model/index.ts';
import { resolveServiceAddress } from '../compile/resolveServiceAddress.ts';
import { finding } from './AnalysisContext.ts';
import type { Analyzer } from './Analyzer.ts';

const EFFECT = {
  ALLOW_ANY: 'requests go through PassthroughCluster: no retries, no timeout, no DestinationRule, no mTLS',
  REGISTRY_ONLY: 'its sidecar answers 502 (route block_all)',
} as const;

/**
 * A workload calls a service its Sidecar resource's egress hosts leave out
 * (Istio src `pilot/pkg/model/sidecar.go`: only imported services get
 * clusters and routes): the call falls to the outbound traffic policy. The
 * finding points at the Sidecar's `egress`, the config to fix.
 */
export const sidecarHidesCalledHost: Analyzer = {
  name: 'sidecarHidesCalledHost',
  run(ctx) {
    const { scenario } = ctx;
    if (!ctx.sidecarScope) return [];
    const found = new Map<string, Diagnostic>();
    for (const [workload, app] of Object.entries(scenario.simulation.workloads)) {
      const pod = scenario.pods.find((p) => p.workload === workload && p.sidecar);
      const scope = pod ? ctx.sidecarScope({ namespace: pod.namespace, labels: pod.labels }) : undefined;
      if (!pod || !scope) continue;
      for (const call of app.calls) {
        const target = resolveServiceAddress(scenario, pod.namespace, call.host, call.port);
        if (!target || scope.sees(target.host, target.service.namespace, target.port)) continue;
        const address = `${target.host}:${target.port}`;
        const path = scope.sidecar.spec.egress ? 'spec.egress' : undefined;
        found.set(`${scope.resource}|${workload}|${address}`, finding('SidecarHidesCalledHost', scope.sidecar, path, { sidecar: scope.resource, caller: workload, address, effect: EFFECT[scope.mode] }));
      }
    }
    return [...found.values()];
  },
};
