import type { MeshXds } from '../../model/index.ts';
import { MetricFamily } from './MetricFamily.ts';
import type { Series } from './MetricFamily.ts';

/**
 * The Envoy cluster stats people read for retries, ejections and circuit
 * breaking, named as Istio's sidecars expose them on `/stats/prometheus`:
 * Envoy's stat `cluster.<name>.<stat>` with the cluster name pulled out into
 * the `cluster_name` tag (Envoy src `source/common/config/well_known_names.cc`,
 * `CLUSTER_NAME`), dots turned into underscores, `envoy_` in front; Envoy's
 * counters keep their names (no `_total` added). Meanings: Envoy docs
 * `configuration/upstream/cluster_manager/cluster_stats` (mesh-semantics §1.6,
 * §3, §4.1). Every cluster of every sidecar starts at zero, as in Envoy;
 * series are summed over the sidecars that have the cluster.
 */
export class EnvoyClusterStats {
  private readonly retry = new MetricFamily('envoy_cluster_upstream_rq_retry', 'counter', 'Total request retries.', 'unknown');
  private readonly retryOverflow = new MetricFamily('envoy_cluster_upstream_rq_retry_overflow', 'counter', 'Total requests not retried due to circuit breaking or exceeding the retry budget.', 'unknown');
  private readonly pendingOverflow = new MetricFamily('envoy_cluster_upstream_rq_pending_overflow', 'counter', 'Total requests that overflowed connection pool or requests circuit breaking and were failed.', 'unknown');
  private readonly cxOverflow = new MetricFamily('envoy_cluster_upstream_cx_overflow', 'counter', "Total times that the cluster's connection circuit breaker overflowed.", 'unknown');
  private readonly ejectionsEnforced = new MetricFamily('envoy_cluster_outlier_detection_ejections_enforced_total', 'counter', 'Number of enforced ejections due to any outlier type.', 'unknown');
  private readonly ejectionsActive = new MetricFamily('envoy_cluster_outlier_detection_ejections_active', 'gauge', 'Number of currently ejected hosts.');
  readonly families: MetricFamily[] = [this.retry, this.retryOverflow, this.pendingOverflow, this.cxOverflow, this.ejectionsEnforced, this.ejectionsActive];

  constructor(xds: MeshXds) {
    const names = new Set<string>();
    for (const proxy of Object.values(xds.proxies)) for (const name of Object.keys(proxy.clusters)) names.add(name);
    for (const name of [...names].sort()) for (const f of this.families) this.at(f, name);
  }

  retried(cluster: string): void {
    this.at(this.retry, cluster).value += 1;
  }

  retryOverflowed(cluster: string): void {
    this.at(this.retryOverflow, cluster).value += 1;
  }

  poolOverflowed(cluster: string, limit: 'maxConnections' | 'maxPendingRequests' | 'maxRequests' | 'maxRetries'): void {
    if (limit === 'maxRetries') return this.retryOverflowed(cluster);
    this.at(limit === 'maxConnections' ? this.cxOverflow : this.pendingOverflow, cluster).value += 1;
  }

  ejected(cluster: string): void {
    this.at(this.ejectionsEnforced, cluster).value += 1;
    this.at(this.ejectionsActive, cluster).value += 1;
  }

  unejected(cluster: string): void {
    this.at(this.ejectionsActive, cluster).value -= 1;
  }

  private at(family: MetricFamily, cluster: string): Series {
    return family.at(cluster, () => `{cluster_name="${cluster.replace(/["\\]/g, '\\$&')}"}`);
  }
}
