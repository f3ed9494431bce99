import type { ObjectMeta, SourcePos } from '../../model/index.ts';
import type { FieldReader } from './FieldReader.ts';
import { readLabels } from './readMetadata.ts';
import { podInjectionOpinion } from './sidecarInjection.ts';

/** meshviz simulates every pod; this keeps a typo like `replicas: 10000` from exhausting memory. */
export const MAX_REPLICAS = 1_000;

export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'Pod';

/** A workload as its document says it; the sidecar is decided once all Namespaces are known. */
export interface WorkloadDraft {
  kind: WorkloadKind;
  name: string;
  namespace: string;
  /** Pod template labels (for a bare Pod: its own labels). */
  labels: Record<string, string>;
  serviceAccount: string;
  replicas: number;
  /** The pod's own injection label or annotation, if it has one. */
  inject: boolean | undefined;
  /** Its `linkerd.io/inject` annotation, as written (read under `flavor: linkerd`). */
  linkerdInject: string | undefined;
  /** Its `config.linkerd.io/access-log` annotation, as written (read under `flavor: linkerd`). */
  linkerdAccessLog?: string;
  /** Its pods are a gateway proxy (`inject.istio.io/templates: gateway`, or the cluster reports `proxy router`). */
  gateway: boolean;
  /** Named container ports, for Services whose `targetPort` is a name. */
  containerPorts: Array<{ name: string; port: number }>;
  source: SourcePos;
  /** The running pods the cluster reports for it, when the files hold any of its pods. */
  pods?: ObservedPod[];
  /** Made by istiod for this Gateway API Gateway (`Gateway/<ns>/<name>`), not read from a document. */
  deployedFor?: string;
}

/** A running pod as the cluster reports it. */
export interface ObservedPod {
  name: string;
  labels: Record<string, string>;
  serviceAccount: string;
  /** `status.podIP`; one is handed out when the export has none. */
  ip?: string;
  /** `spec.nodeName`. */
  node?: string;
  sidecar: boolean;
  /** Its `istio-proxy` runs `proxy router`: a gateway. */
  gateway?: true;
}

/**
 * Istio's gateway injection: a pod annotated `inject.istio.io/templates:
 * gateway` gets the `gateway` template, whose `istio-proxy` runs `proxy
 * router` (Istio docs, "Installing Gateways", and
 * `manifests/charts/istio-control/istio-discovery/files/gateway-injection-template.yaml`).
 */
const INJECT_TEMPLATES = 'inject.istio.io/templates';

/** linkerd2 `pkg/k8s/labels.go` `ProxyAccessLogAnnotation`: the proxy injector turns it into `LINKERD2_PROXY_ACCESS_LOG`. */
export const LINKERD_ACCESS_LOG = 'config.linkerd.io/access-log';

/** Where the pod template's annotations are in a workload's document. */
export function podAnnotationsPath(kind: WorkloadKind): string {
  return kind === 'Pod' ? 'metadata.annotations' : 'spec.template.metadata.annotations';
}

/** Reads a Deployment, StatefulSet or bare Pod document. */
export function readWorkload(kind: WorkloadKind, meta: ObjectMeta, document: FieldReader, source: SourcePos): WorkloadDraft {
  const spec = document.map('spec');
  const bare = kind === 'Pod';
  const template = bare ? undefined : spec?.map('template');
  const podMeta = template?.map('metadata');
  const labels = bare ? meta.labels : readLabels(podMeta, 'labels');
  const annotations = bare ? meta.annotations : readLabels(podMeta, 'annotations');
  const podSpec = bare ? spec : template?.map('spec');
  return {
    kind,
    name: meta.name,
    namespace: meta.namespace,
    labels,
    serviceAccount: podSpec?.string('serviceAccountName') ?? podSpec?.string('serviceAccount') ?? 'default',
    replicas: bare ? 1 : readReplicas(spec),
    inject: podInjectionOpinion(labels, annotations),
    linkerdInject: annotations['linkerd.io/inject'],
    ...(annotations[LINKERD_ACCESS_LOG] !== undefined ? { linkerdAccessLog: annotations[LINKERD_ACCESS_LOG] } : {}),
    gateway: (annotations[INJECT_TEMPLATES] ?? '').split(',').some((t) => t.trim() === 'gateway'),
    containerPorts: readContainerPorts(podSpec),
    source,
  };
}

function readReplicas(spec: FieldReader | undefined): number {
  const replicas = spec?.integer('replicas', { min: 0 }) ?? 1;
  if (replicas <= MAX_REPLICAS) return replicas;
  spec?.reporter.report('ReplicasOverLimit', spec.pathOf('replicas'), { replicas, limit: MAX_REPLICAS });
  return MAX_REPLICAS;
}

export function readContainerPorts(podSpec: FieldReader | undefined): Array<{ name: string; port: number }> {
  const containers = podSpec?.mapItems('containers') ?? [];
  return containers.flatMap((container) =>
    container.mapItems('ports').flatMap((port) => {
      const name = port.string('name');
      const number = port.integer('containerPort', { min: 1, max: 65535 });
      return name !== undefined && number !== undefined ? [{ name, port: number }] : [];
    }),
  );
}
