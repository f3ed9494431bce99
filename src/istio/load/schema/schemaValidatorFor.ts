import * as extensionsV1alpha1 from '@kubernetes-models/istio/extensions.istio.io/v1alpha1';
import * as networkingV1 from '@kubernetes-models/istio/networking.istio.io/v1';
import * as networkingV1alpha3 from '@kubernetes-models/istio/networking.istio.io/v1alpha3';
import * as networkingV1beta1 from '@kubernetes-models/istio/networking.istio.io/v1beta1';
import * as securityV1 from '@kubernetes-models/istio/security.istio.io/v1';
import * as securityV1beta1 from '@kubernetes-models/istio/security.istio.io/v1beta1';
import * as telemetryV1 from '@kubernetes-models/istio/telemetry.istio.io/v1';
import * as telemetryV1alpha1 from '@kubernetes-models/istio/telemetry.istio.io/v1alpha1';
import { HTTPRoute as HTTPRouteV1 } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute';
import { HTTPRoute as HTTPRouteV1beta1 } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1beta1/HTTPRoute';
import { Gateway as KubeGatewayV1 } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/Gateway';
import { Gateway as KubeGatewayV1beta1 } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1beta1/Gateway';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Pod } from 'kubernetes-models/v1/Pod';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';

/**
 * Checks a whole document (`apiVersion`, `kind`, `metadata`, `spec`) against
 * its schema, throwing a `ValidationError` whose `errors` are ajv errors with
 * JSON-pointer `instancePath`s. Called with the document as `this`, the way
 * the model's own `validate()` runs it.
 */
export type SchemaValidate = (this: unknown) => void;

/** The schema check for one kind in one API version, and how to read its findings. */
export interface SchemaCheck {
  validate: SchemaValidate;
  /** Where the schema comes from, for messages: `Istio CRD` or `Kubernetes API`. */
  schema: string;
  /**
   * Fields the schema requires that meshviz lets a sketch leave out (paths
   * with indices written `[]`): a Deployment without a selector or containers
   * still describes pods for the mesh.
   */
  optional?: RegExp;
}

/**
 * The models `@kubernetes-models/istio` generates from Istio's CRDs
 * (`crd-all.gen.yaml`), by apiVersion. Whole groups: every Istio kind is checked.
 */
const ISTIO: Readonly<Record<string, object>> = {
  'networking.istio.io/v1': networkingV1,
  'networking.istio.io/v1beta1': networkingV1beta1,
  'networking.istio.io/v1alpha3': networkingV1alpha3,
  'security.istio.io/v1': securityV1,
  'security.istio.io/v1beta1': securityV1beta1,
  'telemetry.istio.io/v1': telemetryV1,
  'telemetry.istio.io/v1alpha1': telemetryV1alpha1,
  'extensions.istio.io/v1alpha1': extensionsV1alpha1,
};

/**
 * The models `kubernetes-models` generates from the Kubernetes OpenAPI spec,
 * for the kinds meshviz reads. One module per kind, so the bundle carries
 * only these schemas (a whole group would bring every kind of it).
 */
const KUBERNETES: Readonly<Record<string, object>> = {
  v1: { Namespace, Pod, Service, ServiceAccount },
  'apps/v1': { Deployment, StatefulSet },
};

/**
 * The Gateway API's HTTPRoute and Gateway (`@kubernetes-models/gateway-api`). Linkerd's
 * own `policy.linkerd.io` HTTPRoute follows the Gateway API's, so it is
 * checked against the same schema (its `apiVersion` is the loader's to check).
 */
const GATEWAY: Readonly<Record<string, object>> = {
  'gateway.networking.k8s.io/v1': { HTTPRoute: HTTPRouteV1, Gateway: KubeGatewayV1 },
  'gateway.networking.k8s.io/v1beta1': { HTTPRoute: HTTPRouteV1beta1, Gateway: KubeGatewayV1beta1 },
  'policy.linkerd.io/v1beta1': { HTTPRoute: HTTPRouteV1beta1 },
  'policy.linkerd.io/v1beta2': { HTTPRoute: HTTPRouteV1beta1 },
  'policy.linkerd.io/v1beta3': { HTTPRoute: HTTPRouteV1 },
};

const SKETCH_OPTIONAL = /^spec\.(selector|template|containers|template\.spec\.containers)$/;

/** The schema check for a kind in one API version, if meshviz has its model. */
export function schemaValidatorFor(apiVersion: string, kind: string): SchemaCheck | undefined {
  const istio = modelValidator(ISTIO, apiVersion, kind);
  if (istio) return { validate: istio, schema: 'Istio CRD' };
  const gateway = modelValidator(GATEWAY, apiVersion, kind);
  if (gateway) return { validate: gateway, schema: 'Gateway API' };
  const kubernetes = modelValidator(KUBERNETES, apiVersion, kind);
  return kubernetes ? { validate: kubernetes, schema: 'Kubernetes API', optional: SKETCH_OPTIONAL } : undefined;
}

function modelValidator(table: Readonly<Record<string, object>>, apiVersion: string, kind: string): SchemaValidate | undefined {
  const models = (Object.hasOwn(table, apiVersion) ? table[apiVersion] : undefined) as Record<string, unknown> | undefined;
  if (!models || !Object.hasOwn(models, kind)) return undefined;
  const model = models[kind] as { prototype?: { validate?: unknown } } | undefined;
  const validate = model?.prototype?.validate;
  return typeof validate === 'function' ? (validate as SchemaValidate) : undefined;
}
