import type { Diagnostic } from '../../model/index.ts';
import { resolveExternalAddress, resolveServiceAddress } from '../compile/resolveServiceAddress.ts';
import { finding } from './AnalysisContext.ts';
import type { Analyzer } from './Analyzer.ts';

const EFFECT = {
  ALLOW_ANY: 'requests go through PassthroughCluster: no retries, no timeout, no DestinationRule, no mTLS',
  REGISTRY_ONLY: 'its sidecar answers 502 (route block_all)',
} as const;

/**
 * A workload calls a ServiceEntry host whose `exportTo` leaves its namespace
 * out: istiod leaves the service out of that namespace's proxies (Istio src
 * `pilot/pkg/model/push_context.go`, services visible per namespace by
 * `exportTo`), so the call falls to the outbound traffic policy. The finding
 * points at the entry's `exportTo`.
 */
export const serviceEntryNotExported: Analyzer = {
  name: 'serviceEntryNotExported',
  run({ scenario }) {
    const found = new Map<string, Diagnostic>();
    for (const [workload, app] of Object.entries(scenario.simulation.workloads)) {
      const caller = scenario.workloads.find((w) => w.name === workload);
      if (!caller?.sidecar) continue;
      for (const call of app.calls) {
        if (resolveServiceAddress(scenario, caller.namespace, call.host, call.port)) continue;
        const target = resolveExternalAddress(scenario, call.host, call.port);
        const external = target ? scenario.externalServices.find((e) => e.host === target.host) : undefined;
        const covering = external && !external.serviceEntry ? scenario.externalServices.find((e) => e.wildcard && external.host.endsWith(e.host.slice(1))) : external;
        if (!target || !covering?.exportTo || covering.exportTo.includes(caller.namespace)) continue;
        const entry = scenario.serviceEntries.find((se) => `ServiceEntry/${se.metadata.namespace}/${se.metadata.name}` === covering.serviceEntry);
        if (!entry) continue;
        const address = `${target.host}:${target.port}`;
        found.set(`${covering.serviceEntry}|${workload}|${address}`, finding('ServiceEntryNotExported', entry, 'spec.exportTo', {
          entry: covering.serviceEntry as string, caller: workload, namespace: caller.namespace, address, effect: EFFECT[scenario.mesh.outboundTrafficPolicy],
        }));
      }
    }
    return [...found.values()];
  },
};
