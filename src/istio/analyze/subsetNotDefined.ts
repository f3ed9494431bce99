import { resourceRef } from '../locate.ts';
import type { Analyzer } from './Analyzer.ts';
import { finding } from './AnalysisContext.ts';
import { destinationsOf, listText } from './destinationsOf.ts';

/**
 * A destination subset that no DestinationRule for its host defines: the
 * route names a cluster that does not exist (503 NC). istioctl IST0101
 * (host+subset), Kiali KIA1107.
 */
export const subsetNotDefined: Analyzer = {
  name: 'subsetNotDefined',
  replaces: ['SubsetUndefined'],
  run(ctx) {
    return ctx.scenario.virtualServices.flatMap((vs) =>
      destinationsOf(vs).flatMap(({ destination, path }) => {
        const subset = destination.subset;
        const service = ctx.serviceFor(destination.host, vs.metadata.namespace);
        if (!subset || !service) return [];
        const rule = ctx.destinationRules.forHost(service.fqdn);
        if (rule?.subsets.some((s) => s.name === subset)) return [];
        const defined = rule
          ? `${listText(rule.rules.map(resourceRef))} define${rule.rules.length === 1 ? 's' : ''} ${listText(rule.subsets.map((s) => s.name)) || 'no subsets'}`
          : 'no DestinationRule exists for this host';
        return [finding('SubsetNotDefined', vs, `${path}.subset`, { host: service.fqdn, subset, defined })];
      }),
    );
  },
};
