import { clusterName, type Destination } from '../../model/index.ts';
import type { CompileContext } from './CompileContext.ts';
import type { IndexedService } from './ServiceIndex.ts';

export interface ResolvedDestination {
  cluster: string;
  host: string;
  port: number;
  subset?: string;
  /** Undefined when no service has this host. */
  service?: IndexedService;
}

/**
 * The cluster a VirtualService destination names (istiod
 * `GetDestinationCluster`): host resolved against the VirtualService's
 * namespace; port = `destination.port.number`, else the service's only port,
 * else the port being routed. The cluster may not exist; the route keeps the
 * name anyway and the engine answers 503 NC.
 */
export function resolveDestination(
  ctx: CompileContext,
  namespace: string,
  destination: Destination,
  listenPort: number,
): ResolvedDestination {
  const host = ctx.hosts.resolve(destination.host, namespace);
  const service = ctx.services.get(host);
  const ports = service?.service.ports ?? [];
  const port = destination.port?.number ?? (ports.length === 1 ? (ports[0]?.port as number) : listenPort);
  const subset = destination.subset || undefined;
  const out: ResolvedDestination = { cluster: clusterName(port, subset, host), host, port };
  if (subset !== undefined) out.subset = subset;
  if (service) out.service = service;
  return out;
}
