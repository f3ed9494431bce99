import type { ObjectMeta, Resource, Scenario } from '../../model/index.ts';
import { ISTIO_TYPES, orderValue } from './istioFieldOrder.ts';

/** The apiVersion each Istio kind is written in: the stable `v1` where Istio has one. */
const TARGET_VERSION: Readonly<Record<string, string>> = {
  VirtualService: 'networking.istio.io/v1',
  DestinationRule: 'networking.istio.io/v1',
  Gateway: 'networking.istio.io/v1',
  ServiceEntry: 'networking.istio.io/v1',
  Sidecar: 'networking.istio.io/v1',
  WorkloadEntry: 'networking.istio.io/v1',
  WorkloadGroup: 'networking.istio.io/v1',
  PeerAuthentication: 'security.istio.io/v1',
  AuthorizationPolicy: 'security.istio.io/v1',
  RequestAuthentication: 'security.istio.io/v1',
  Telemetry: 'telemetry.istio.io/v1',
};

/** `networking.istio.io/v1beta1` → `networking.istio.io/v1` (kinds without a v1 keep theirs, e.g. EnvoyFilter). */
export function exportedApiVersion(resource: Pick<Resource<unknown>, 'kind' | 'apiVersion'>): string {
  // Only Istio's own groups move to their newest version: Linkerd's AuthorizationPolicy shares a kind name with Istio's.
  return (resource.apiVersion.includes('.istio.io/') ? TARGET_VERSION[resource.kind] : undefined) ?? resource.apiVersion;
}

/** Every Istio resource of the scenario: networking, then security, then the kinds meshviz only keeps; then Linkerd's. */
export function istioResources(scenario: Scenario): Array<Resource<unknown>> {
  return [
    ...scenario.virtualServices,
    ...scenario.destinationRules,
    ...scenario.peerAuthentications,
    ...scenario.authorizationPolicies,
    ...scenario.serviceEntries,
    ...scenario.sidecars,
    // The Istio Gateways istiod makes of a Gateway API Gateway's listeners are not written: the Gateway is, as written.
    ...scenario.gateways.filter((g) => !g.listener),
    ...scenario.otherResources,
    ...scenario.kubeGateways.map((g) => g.document),
    ...scenario.httpRoutes,
    ...scenario.linkerd.httpRoutes,
    ...scenario.linkerd.serviceProfiles,
    ...scenario.linkerd.servers,
    ...scenario.linkerd.authorizationPolicies,
    ...scenario.linkerd.meshTLSAuthentications,
  ];
}

/** One Istio resource as a document with canonical key order (spec fields in proto order). */
export function istioDocument(resource: Resource<unknown>): Record<string, unknown> {
  const document: Record<string, unknown> = {
    apiVersion: exportedApiVersion(resource),
    kind: resource.kind,
    metadata: metadataOf(resource.metadata),
  };
  if (resource.spec !== undefined && resource.spec !== null) document['spec'] = orderValue(resource.spec, specType(resource.kind, resource.apiVersion));
  return document;
}

/**
 * The message type of a kind's spec, when meshviz knows its field order:
 * Istio's kinds only (the Gateway API's Gateway and HTTPRoute share names
 * with Istio messages, not their fields).
 */
export function specType(kind: string, apiVersion: string): string | undefined {
  return apiVersion.includes('.istio.io/') && kind in ISTIO_TYPES ? kind : undefined;
}

/** `name`, `namespace`, then `labels` and `annotations` when there are any, keys sorted. */
export function metadataOf(meta: ObjectMeta): Record<string, unknown> {
  const out: Record<string, unknown> = { name: meta.name, namespace: meta.namespace };
  const sorted = (map: Record<string, string>) => Object.fromEntries(Object.keys(map).sort().map((k) => [k, map[k]]));
  if (Object.keys(meta.labels).length > 0) out['labels'] = sorted(meta.labels);
  if (Object.keys(meta.annotations).length > 0) out['annotations'] = sorted(meta.annotations);
  if (meta.creationTimestamp !== undefined) out['creationTimestamp'] = meta.creationTimestamp;
  return out;
}
