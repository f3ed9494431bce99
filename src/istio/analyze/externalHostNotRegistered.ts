import type { Diagnostic } from '../../model/index.ts';
import { diagnostic } from '../catalog.ts';
import { unregisteredAddresses } from '../compile/buildUnregisteredHosts.ts';
import { resolveExternalAddress, resolveServiceAddress } from '../compile/resolveServiceAddress.ts';
import type { Analyzer } from './Analyzer.ts';

/**
 * An app calls a host outside the mesh that no ServiceEntry declares (on
 * that port) while the mesh config says REGISTRY_ONLY: istiod gives its
 * sidecar only the `block_all` route for it, a direct 502 (Istio src
 * `pilot/pkg/networking/core/httproute.go`, `buildCatchAllVirtualHost`), or,
 * on a port without an HTTP listener, a TCP proxy to BlackHoleCluster that
 * closes the connection.
 * The call is the place to look: it is what will fail.
 */
export const externalHostNotRegistered: Analyzer = {
  name: 'externalHostNotRegistered',
  run(ctx) {
    const { scenario } = ctx;
    if (scenario.mesh.outboundTrafficPolicy !== 'REGISTRY_ONLY') return [];
    const blocked = new Map(unregisteredAddresses(scenario, ctx.services).map(({ external, port, http }) => [`${external.host}:${port}`, http]));
    const found: Diagnostic[] = [];
    for (const [workload, app] of Object.entries(scenario.simulation.workloads)) {
      const namespace = scenario.workloads.find((w) => w.name === workload)?.namespace ?? 'default';
      app.calls.forEach((call, index) => {
        if (resolveServiceAddress(scenario, namespace, call.host, call.port)) return;
        const target = resolveExternalAddress(scenario, call.host, call.port);
        if (!target || !blocked.has(`${target.host}:${target.port}`)) return;
        const at = { resource: `Simulation/${scenario.simulation.name}`, path: `spec.workloads.${workload}.calls[${index}].service`, ...(call.source ? { source: call.source } : {}) };
        const tcp = blocked.get(`${target.host}:${target.port}`) === false;
        found.push(diagnostic('ExternalHostNotRegistered', at, { caller: workload, address: `${target.host}:${target.port}`, ...(tcp ? { tcp } : {}) }));
      });
    }
    return found;
  },
};
