import type { KubeServiceXds } from '../../model/index.ts';
import { unregisteredAddresses } from './buildUnregisteredHosts.ts';
import type { CompileContext } from './CompileContext.ts';

/**
 * What a caller without a sidecar reaches: kube-proxy's view, one entry per
 * `fqdn:port` with every endpoint and no mesh features (no subsets, no retries).
 */
export function buildKubeServices(ctx: CompileContext): Record<string, KubeServiceXds> {
  const out: Record<string, KubeServiceXds> = {};
  for (const entry of ctx.services.all) {
    for (const port of entry.service.ports) {
      const key = `${entry.fqdn}:${port.port}`;
      if (key in out) continue;
      out[key] = { host: entry.fqdn, port: port.port, endpoints: ctx.services.endpoints(entry, port) };
    }
  }
  // Outside the mesh, kube-proxy plays no part: the caller connects to the address it dialled.
  for (const { external, port } of unregisteredAddresses(ctx.scenario, ctx.services)) {
    const pod = ctx.scenario.pods.find((p) => p.external && p.name === external.pod);
    if (pod) out[`${external.host}:${port}`] = { host: external.host, port, endpoints: [{ pod: pod.name, address: pod.ip, port, sidecar: false }] };
  }
  return out;
}
