import { finding } from './AnalysisContext.ts';
import type { Analyzer } from './Analyzer.ts';

/**
 * istioctl's IST0134 (Istio src
 * `pkg/config/analysis/analyzers/serviceentry/protocoladdresses.go`): a
 * ServiceEntry without `addresses` whose port serves TCP or names no
 * protocol. Without a VIP, the sidecar's listener for that port cannot tell
 * which service a connection is for. istioctl stays quiet when the mesh
 * config turns on DNS capture with auto-allocation; meshviz does not read
 * proxy metadata, so it says so in the message.
 */
export const serviceEntryAddressesRequired: Analyzer = {
  name: 'serviceEntryAddressesRequired',
  run({ scenario }) {
    return scenario.serviceEntries.flatMap((entry) =>
      (entry.spec.addresses ?? []).length > 0
        ? []
        : (entry.spec.ports ?? []).flatMap((port, index) =>
            port.protocol === undefined || port.protocol === '' || port.protocol.toUpperCase() === 'TCP'
              ? [finding('ServiceEntryAddressesRequired', entry, `spec.ports[${index}]`, { port: port.number })]
              : [],
          ),
    );
  },
};
