import type { KubeServiceXds } from '../../model/index.ts';
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
  return out;
}
