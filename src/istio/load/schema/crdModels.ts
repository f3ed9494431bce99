import * as extensionsV1alpha1 from '@kubernetes-models/istio/extensions.istio.io/v1alpha1';
import * as networkingV1 from '@kubernetes-models/istio/networking.istio.io/v1';
import * as networkingV1alpha3 from '@kubernetes-models/istio/networking.istio.io/v1alpha3';
import * as networkingV1beta1 from '@kubernetes-models/istio/networking.istio.io/v1beta1';
import * as securityV1 from '@kubernetes-models/istio/security.istio.io/v1';
import * as securityV1beta1 from '@kubernetes-models/istio/security.istio.io/v1beta1';
import * as telemetryV1 from '@kubernetes-models/istio/telemetry.istio.io/v1';
import * as telemetryV1alpha1 from '@kubernetes-models/istio/telemetry.istio.io/v1alpha1';

/**
 * Checks a whole document (`apiVersion`, `kind`, `metadata`, `spec`) against
 * the schema of Istio's CRD, throwing a `ValidationError` whose `errors` are
 * ajv errors with JSON-pointer `instancePath`s. Called with the document as
 * `this`, the way the model's own `validate()` runs it.
 */
export type CrdValidate = (this: unknown) => void;

/** The models `@kubernetes-models/istio` generates from Istio's CRDs (`crd-all.gen.yaml`), by apiVersion. */
const MODELS: Readonly<Record<string, object>> = {
  'networking.istio.io/v1': networkingV1,
  'networking.istio.io/v1beta1': networkingV1beta1,
  'networking.istio.io/v1alpha3': networkingV1alpha3,
  'security.istio.io/v1': securityV1,
  'security.istio.io/v1beta1': securityV1beta1,
  'telemetry.istio.io/v1': telemetryV1,
  'telemetry.istio.io/v1alpha1': telemetryV1alpha1,
  'extensions.istio.io/v1alpha1': extensionsV1alpha1,
};

/** The CRD schema check for an Istio kind in one API version, if the models have it. */
export function crdValidatorFor(apiVersion: string, kind: string): CrdValidate | undefined {
  const models = MODELS[apiVersion] as Record<string, unknown> | undefined;
  if (!models || !Object.hasOwn(models, kind)) return undefined;
  const model = models[kind] as { prototype?: { validate?: unknown } } | undefined;
  const validate = model?.prototype?.validate;
  return typeof validate === 'function' ? (validate as CrdValidate) : undefined;
}
