import type { ObjectMeta, Resource } from '../../model/index.ts';
import { isMapping } from './describe.ts';
import type { FieldReader } from './FieldReader.ts';
import type { RawDocument } from './readYamlFile.ts';
import { checkAgainstSchema } from './schema/checkAgainstSchema.ts';
import { checkIstioFields } from './schema/checkIstioFields.ts';
import { schemaValidatorFor } from './schema/schemaValidatorFor.ts';

/**
 * Required fields Istio's admission webhook enforces beyond the CRD schema.
 * A VirtualService may have no hosts: it is then a delegate, which routes
 * only through a root that delegates to it (Istio src
 * pkg/config/validation, `validateVirtualService`, with delegation on by
 * default, PILOT_ENABLE_VIRTUAL_SERVICE_DELEGATE).
 */
const WEBHOOK_REQUIRED: Partial<Record<string, readonly string[]>> = {};
const SPEC_REQUIRED = new Set(['VirtualService', 'DestinationRule']);

/** Where a resource came from and what it is: the parts every resource shares. */
export interface ResourceHeader {
  apiVersion: string;
  kind: string;
  meta: ObjectMeta;
  order: number;
  raw: RawDocument;
}

/**
 * Reads an Istio resource: the whole document is checked against the schema
 * of Istio's CRD for its apiVersion (the models of `@kubernetes-models/istio`),
 * plus what the schema cannot say (durations, Istio's ranges and cross-field
 * rules, deprecated fields). Unknown fields are warnings; a resource with an
 * error is reported and left out, so everything downstream can trust the
 * model types. Null fields are dropped, as the Kubernetes API server would.
 */
export function readIstioResource<Spec>(header: ResourceHeader, document: FieldReader): Resource<Spec> | undefined {
  const schema = schemaValidatorFor(header.apiVersion, header.kind);
  const required = WEBHOOK_REQUIRED[header.kind] ?? [];
  const spec = document.map('spec');
  if (document.has('spec') && !spec) return undefined;
  if (!spec && SPEC_REQUIRED.has(header.kind)) {
    document.require('spec');
    return undefined;
  }
  const present = spec ? required.map((field) => spec.require(field)).every(Boolean) : true;
  const fieldsOk = checkIstioFields(spec?.value, document.reporter);
  const schemaOk = schema ? checkAgainstSchema(schema, document.value, document.reporter) : true;
  if (!present || !fieldsOk || !schemaOk) return undefined;
  return keptResource<Spec>(header, withoutNulls(spec?.value ?? Object.create(null)) as Spec);
}

/** A resource with its spec as read (kinds meshviz keeps but does not simulate). */
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

function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (!isMapping(value)) return value;
  const result = Object.create(null) as Record<string, unknown>;
  for (const [key, item] of Object.entries(value)) if (item !== null) result[key] = withoutNulls(item);
  return result;
}
