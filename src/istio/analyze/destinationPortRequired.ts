import type { Analyzer } from './Analyzer.ts';
import { finding } from './AnalysisContext.ts';
import { destinationsOf } from './destinationsOf.ts';

/**
 * A destination without `port.number` whose service has several ports
 * (istioctl IST0112). Sidecars route it to the port the request arrived on;
 * anything else that uses the VirtualService (a gateway) cannot tell.
 */
export const destinationPortRequired: Analyzer = {
  name: 'destinationPortRequired',
  run(ctx) {
    return ctx.scenario.virtualServices.flatMap((vs) =>
      destinationsOf(vs).flatMap(({ destination, path }) => {
        const service = ctx.serviceFor(destination.host, vs.metadata.namespace);
        const ports = service?.service.ports ?? [];
        if (!service || destination.port?.number !== undefined || ports.length < 2) return [];
        return [finding('DestinationPortRequired', vs, path, { host: service.fqdn, ports: ports.map((p) => p.port).join(', ') })];
      }),
    );
  },
};
