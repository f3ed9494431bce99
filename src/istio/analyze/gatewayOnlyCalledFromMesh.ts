import type { Diagnostic } from '../../model/index.ts';
import { boundGateways, MESH_GATEWAY } from '../compile/gatewayBinding.ts';
import { resolveExternalAddress, resolveServiceAddress } from '../compile/resolveServiceAddress.ts';
import type { Analyzer } from './Analyzer.ts';
import { finding } from './AnalysisContext.ts';

/**
 * A VirtualService bound to gateways only (its `gateways` lacks `mesh`)
 * for a service the apps call from inside the mesh: its rules apply at the
 * gateway, and the callers' sidecars route that service by another
 * VirtualService or the default route (VirtualService API, `gateways`: "If
 * a list of gateway names is provided, the rules will apply only to the
 * gateways. To apply the rules to both gateways and sidecars, specify mesh
 * as one of the gateway names"). Only callers whose sidecar really takes
 * the default route for that host and port are named.
 */
export const gatewayOnlyCalledFromMesh: Analyzer = {
  name: 'gatewayOnlyCalledFromMesh',
  run(ctx) {
    const { scenario } = ctx;
    const found: Diagnostic[] = [];
    for (const vs of scenario.virtualServices) {
      const bound = boundGateways(vs);
      if (bound.includes(MESH_GATEWAY) || (vs.spec.http?.length ?? 0) === 0) continue;
      const hosts = new Set((vs.spec.hosts ?? []).map((h) => ctx.hosts.resolve(h, vs.metadata.namespace)));
      for (const [workload, app] of Object.entries(scenario.simulation.workloads)) {
        const pod = scenario.pods.find((p) => p.workload === workload && p.sidecar);
        const proxy = pod ? ctx.xds.proxies[pod.name] : undefined;
        if (!pod || !proxy) continue;
        for (const call of app.calls) {
          // A ServiceEntry host too: the egress gateway pattern with `mesh` forgotten sends the calls straight out.
          const service = resolveServiceAddress(scenario, pod.namespace, call.host, call.port);
          const target = service ?? resolveExternalAddress(scenario, call.host, call.port);
          if (!target || !hosts.has(target.host)) continue;
          if (proxy.virtualHosts[`${target.host}:${target.port}`]?.routes[0]?.origin.kind !== 'default') continue;
          found.push(finding('GatewayOnlyVirtualServiceCalledFromMesh', vs, 'spec.gateways', { gateways: (vs.spec.gateways ?? []).join(', '), caller: workload, host: `${target.host}:${target.port}`, ...(service ? {} : { external: true }) }));
        }
      }
    }
    return found;
  },
};
