import { emptyLinkerdResources, type Flavor, type HTTPRouteSpec, type LinkerdResources, type Resource } from '../../../model/index.ts';
import type { ClassifiedDocument } from '../classifyDocument.ts';
import type { FieldReader } from '../FieldReader.ts';
import { KeepLast } from '../KeepLast.ts';
import type { ResourceHeader } from '../readIstioResource.ts';
import { readHttpRoute } from './readHttpRoute.ts';
import { readLinkerdAuthorizationPolicy, readLinkerdServer, readMeshTLSAuthentication } from './readLinkerdPolicy.ts';
import { readServiceProfile } from './readServiceProfile.ts';

type Reader<Spec> = (header: ResourceHeader, document: FieldReader) => Resource<Spec> | undefined;

/**
 * Linkerd's kinds, read under `flavor: linkerd`. Under another flavor they
 * are reported and left out, but for the Gateway API's HTTPRoute, which
 * Istio routes by too (`readGatewayHttpRoutes`).
 */
export function readLinkerdKinds(documents: readonly ClassifiedDocument[], flavor: Flavor): LinkerdResources {
  const out = emptyLinkerdResources();
  const of = (handling: ClassifiedDocument['handling']) => documents.filter((d) => d.handling === handling);
  if (flavor !== 'linkerd') {
    for (const d of documents) {
      if (!LINKERD_HANDLINGS.has(d.handling)) continue;
      if (d.header.apiVersion.startsWith('gateway.networking.k8s.io/')) continue;
      d.reader.reporter.report('LinkerdKindIgnored', '', { kind: d.header.kind, flavor });
    }
    return out;
  }
  out.httpRoutes = readAll(of('httpRoute'), readHttpRoute);
  out.serviceProfiles = readAll(of('serviceProfile'), readServiceProfile);
  out.servers = readAll(of('linkerdServer'), readLinkerdServer);
  out.authorizationPolicies = readAll(of('linkerdAuthorizationPolicy'), readLinkerdAuthorizationPolicy);
  out.meshTLSAuthentications = readAll(of('meshTLSAuthentication'), readMeshTLSAuthentication);
  return out;
}

/** The Gateway API's HTTPRoutes under Istio (GAMMA); Linkerd's own `policy.linkerd.io` ones are Linkerd's. */
export function readGatewayHttpRoutes(documents: readonly ClassifiedDocument[]): Array<Resource<HTTPRouteSpec>> {
  // Linkerd's own (policy.linkerd.io) are reported by readLinkerdKinds.
  return readAll(documents.filter((d) => d.header.apiVersion.startsWith('gateway.networking.k8s.io/')), readHttpRoute);
}

const LINKERD_HANDLINGS: ReadonlySet<string> = new Set(['httpRoute', 'serviceProfile', 'linkerdServer', 'linkerdAuthorizationPolicy', 'meshTLSAuthentication']);

function readAll<Spec>(documents: ClassifiedDocument[], read: Reader<Spec>): Array<Resource<Spec>> {
  const kept = new KeepLast<Resource<Spec>>();
  for (const d of documents) {
    const resource = read(d.header, d.reader);
    // The two HTTPRoute groups are different kinds to the API server: both may use one name.
    if (resource) kept.add(`${d.header.apiVersion.split('/')[0]}/${d.header.meta.namespace}/${d.header.meta.name}`, resource, d);
  }
  return kept.values();
}
