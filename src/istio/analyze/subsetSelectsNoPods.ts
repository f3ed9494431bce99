import { matchesLabels } from '../../model/index.ts';
import type { Analyzer } from './Analyzer.ts';
import { finding } from './AnalysisContext.ts';
import { labelText } from './destinationsOf.ts';

/**
 * A DestinationRule subset whose labels pick none of the pods behind its
 * host: its cluster has no endpoints, so requests routed to it get 503 UH.
 * Kiali KIA0203. A service with no pods at all is left alone.
 */
export const subsetSelectsNoPods: Analyzer = {
  name: 'subsetSelectsNoPods',
  run(ctx) {
    return ctx.scenario.destinationRules.flatMap((rule) => {
      const service = ctx.serviceFor(rule.spec.host, rule.metadata.namespace);
      if (!service || service.pods.length === 0) return [];
      return (rule.spec.subsets ?? []).flatMap((subset, i) => {
        if (service.pods.some((pod) => matchesLabels(subset.labels, pod.labels))) return [];
        return [
          finding('SubsetSelectsNoPods', rule, `spec.subsets[${i}].labels`, {
            subset: subset.name,
            labels: labelText(subset.labels),
            host: service.fqdn,
            pods: service.pods.length,
          }),
        ];
      });
    });
  },
};
