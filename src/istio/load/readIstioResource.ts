import type { ObjectMeta, Resource } from '../../model/index.ts';
import { checkShape, type Shape } from './checkShape.ts';
import type { FieldReader } from './FieldReader.ts';
import {
  authorizationPolicyShape,
  destinationRuleShape,
  peerAuthenticationShape,
  virtualServiceShape,
} from './istioShapes.ts';
import type { RawDocument } from './readYamlFile.ts';

export type IstioKind = 'VirtualService' | 'DestinationRule' | 'PeerAuthentication' | 'AuthorizationPolicy';

const SHAPES: Record<IstioKind, { shape: Shape; required: readonly string[] }> = {
  VirtualService: { shape: virtualServiceShape, required: ['hosts'] },
  DestinationRule: { shape: destinationRuleShape, required: ['host'] },
  PeerAuthentication: { shape: peerAuthenticationShape, required: [] },
  AuthorizationPolicy: { shape: authorizationPolicyShape, required: [] },
};

/** Where a resource came from and what it is: the parts every resource shares. */
export interface ResourceHeader {
  apiVersion: string;
  kind: string;
  meta: ObjectMeta;
  order: number;
  raw: RawDocument;
}

/**
 * Reads one of the Istio kinds meshviz simulates. The spec is kept as the
 * YAML gives it; a spec that fails its type check is reported and the
 * resource left out, so everything downstream can trust the model types.
 */
export function readIstioResource<Spec>(
  kind: IstioKind,
  header: ResourceHeader,
  document: FieldReader,
): Resource<Spec> | undefined {
  const { shape, required } = SHAPES[kind];
  const spec = document.map('spec');
  if (document.has('spec') && !spec) return undefined;
  if (!spec && required.length > 0) {
    document.require('spec');
    return undefined;
  }
  const specValue = spec?.value ?? (Object.create(null) as Record<string, unknown>);
  const present = spec ? required.map((field) => spec.require(field)).every(Boolean) : true;
  const typed = checkShape(specValue, shape, 'spec', document.reporter);
  return present && typed ? keptResource<Spec>(header, specValue as Spec) : undefined;
}

/** A resource kept with its spec unchecked (recognised kinds meshviz does not simulate). */
export function keptResource<Spec>(header: ResourceHeader, spec: Spec): Resource<Spec> {
  return {
    apiVersion: header.apiVersion,
    kind: header.kind,
    metadata: header.meta,
    spec,
    order: header.order,
    source: header.raw.source,
    positions: header.raw.positions,
  };
}
