import { defaultCosts } from '../../model/index.ts';
import type { Pod, Scenario, Service, Waypoint } from '../../model/index.ts';

/** The nodes a translated scenario spreads its pods over (each runs a ztunnel). */
export const TRANSLATED_NODES = 2;

const HTTP_SOURCE = ['remoteIpBlocks', 'notRemoteIpBlocks', 'requestPrincipals', 'notRequestPrincipals'];
const HTTP_OPERATION = ['hosts', 'notHosts', 'methods', 'notMethods', 'paths', 'notPaths'];

/**
 * An Istio (sidecar) scenario as the same mesh in ambient mode (§11): every
 * meshed pod is captured by its node's ztunnel instead of a sidecar (its
 * namespace labelled `istio.io/dataplane-mode: ambient`), pods are spread
 * over `TRANSLATED_NODES` nodes, and each namespace whose Services have
 * VirtualServices, DestinationRules or HTTPRoutes (a Service parent) gets a waypoint (`waypoint`) that those
 * Services use — without it their routes, retries and outlier detection
 * would not apply. What ambient treats differently is listed.
 */
export function translateToAmbient(scenario: Scenario): { scenario: Scenario; translated: string[]; notTranslated: string[] } {
  const translated: string[] = [];
  const notTranslated: string[] = [];
  const meshedNamespaces = new Set(scenario.pods.filter((p) => p.sidecar && !p.external).map((p) => p.namespace));
  const l7Hosts = new Set<string>();
  for (const vs of scenario.virtualServices) for (const host of vs.spec.hosts ?? []) l7Hosts.add(`${vs.metadata.namespace}/${host.split('.')[0]}`);
  for (const dr of scenario.destinationRules) l7Hosts.add(`${dr.metadata.namespace}/${dr.spec.host.split('.')[0]}`);
  for (const route of scenario.httpRoutes) for (const ref of route.spec.parentRefs ?? []) if (ref.kind === 'Service') l7Hosts.add(`${ref.namespace ?? route.metadata.namespace}/${ref.name}`);
  const bound = scenario.services.filter((s) => meshedNamespaces.has(s.namespace) && l7Hosts.has(`${s.namespace}/${s.name}`));
  const waypoints: Waypoint[] = [...new Set(bound.map((s) => s.namespace))].map((namespace) => ({ name: 'waypoint', namespace, hbonePort: 15008, serviceAccount: 'waypoint', trafficType: 'service' as const }));
  const services: Service[] = scenario.services.map((s) => (bound.includes(s) ? { ...s, labels: { ...(s.labels ?? {}), 'istio.io/use-waypoint': 'waypoint' } } : s));
  let next = 0;
  const pods: Pod[] = scenario.pods.map((p) => {
    if (!p.sidecar || p.external) return p;
    const node = p.node ?? `node-${(next++ % TRANSLATED_NODES) + 1}`;
    return { ...p, ambient: true, node };
  });
  const namespaces = scenario.namespaces.map((n) => (meshedNamespaces.has(n.name) ? { ...n, labels: { ...n.labels, 'istio.io/dataplane-mode': 'ambient' } } : n));
  for (const ns of meshedNamespaces) translated.push(`namespace ${ns}: istio.io/dataplane-mode=ambient (its pods' traffic goes through their node's ztunnel, no sidecars)`);
  translated.push(`pods spread over ${TRANSLATED_NODES} nodes, one ztunnel each`);
  for (const s of bound) translated.push(`Service ${s.namespace}/${s.name}: istio.io/use-waypoint=waypoint, so its VirtualService, DestinationRule and HTTPRoutes apply (at the waypoint)`);
  for (const policy of scenario.authorizationPolicies) {
    const hasHttp = (policy.spec.rules ?? []).some(
      (r) => (r.from ?? []).some((f) => HTTP_SOURCE.some((k) => f?.source?.[k] !== undefined)) || (r.to ?? []).some((t) => HTTP_OPERATION.some((k) => t?.operation?.[k] !== undefined)),
    );
    if (hasHttp && !policy.spec.targetRefs && !policy.spec.targetRef) {
      notTranslated.push(`AuthorizationPolicy ${policy.metadata.namespace}/${policy.metadata.name} uses HTTP attributes and selects workloads: ztunnel enforces it without them (attach it to a waypoint with targetRefs to keep them)`);
    }
  }
  if (scenario.sidecars.length > 0) notTranslated.push('Sidecar resources configure sidecars only: ztunnel ignores them');
  const simulation = { ...scenario.simulation, flavor: 'istio-ambient' as const, nodes: TRANSLATED_NODES, costs: { ...defaultCosts('istio-ambient'), ...scenario.simulation.costs } };
  return { scenario: { ...scenario, namespaces, services, pods, waypoints: [...scenario.waypoints, ...waypoints], simulation }, translated, notTranslated };
}
