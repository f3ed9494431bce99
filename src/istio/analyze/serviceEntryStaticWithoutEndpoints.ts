import { finding } from './AnalysisContext.ts';
import type { Analyzer } from './Analyzer.ts';

/**
 * A ServiceEntry with resolution STATIC names its endpoints itself; with
 * neither `endpoints` nor a `workloadSelector`, istiod builds the cluster
 * with no endpoint at all (Istio src
 * `pilot/pkg/serviceregistry/serviceentry/conversion.go`: only DNS-type
 * entries turn the host into an endpoint), and Envoy answers 503 UH.
 * Istio's validation once refused this and no longer does; istioctl has no
 * check for it.
 */
export const serviceEntryStaticWithoutEndpoints: Analyzer = {
  name: 'serviceEntryStaticWithoutEndpoints',
  run({ scenario }) {
    return scenario.serviceEntries
      .filter((entry) => entry.spec.resolution === 'STATIC' && (entry.spec.endpoints ?? []).length === 0 && entry.spec.workloadSelector === undefined)
      .map((entry) => finding('ServiceEntryStaticWithoutEndpoints', entry, 'spec.resolution', { host: (entry.spec.hosts ?? []).join(', ') }));
  },
};
