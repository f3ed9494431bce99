import type { Analyzer } from './Analyzer.ts';
import { finding } from './AnalysisContext.ts';
import { labelText } from './destinationsOf.ts';
import { targets } from './principalsWithoutMtls.ts';

/**
 * A PeerAuthentication or AuthorizationPolicy whose selector matches no
 * workload of its namespace: it applies to nothing (istioctl IST0127, Kiali
 * KIA0004). Selector policies in the root namespace are the compiler's MV0314.
 */
export const selectorMatchesNoWorkload: Analyzer = {
  name: 'selectorMatchesNoWorkload',
  run(ctx) {
    const policies = [...ctx.scenario.peerAuthentications, ...ctx.scenario.authorizationPolicies];
    return policies.flatMap((policy) => {
      const labels = policy.spec.selector?.matchLabels ?? {};
      const namespace = policy.metadata.namespace;
      if (Object.keys(labels).length === 0 || namespace === ctx.scenario.mesh.rootNamespace) return [];
      if (targets(ctx, policy).length > 0) return [];
      return [finding('SelectorMatchesNoWorkload', policy, 'spec.selector.matchLabels', { labels: labelText(labels), namespace })];
    });
  },
};
