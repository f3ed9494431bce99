import type { Analyzer } from './Analyzer.ts';
import { finding } from './AnalysisContext.ts';
import { destinationsOf } from './destinationsOf.ts';

/**
 * A route destination or mirror whose host is no Service of the scenario (nor
 * a ServiceEntry host): Envoy has no cluster for it and answers 503 NC.
 * istioctl IST0101, Kiali KIA1101.
 */
export const routeHostNotFound: Analyzer = {
  name: 'routeHostNotFound',
  replaces: ['DestinationServiceUnknown'],
  run(ctx) {
    return ctx.scenario.virtualServices.flatMap((vs) =>
      destinationsOf(vs).flatMap(({ destination, path, what }) => {
        const namespace = vs.metadata.namespace;
        const host = destination.host;
        if (host.includes('*') || ctx.serviceFor(host, namespace) || ctx.isServiceEntryHost(host)) return [];
        return [finding('RouteHostNotFound', vs, `${path}.host`, { what: what === 'mirror' ? 'mirror' : 'destination', host: ctx.hosts.resolve(host, namespace) })];
      }),
    );
  },
};
