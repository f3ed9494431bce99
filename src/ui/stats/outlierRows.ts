import type { World } from '../../engine/index.ts';
import { parseClusterName, type Micros } from '../../model/index.ts';
import type { Ejection } from './MeshStats.ts';

export interface OutlierRow {
  cluster: string;
  /** Service and subset, short: `users v1`. */
  destination: string;
  endpoint: string;
  /** Outlier detection configured for this cluster. */
  detection: boolean;
  state: 'healthy' | 'ejected';
  /** Ejected: time until its ejection ends (≤ 0: it returns at the next interval check). */
  left?: Micros;
  ejections: number;
  consecutive5xx: number;
}

export interface PoolRow {
  cluster: string;
  destination: string;
  overflows: number;
  connections: number;
  pending: number;
  active: number;
}

/**
 * Each backend endpoint as one caller's sidecar sees it (Envoy keeps outlier
 * state per client), for the clusters that sidecar has used. Times left come
 * from the ejection events the picture has shown.
 */
export function outlierRows(world: Readonly<World>, callerPod: string, ejected: ReadonlyMap<string, Ejection>, now: Micros): { rows: OutlierRow[]; pools: PoolRow[] } {
  const proxy = world.proxies[callerPod];
  const rows: OutlierRow[] = [];
  const pools: PoolRow[] = [];
  if (!proxy) return { rows, pools };
  for (const name of Object.keys(proxy.clusters).sort()) {
    const cr = proxy.clusters[name];
    if (!cr) continue;
    const destination = destinationOf(name);
    pools.push({ cluster: name, destination, overflows: cr.overflows, connections: cr.open.connections, pending: cr.open.pending, active: cr.open.requests });
    for (const ep of cr.config.endpoints) {
      const host = cr.outlier[ep.pod];
      const ejection = ejected.get(`${callerPod}|${name}|${ep.pod}`);
      const isEjected = host?.ejected === true;
      rows.push({
        cluster: name,
        destination,
        endpoint: ep.pod,
        detection: cr.config.outlier !== undefined,
        state: isEjected ? 'ejected' : 'healthy',
        left: isEjected && ejection ? ejection.at + ejection.duration - now : undefined,
        ejections: host?.ejections ?? 0,
        consecutive5xx: host?.consecutive5xx ?? 0,
      });
    }
  }
  return { rows, pools };
}

/** `outbound|8080|v1|users.default.svc.cluster.local` → `users v1`. */
export function destinationOf(cluster: string): string {
  const parsed = parseClusterName(cluster);
  if (!parsed) return cluster;
  const name = parsed.host.split('.')[0] ?? parsed.host;
  return parsed.subset ? `${name} ${parsed.subset}` : `${name}:${parsed.port}`;
}
