import { hostMatches } from '../compile/HostResolver.ts';
import type { Analyzer } from './Analyzer.ts';
import { finding } from './AnalysisContext.ts';

/**
 * A DestinationRule whose host (or wildcard) matches no Service of the
 * scenario and no ServiceEntry host: it shapes no cluster. Kiali KIA0202.
 */
export const destinationRuleHostNotFound: Analyzer = {
  name: 'destinationRuleHostNotFound',
  run(ctx) {
    return ctx.scenario.destinationRules.flatMap((rule) => {
      const host = ctx.hosts.resolve(rule.spec.host, rule.metadata.namespace);
      const known = host.includes('*')
        ? ctx.services.all.some((s) => hostMatches(host, s.fqdn))
        : ctx.services.get(host) !== undefined || ctx.isServiceEntryHost(rule.spec.host);
      return known ? [] : [finding('DestinationRuleHostNotFound', rule, 'spec.host', { host })];
    });
  },
};
