import type { ClusterView } from '../../api/index.ts';
import { parseClusterName, type Micros } from '../../model/index.ts';
import type { Ejection } from './MeshStats.ts';

export interface OutlierRow {
  cluster: string;
  /** Service and subset, short: `users v1`. */
  destination: string;
  endpoint: string;
  /** Outlier detection configured for this cluster. */
  detection: boolean;
  /** Linkerd's failure accrual instead (then `ejections` counts back-offs and `consecutive5xx` failures in a row). */
  accrual: boolean;
  /** `probation`: failure accrual lets one request through to try it. */
  state: 'healthy' | 'ejected' | 'probation';
  /** Peak-EWMA balancer: the endpoint's cost now, in ms. */
  ewmaCost?: number;
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
  /** A Linkerd retry budget: the retries it grants now. */
  retryBudget?: number;
}

/**
 * Each backend endpoint as one caller's sidecar sees it (Envoy keeps outlier
 * state per client), for the clusters that sidecar has used. Times left come
 * from the ejection events the picture has shown.
 */
export function outlierRows(clusters: readonly ClusterView[], callerPod: string, ejected: ReadonlyMap<string, Ejection>, now: Micros): { rows: OutlierRow[]; pools: PoolRow[] } {
  const rows: OutlierRow[] = [];
  const pools: PoolRow[] = [];
  for (const cluster of clusters) {
    const name = cluster.name;
    const destination = destinationOf(name);
    pools.push({
      cluster: name,
      destination,
      overflows: cluster.overflows,
      connections: cluster.connections,
      pending: cluster.pending,
      active: cluster.active,
      ...(cluster.retryBudget !== undefined ? { retryBudget: cluster.retryBudget } : {}),
    });
    for (const ep of cluster.endpoints) {
      const ejection = ejected.get(`${callerPod}|${name}|${ep.pod}`);
      const accrual = ep.accrual;
      rows.push({
        cluster: name,
        destination,
        endpoint: ep.pod,
        detection: cluster.outlierDetection,
        accrual: cluster.failureAccrual,
        // Linkerd's breaker moves to probation when its back-off ends, whether or not the engine has looked since (its clock may be behind the picture's).
        state: accrual?.state === 'probation' || (accrual && ep.ejected && accrual.until <= now) ? 'probation' : ep.ejected ? 'ejected' : 'healthy',
        left: accrual ? (ep.ejected && accrual.until > now ? accrual.until - now : undefined) : ep.ejected && ejection ? ejection.at + ejection.duration - now : undefined,
        ejections: ep.ejections,
        consecutive5xx: ep.consecutive5xx,
        ...(ep.ewmaCost !== undefined ? { ewmaCost: ep.ewmaCost } : {}),
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
