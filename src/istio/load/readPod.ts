import type { ObjectMeta, SourcePos } from '../../model/index.ts';
import type { FieldReader } from './FieldReader.ts';
import { readContainerPorts } from './readWorkload.ts';

/** Istio's name for the proxy container (`ProxyContainerName`, Istio src `pkg/kube/inject/inject.go`). */
const PROXY_CONTAINER = 'istio-proxy';
/** The injector's record of what it added (`annotation.SidecarStatus`, read by `injectionStatus` in inject.go). */
const SIDECAR_STATUS = 'sidecar.istio.io/status';
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** A Pod document: a bare Pod manifest, or a pod as the cluster reports it. */
export interface PodDraft {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  serviceAccount: string;
  /** The controller that owns it (`metadata.ownerReferences[controller=true]`), if any. */
  owner?: { kind: string; name: string };
  /**
   * What the cluster reports, when it does (`status.phase` is set): the pod
   * exists, so whether it has a sidecar is a fact, not a decision to make.
   */
  observed?: { phase: string; reason?: string; ip?: string; node?: string; sidecar: boolean; gateway?: true };
  containerPorts: Array<{ name: string; port: number }>;
  source: SourcePos;
}

/**
 * Reads a Pod. A pod from a cluster has a sidecar when the injector left its
 * status annotation or an `istio-proxy` container runs `proxy sidecar` — in
 * `containers`, or in `initContainers` as a native sidecar (inject.go moves
 * it there). A gateway pod's `istio-proxy` runs `proxy router` (Istio src
 * `manifests/charts/istio-control/istio-discovery/files/gateway-injection-template.yaml`,
 * against `proxy sidecar` in `injection-template.yaml`): it is the pod's own
 * proxy, not a sidecar.
 */
export function readPod(meta: ObjectMeta, document: FieldReader, source: SourcePos): PodDraft {
  const spec = document.map('spec');
  const draft: PodDraft = {
    name: meta.name,
    namespace: meta.namespace,
    labels: meta.labels,
    annotations: meta.annotations,
    serviceAccount: spec?.string('serviceAccountName') ?? spec?.string('serviceAccount') ?? 'default',
    containerPorts: readContainerPorts(spec),
    source,
  };
  const owner = document.map('metadata')?.mapItems('ownerReferences').find((ref) => ref.boolean('controller') === true);
  const ownerKind = owner?.string('kind');
  const ownerName = owner?.string('name');
  if (ownerKind !== undefined && ownerName !== undefined) draft.owner = { kind: ownerKind, name: ownerName };
  const status = document.map('status');
  const phase = status?.string('phase');
  if (phase !== undefined) draft.observed = observe(phase, status, spec, meta);
  return draft;
}

function observe(phase: string, status: FieldReader | undefined, spec: FieldReader | undefined, meta: ObjectMeta): NonNullable<PodDraft['observed']> {
  const proxies = [...(spec?.mapItems('containers') ?? []), ...(spec?.mapItems('initContainers') ?? [])].filter(
    (container) => container.string('name') === PROXY_CONTAINER,
  );
  const router = proxies.some((proxy) => proxy.list('args')?.[1]?.value === 'router');
  const sidecar = !router && (meta.annotations[SIDECAR_STATUS] !== undefined || proxies.length > 0);
  const observed: NonNullable<PodDraft['observed']> = { phase, sidecar };
  if (router) observed.gateway = true;
  const reason = status?.string('reason');
  if (reason !== undefined) observed.reason = reason;
  const ip = status?.string('podIP');
  if (ip !== undefined && IPV4.test(ip)) observed.ip = ip;
  const node = spec?.string('nodeName');
  if (node !== undefined) observed.node = node;
  return observed;
}
