import type { ClusterXds } from '../../model/index.ts';
import { resourceRef } from '../locate.ts';
import type { Analyzer } from './Analyzer.ts';
import { finding } from './AnalysisContext.ts';
import { listText } from './destinationsOf.ts';
import { mtlsPolicyOf } from './mtlsPolicyOf.ts';
import { policySource, type PolicySource } from './policySource.ts';

/** Client TLS modes that do not present an Istio workload certificate. */
const NOT_ISTIO_MTLS = new Set(['DISABLE', 'SIMPLE', 'MUTUAL']);

/**
 * A DestinationRule whose `tls.mode` makes sidecars call a host without Istio
 * mTLS (DISABLE; SIMPLE: no client certificate; MUTUAL: the user's own
 * certificates, not the workload's) while PeerAuthentication
 * makes some of its pods STRICT: those requests fail with a local 503
 * (§6.1, §6.2). istioctl IST0113, Kiali KIA0207/KIA0208.
 */
export const mtlsDisabledTowardStrict: Analyzer = {
  name: 'mtlsDisabledTowardStrict',
  run(ctx) {
    const clusters = Object.values(ctx.clusters);
    const grouped = new Map<string, { cluster: ClusterXds; source: PolicySource; pods: Set<string>; policies: Set<string> }>();
    for (const cluster of clusters) {
      if (cluster.tls.auto || !NOT_ISTIO_MTLS.has(cluster.tls.mode)) continue;
      const source = policySource(ctx, cluster.host, cluster.port, cluster.subset, 'tls');
      if (!source) continue;
      for (const endpoint of cluster.endpoints) {
        const pod = ctx.scenario.pods.find((p) => p.name === endpoint.pod);
        if (!pod?.sidecar) continue;
        const decision = mtlsPolicyOf(ctx, pod.namespace, pod.labels, endpoint.port);
        if (decision.mode !== 'STRICT' || !decision.policy) continue;
        const key = `${resourceRef(source.rule)}|${source.path}`;
        const entry = grouped.get(key) ?? { cluster, source, pods: new Set<string>(), policies: new Set<string>() };
        entry.pods.add(pod.workload);
        entry.policies.add(resourceRef(decision.policy));
        grouped.set(key, entry);
      }
    }
    return [...grouped.values()].map((g) =>
      finding('MtlsDisabledTowardStrict', g.source.rule, `${g.source.path}.mode`, {
        mode: g.cluster.tls.mode,
        host: g.cluster.host,
        policy: listText([...g.policies].sort()),
        pods: `the pods of ${listText([...g.pods].sort())}`,
      }),
    );
  },
};
