import { resourceRef } from '../locate.ts';
import type { Analyzer } from './Analyzer.ts';
import { finding } from './AnalysisContext.ts';
import { policySource, type PolicySource } from './policySource.ts';

/**
 * Outlier detection that cannot eject anything: modern Envoy (≥ 1.28)
 * checks max-ejection-percent after the would-be ejection and no longer
 * ejects a first host regardless (§3.3), so a cluster with N endpoints can
 * eject floor(N × pct / 100) hosts — zero with the default 10 % and fewer
 * than 10 endpoints. One finding per DestinationRule field, naming the
 * smallest cluster it leaves without ejections.
 */
export const outlierNeverEjects: Analyzer = {
  name: 'outlierNeverEjects',
  run(ctx) {
    const clusters = Object.values(ctx.clusters);
    const worst = new Map<string, { cluster: string; endpoints: number; percent: number; source: PolicySource }>();
    for (const cluster of clusters) {
      const percent = cluster.outlier?.maxEjectionPercent;
      const endpoints = cluster.endpoints.length;
      if (percent === undefined || endpoints === 0 || Math.floor((endpoints * percent) / 100) >= 1) continue;
      const source = policySource(ctx, cluster.host, cluster.port, cluster.subset, 'outlierDetection');
      if (!source) continue;
      const key = `${resourceRef(source.rule)}|${source.path}`;
      const seen = worst.get(key);
      if (!seen || endpoints < seen.endpoints) worst.set(key, { cluster: cluster.name, endpoints, percent, source });
    }
    return [...worst.values()].map((w) =>
      finding('OutlierNeverEjects', w.source.rule, w.source.path, { cluster: w.cluster, endpoints: w.endpoints, percent: w.percent }),
    );
  },
};
