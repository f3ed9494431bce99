/**
 * What the loader does with each kind of document. Kinds are looked up by API
 * group and kind (the Kubernetes Gateway API also has a `Gateway`), then the
 * version is checked, so a typo in either is reported instead of skipped in
 * silence.
 */
export type Handling =
  | 'namespace'
  | 'workload'
  /** A Pod: a workload of its own, or (with a controller owner) one of its owner's running pods. */
  | 'pod'
  /** Read only to find which Deployment owns a pod. */
  | 'replicaSet'
  /**
   * Cluster state Kubernetes derives from objects meshviz reads, which meshviz
   * derives the same way (EndpointSlices and Endpoints from Services and pods)
   * or reads from those objects (a pod names its node): understood, not reported.
   */
  | 'derived'
  /** A Node: its topology labels are the locality of the pods on it. */
  | 'node'
  /** A ConfigMap: the mesh config when it is `istio` in `istio-system`, else ignored. */
  | 'configMap'
  /** An IstioOperator: its `spec.meshConfig`. */
  | 'istioOperator'
  | 'serviceEntry'
  | 'sidecar'
  /** An Istio Gateway: the listeners of the gateway proxies its selector matches. */
  | 'gateway'
  | 'service'
  | 'serviceAccount'
  | 'virtualService'
  | 'destinationRule'
  | 'peerAuthentication'
  | 'authorizationPolicy'
  | 'simulation'
  /** Linkerd's kinds (and the Gateway API HTTPRoute Linkerd routes by): read under `flavor: linkerd`. */
  | 'httpRoute'
  /** A Gateway API `Gateway`: under ambient, one of class `istio-waypoint` is a waypoint; any other is ignored (reported). */
  | 'k8sGateway'
  | 'serviceProfile'
  | 'linkerdServer'
  | 'linkerdAuthorizationPolicy'
  | 'meshTLSAuthentication'
  /** A progressive rollout (Flagger's Canary, Argo's Rollout) that `meshviz canary` walks. */
  | 'rollout'
  /** A recognised Istio kind that meshviz keeps but does not simulate yet. */
  | 'otherIstio'
  /** A Kubernetes kind with no effect on the mesh. */
  | 'ignored';

export type KindClass =
  | { kind: 'known'; handling: Handling }
  | { kind: 'unknownKind' }
  | { kind: 'unknownVersion'; supported: string[] };

interface KindRule {
  group: string;
  kinds: readonly string[];
  /** `undefined`: any version (for kinds that are ignored anyway). */
  versions?: readonly string[];
  handling: Handling;
}

const NETWORKING = ['v1', 'v1beta1', 'v1alpha3'];
const SECURITY = ['v1', 'v1beta1'];

const RULES: readonly KindRule[] = [
  { group: '', kinds: ['Namespace'], versions: ['v1'], handling: 'namespace' },
  { group: '', kinds: ['Pod'], versions: ['v1'], handling: 'pod' },
  { group: 'apps', kinds: ['Deployment', 'StatefulSet'], versions: ['v1'], handling: 'workload' },
  { group: '', kinds: ['Service'], versions: ['v1'], handling: 'service' },
  { group: '', kinds: ['ServiceAccount'], versions: ['v1'], handling: 'serviceAccount' },
  { group: 'networking.istio.io', kinds: ['VirtualService'], versions: NETWORKING, handling: 'virtualService' },
  { group: 'networking.istio.io', kinds: ['DestinationRule'], versions: NETWORKING, handling: 'destinationRule' },
  { group: 'security.istio.io', kinds: ['PeerAuthentication'], versions: SECURITY, handling: 'peerAuthentication' },
  { group: 'security.istio.io', kinds: ['AuthorizationPolicy'], versions: SECURITY, handling: 'authorizationPolicy' },
  { group: 'meshviz.dev', kinds: ['Simulation'], versions: ['v1alpha1'], handling: 'simulation' },
  { group: 'gateway.networking.k8s.io', kinds: ['HTTPRoute'], versions: ['v1', 'v1beta1'], handling: 'httpRoute' },
  { group: 'policy.linkerd.io', kinds: ['HTTPRoute'], versions: ['v1beta1', 'v1beta2', 'v1beta3'], handling: 'httpRoute' },
  { group: 'linkerd.io', kinds: ['ServiceProfile'], versions: ['v1alpha2'], handling: 'serviceProfile' },
  { group: 'policy.linkerd.io', kinds: ['Server'], versions: ['v1beta1', 'v1beta2', 'v1beta3'], handling: 'linkerdServer' },
  { group: 'policy.linkerd.io', kinds: ['AuthorizationPolicy'], versions: ['v1alpha1'], handling: 'linkerdAuthorizationPolicy' },
  { group: 'policy.linkerd.io', kinds: ['MeshTLSAuthentication'], versions: ['v1alpha1'], handling: 'meshTLSAuthentication' },
  { group: 'flagger.app', kinds: ['Canary'], versions: ['v1beta1'], handling: 'rollout' },
  { group: 'argoproj.io', kinds: ['Rollout'], versions: ['v1alpha1'], handling: 'rollout' },
  {
    group: 'networking.istio.io',
    kinds: ['WorkloadEntry', 'WorkloadGroup'],
    versions: NETWORKING,
    handling: 'otherIstio',
  },
  { group: 'networking.istio.io', kinds: ['ServiceEntry'], versions: NETWORKING, handling: 'serviceEntry' },
  { group: 'networking.istio.io', kinds: ['Sidecar'], versions: NETWORKING, handling: 'sidecar' },
  { group: 'networking.istio.io', kinds: ['Gateway'], versions: NETWORKING, handling: 'gateway' },
  { group: 'install.istio.io', kinds: ['IstioOperator'], versions: ['v1alpha1'], handling: 'istioOperator' },
  { group: 'networking.istio.io', kinds: ['EnvoyFilter'], versions: ['v1alpha3'], handling: 'otherIstio' },
  { group: 'networking.istio.io', kinds: ['ProxyConfig'], versions: ['v1beta1'], handling: 'otherIstio' },
  { group: 'security.istio.io', kinds: ['RequestAuthentication'], versions: SECURITY, handling: 'otherIstio' },
  { group: 'telemetry.istio.io', kinds: ['Telemetry'], versions: ['v1', 'v1alpha1'], handling: 'otherIstio' },
  { group: 'extensions.istio.io', kinds: ['WasmPlugin'], versions: ['v1alpha1'], handling: 'otherIstio' },
  {
    group: '',
    kinds: ['Secret', 'PersistentVolumeClaim', 'PersistentVolume', 'LimitRange', 'ResourceQuota', 'ReplicationController'],
    handling: 'ignored',
  },
  { group: '', kinds: ['ConfigMap'], versions: ['v1'], handling: 'configMap' },
  { group: 'apps', kinds: ['ReplicaSet'], versions: ['v1'], handling: 'replicaSet' },
  { group: '', kinds: ['Node'], versions: ['v1'], handling: 'node' },
  { group: '', kinds: ['Endpoints', 'Event'], handling: 'derived' },
  { group: 'apps', kinds: ['ControllerRevision'], handling: 'derived' },
  { group: 'discovery.k8s.io', kinds: ['EndpointSlice'], handling: 'derived' },
  { group: 'events.k8s.io', kinds: ['Event'], handling: 'derived' },
  { group: 'coordination.k8s.io', kinds: ['Lease'], handling: 'derived' },
  { group: 'apps', kinds: ['DaemonSet'], handling: 'ignored' },
  { group: 'batch', kinds: ['Job', 'CronJob'], handling: 'ignored' },
  { group: 'autoscaling', kinds: ['HorizontalPodAutoscaler'], handling: 'ignored' },
  { group: 'policy', kinds: ['PodDisruptionBudget'], handling: 'ignored' },
  { group: 'networking.k8s.io', kinds: ['Ingress', 'IngressClass', 'NetworkPolicy'], handling: 'ignored' },
  {
    group: 'rbac.authorization.k8s.io',
    kinds: ['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'],
    handling: 'ignored',
  },
  { group: 'gateway.networking.k8s.io', kinds: ['Gateway'], versions: ['v1', 'v1beta1'], handling: 'k8sGateway' },
  { group: 'gateway.networking.k8s.io', kinds: ['GatewayClass', 'GRPCRoute', 'ReferenceGrant'], handling: 'ignored' },
  // GitOps tools' own objects, found beside the manifests in their repositories.
  { group: 'kustomize.config.k8s.io', kinds: ['Kustomization', 'Component'], handling: 'ignored' },
  { group: 'kustomize.toolkit.fluxcd.io', kinds: ['Kustomization'], handling: 'ignored' },
  { group: 'helm.toolkit.fluxcd.io', kinds: ['HelmRelease'], handling: 'ignored' },
  { group: 'source.toolkit.fluxcd.io', kinds: ['GitRepository', 'HelmRepository', 'OCIRepository', 'Bucket', 'HelmChart'], handling: 'ignored' },
  { group: 'argoproj.io', kinds: ['Application', 'ApplicationSet', 'AppProject'], handling: 'ignored' },
  { group: 'apiextensions.k8s.io', kinds: ['CustomResourceDefinition'], handling: 'ignored' },
  {
    group: 'admissionregistration.k8s.io',
    kinds: ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'],
    handling: 'ignored',
  },
];

/** Classifies a document by its `apiVersion` (`group/version`, or `version` for the core group) and `kind`. */
export function classifyKind(apiVersion: string, kind: string): KindClass {
  const slash = apiVersion.lastIndexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = apiVersion.slice(slash + 1);
  const rules = RULES.filter((rule) => rule.kinds.includes(kind));
  const rule = rules.find((candidate) => candidate.group === group);
  if (rule) {
    if (rule.versions === undefined || rule.versions.includes(version)) return { kind: 'known', handling: rule.handling };
    return { kind: 'unknownVersion', supported: rule.versions.map((v) => (group ? `${group}/${v}` : v)) };
  }
  if (rules.length === 0) return { kind: 'unknownKind' };
  return {
    kind: 'unknownVersion',
    supported: rules.flatMap((r) => (r.versions ?? ['*']).map((v) => (r.group ? `${r.group}/${v}` : v))),
  };
}
