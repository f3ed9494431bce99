import type { ArgoRollout, RolloutSpec } from './rollout.ts';
import type { Expectation } from './expectation.ts';
import type { SourcePos } from './diagnostics.ts';
import type {
  AuthorizationPolicy,
  DestinationRule,
  PeerAuthentication,
  Gateway,
  LocalityLbSetting,
  Resource,
  ServiceEntry,
  Sidecar,
  VirtualService,
} from './istio.ts';
import type { CostedMesh, MeshCostOverride } from './flavorCosts.ts';
import type { HTTPRouteSpec, LinkerdResources } from './linkerd.ts';
import type { KubeGateway } from './gatewayApi.ts';
import type { Micros } from './units.ts';

/**
 * The scenario: everything the simulation needs, after loading. Kubernetes
 * objects are reduced to what a mesh cares about; Istio resources keep their
 * API shape; the `Simulation` document is normalized (durations in µs).
 */
export interface Scenario {
  mesh: MeshSettings;
  namespaces: Namespace[];
  workloads: Workload[];
  pods: Pod[];
  services: Service[];
  serviceAccounts: Array<{ name: string; namespace: string }>;
  virtualServices: VirtualService[];
  destinationRules: DestinationRule[];
  peerAuthentications: PeerAuthentication[];
  authorizationPolicies: AuthorizationPolicy[];
  /** Linkerd's kinds (HTTPRoutes, ServiceProfiles, Servers…), read under `flavor: linkerd`. */
  linkerd: LinkerdResources;
  /** Waypoints: Gateway API Gateways of class `istio-waypoint`, read under `flavor: istio-ambient` (§11). */
  waypoints: Waypoint[];
  serviceEntries: ServiceEntry[];
  sidecars: Sidecar[];
  /** The cluster's Nodes, when an export has them: pods on them take their locality (`Pod.node`). */
  nodes: KubeNode[];
  /** Gateway API HTTPRoutes Istio routes by (flavor istio): GAMMA routes whose parent is a Service. */
  httpRoutes: Array<Resource<HTTPRouteSpec>>;
  /**
   * Istio Gateways (`networking.istio.io`): the listeners of the gateway
   * proxies their selectors match; with one per listener of each Gateway API
   * Gateway of `kubeGateways` (marked `listener`), as istiod converts them.
   */
  gateways: Gateway[];
  /** Gateway API Gateways of class `istio`: ingress gateways istiod deploys (`<name>-istio`) and programs. */
  kubeGateways: KubeGateway[];
  /**
   * Services outside the mesh the apps call: the hosts of ServiceEntries
   * with location MESH_EXTERNAL and hosts dialled that no Service or
   * ServiceEntry names. Each is simulated by one pod (`Pod.external`).
   */
  externalServices: ExternalService[];
  /** Other recognised resources (Gateways, WorkloadEntries…): kept, not yet enforced. */
  otherResources: Array<Resource<unknown>>;
  /** Progressive rollouts (Flagger Canaries) to walk step by step (`meshviz canary`). */
  rollouts: RolloutSpec[];
  /** Argo Rollouts with an Istio-routed canary strategy (`meshviz canary`). */
  argoRollouts: ArgoRollout[];
  simulation: SimulationSpec;
}

export interface MeshSettings {
  rootNamespace: string;
  trustDomain: string;
  clusterDomain: string;
  /**
   * What a sidecar does with a host it has no service for (mesh config
   * `outboundTrafficPolicy.mode`): ALLOW_ANY passes it through
   * (PassthroughCluster), REGISTRY_ONLY answers 502 (`block_all`).
   */
  outboundTrafficPolicy: OutboundTrafficPolicy;
  /**
   * Whether sidecars speak HTTP/2 to each other on HTTP ports (mesh config
   * `h2UpgradePolicy`; Istio's default DO_NOT_UPGRADE). A DestinationRule's
   * `connectionPool.http.h2UpgradePolicy` overrides it per destination.
   */
  h2UpgradePolicy: H2UpgradePolicy;
  /**
   * The mesh-wide `localityLbSetting` (mesh config; Istio's default enables
   * locality load balancing with nothing else set). A DestinationRule's own
   * setting replaces it whole (Istio src
   * `pilot/pkg/networking/core/loadbalancer/loadbalancer.go` `GetEffectiveLbSetting`).
   */
  localityLbSetting?: LocalityLbSetting;
}

export type OutboundTrafficPolicy = 'ALLOW_ANY' | 'REGISTRY_ONLY';
export type H2UpgradePolicy = 'DO_NOT_UPGRADE' | 'UPGRADE';

/**
 * An ambient waypoint (§11): a Kubernetes `Gateway` with `gatewayClassName:
 * istio-waypoint`, an Envoy deployment that Services (or a whole namespace)
 * use through the `istio.io/use-waypoint` label.
 */
export interface Waypoint {
  name: string;
  namespace: string;
  /** `spec.listeners[].port` with protocol HBONE (15008 in Istio's waypoint template). */
  hbonePort: number;
  /** Its deployment's service account (Istio names it after the Gateway). */
  serviceAccount: string;
  /**
   * The traffic it takes (`istio.io/waypoint-for` on the Gateway, default
   * `service`): traffic addressed to a Service bound to it (`service`, `all`),
   * to a pod bound to it (`workload`, `all`), or none.
   */
  trafficType: WaypointTrafficType;
  source?: SourcePos;
}

export type WaypointTrafficType = 'service' | 'workload' | 'all' | 'none';

/** A host outside the mesh, as the apps reach it. */
export interface ExternalService {
  /** As dialled and declared: `api.example.com`. */
  host: string;
  /** The ports its ServiceEntry declares (none without one). */
  ports: ServicePort[];
  /** Ports the apps and traffic dial it on. */
  dialled: number[];
  /** The ServiceEntry that declares it (`ServiceEntry/ns/name`), if one does. */
  serviceEntry?: string;
  /** Namespace of that ServiceEntry. */
  namespace?: string;
  /** The pod that stands for it: named after the host, or its first endpoint's. */
  pod: string;
  /**
   * The pods that are its endpoints (`ServiceEntry.endpoints`, or the pods its
   * `workloadSelector` picks); absent: the one pod named after the host.
   * Empty: none (a STATIC entry without endpoints, a wildcard host).
   */
  endpointPods?: string[];
  /** `MESH_INTERNAL`: its endpoints are in the mesh (auto-mTLS applies); absent: MESH_EXTERNAL. */
  meshInternal?: true;
  /** A wildcard host (`*.example.com`, resolution NONE): the hosts dialled under it reach their own address. */
  wildcard?: true;
  /** Its ServiceEntry's `addresses` (IPs or CIDR blocks): dialling one reaches this host. */
  addresses?: string[];
  /** Namespaces its ServiceEntry is exported to (`exportTo`, `.` resolved); absent: every namespace. */
  exportTo?: string[];
}

/** A Node of a cluster export: its name and labels (where the topology labels say its region and zone). */
export interface KubeNode {
  name: string;
  labels: Record<string, string>;
}

export interface Namespace {
  name: string;
  labels: Record<string, string>;
  /** Read for `linkerd.io/inject`; absent for a namespace without a document. */
  annotations?: Record<string, string>;
}

/** A Deployment: a template for `replicas` identical pods. */
export interface Workload {
  name: string;
  namespace: string;
  /** Labels of the pod template (what Service selectors and DR subsets match). */
  labels: Record<string, string>;
  serviceAccount: string;
  replicas: number;
  /** Whether its pods get an Envoy sidecar (injection label / annotation), or under ambient, whether they are captured by their node's ztunnel. */
  sidecar: boolean;
  /** Its pods are a gateway proxy (an Envoy and nothing else, `proxy router`), not an app. */
  gateway?: true;
  /** Under `flavor: linkerd`, its pod template's `config.linkerd.io/access-log` annotation as written. */
  linkerdAccessLog?: string;
  /**
   * Deployed by istiod for a Gateway API Gateway (`Gateway/<ns>/<name>`), as
   * no manifest had it: export leaves it out (the Gateway brings it back).
   */
  deployedFor?: string;
  source?: SourcePos;
}

export interface Pod {
  /** Stable generated name, e.g. `users-v1-7d4b9c8f6-x2k9p`. */
  name: string;
  workload: string;
  namespace: string;
  labels: Record<string, string>;
  serviceAccount: string;
  ip: string;
  sidecar: boolean;
  /** The node it runs on (`spec.nodeName`), when a cluster export says; under ambient every meshed pod has one (`Simulation.spec.nodes`). */
  node?: string;
  /**
   * Ambient mode (`istio.io/dataplane-mode: ambient` on its namespace): no
   * sidecar; its node's ztunnel carries its traffic (`sidecar` is then true:
   * the pod is meshed, with an identity and mTLS).
   */
  ambient?: true;
  /** Stands for a service outside the mesh (`Scenario.externalServices`); its workload is the host. */
  external?: true;
  /**
   * A gateway proxy: the pod is an Envoy running `proxy router` (Istio's
   * gateway injection template), with no app and no sidecar; the Gateways
   * whose selector matches it give it its listeners.
   */
  gateway?: true;
}

export interface ServicePort {
  name?: string;
  port: number;
  targetPort: number;
  protocol: 'TCP' | 'UDP' | 'SCTP';
  appProtocol?: string;
}

export interface Service {
  name: string;
  namespace: string;
  selector: Record<string, string>;
  ports: ServicePort[];
  /** `spec.clusterIP` when the document gives one (a cluster export does); absent for a headless Service and in hand-written scenarios. */
  clusterIP?: string;
  /** Linkerd reads retries, timeouts and failure accrual from a Service's annotations (§10). */
  annotations?: Record<string, string>;
  /** Kept under ambient, where `istio.io/use-waypoint` on a Service binds it to a waypoint (§11). */
  labels?: Record<string, string>;
  /** Deployed by istiod for a Gateway API Gateway (`Gateway/<ns>/<name>`): export leaves it out. */
  deployedFor?: string;
  /**
   * `spec.trafficDistribution` (`PreferClose`, `PreferSameZone`, `PreferSameNode`): under ambient
   * the ztunnels prefer close endpoints (`istio/compile/ambient/ztunnelLocality.ts`).
   */
  trafficDistribution?: string;
  source?: SourcePos;
  /** Field positions of its document (kept under Linkerd, whose annotations diagnostics point at). */
  positions?: Record<string, SourcePos>;
}

// ---------------------------------------------------------------------------
// The Simulation document (meshviz.dev/v1alpha1), normalized.

/**
 * The meshes meshviz simulates: Istio with Envoy sidecars, Linkerd with its
 * Rust proxy, Istio's ambient mode (a ztunnel per node, optional waypoints).
 */
export const FLAVORS = ['istio', 'linkerd', 'istio-ambient'] as const;

export type Flavor = (typeof FLAVORS)[number];

export function isFlavor(text: string): text is Flavor {
  return (FLAVORS as readonly string[]).includes(text);
}

export interface SimulationSpec {
  name: string;
  flavor: Flavor;
  seed: number;
  /** App behaviour per Deployment name (and per external host, from `spec.external`). Workloads not listed get `defaultApp()`. */
  workloads: Record<string, AppBehaviour>;
  traffic: TrafficSpec[];
  timeline: TimelineEntry[];
  /** Conditions the run must meet (`meshviz simulate` checks them). */
  expect: Expectation[];
  costs: CostModel;
  /** Figures of the mesh cost table (`MESH_COSTS`) this scenario sets, by mesh (`compare`, the visualizer's cost table). */
  meshCosts?: Partial<Record<CostedMesh, MeshCostOverride>>;
  controlPlane: ControlPlaneSettings;
  /**
   * Under ambient: how many nodes the pods a manifest does not place
   * (`spec.nodeName`) are spread over, round robin in pod order; each node
   * runs one ztunnel. Absent: 2.
   */
  nodes?: number;
}

/** How istiod behaves in the simulation. */
export interface ControlPlaneSettings {
  /** Time from a config change to its arrival at every proxy (debounce + push). */
  pushDelay: Micros;
}

export const DEFAULT_CONTROL_PLANE: ControlPlaneSettings = { pushDelay: 100_000 };

export type LatencyDist =
  | { kind: 'fixed'; value: Micros }
  /** Log-normal fitted so that its median and 99th percentile are these. */
  | { kind: 'lognormal'; p50: Micros; p99: Micros };

export interface AppBehaviour {
  latency: LatencyDist;
  /** Fraction of inbound requests the app answers with 500, drawn per request. */
  errorRate: number;
  calls: CallSpec[];
  /** Whether the app copies trace headers onto its downstream calls. */
  propagateTraceHeaders: boolean;
  /** Other inbound headers the app copies onto its calls (Bookinfo forwards `end-user`). Lower-case. */
  propagateHeaders: string[];
}

/** One downstream call an app makes for each request it serves. */
export interface CallSpec {
  /** As the app dials it: a short name, `name.namespace`, or an FQDN. */
  host: string;
  /** Port dialled; undefined means the service's only (or first) port. */
  port?: number;
  path: string;
  method: string;
  headers: Record<string, string>;
  /** The app's own timeout for this call; undefined: wait forever. */
  timeout?: Micros;
  /** The app's own retries (immediate, no back-off) after a failure. */
  retries: number;
  onFailure: 'fail' | 'continue';
  /** Issued together with the other parallel calls instead of after the previous call. */
  parallel: boolean;
  /** Where the call is written in the Simulation document (for diagnostics). */
  source?: SourcePos;
}

export type TrafficLoad =
  /** Open loop: requests start at a fixed rate whatever happens to earlier ones. */
  | { kind: 'open'; rps: number; duration: Micros }
  /** Closed loop (fortio -c N -n M -qps 0): N connections, M requests in all, each connection sends its next request when the previous one ends. */
  | { kind: 'closed'; connections: number; requests: number };

export interface TrafficSpec {
  name: string;
  /** A Deployment name, or `external` for a client outside the mesh. */
  from: string;
  host: string;
  port?: number;
  path: string;
  method: string;
  headers: Record<string, string>;
  load: TrafficLoad;
  /** When this traffic starts. */
  start: Micros;
  /** An outside client that presents a client certificate (asked for by a gateway server in MUTUAL mode). */
  clientCertificate?: boolean;
}

/** How a pod can be made to fail: the timeline's `fail` modes, `--fail` on the CLI, the visualizer's health tags. */
export const FAILURE_MODES = ['503', '500', 'reset', 'refuse', 'hang', 'slow'] as const;

export type FailureMode = (typeof FAILURE_MODES)[number];

export function isFailureMode(text: string): text is FailureMode {
  return (FAILURE_MODES as readonly string[]).includes(text);
}

export type FailureTarget = { workload: string } | { pod: string };

export type TimelineAction =
  | { kind: 'fail'; target: FailureTarget; mode: FailureMode; delay?: Micros }
  | { kind: 'recover'; target: FailureTarget }
  /** A full resource, as a document would give it; the control plane recompiles and pushes. */
  | { kind: 'apply'; document: Record<string, unknown>; path: string }
  | { kind: 'delete'; resource: { kind: string; name: string; namespace: string } }
  /** istiod goes away (proxies keep their last config; certificates are not renewed) or comes back. */
  | { kind: 'controlPlane'; up: boolean };

export interface TimelineEntry {
  at: Micros;
  action: TimelineAction;
}

/**
 * What time things take that are not the app's own work. Defaults come from
 * Istio's published per-hop figures (mesh-semantics §12): about 2.7 ms p90
 * added by two sidecars, request and response together.
 */
export interface CostModel {
  /** One pass through a sidecar (or an ambient waypoint, also Envoy), in one direction. */
  proxyProcessing: Micros;
  /** One pass through an ambient ztunnel, in one direction (see `AMBIENT_ZTUNNEL_PASS`). */
  ztunnelProcessing: Micros;
  /** App ↔ its own sidecar over localhost. */
  loopback: Micros;
  /** One-way network latency between pods. */
  wire: Micros;
  /** TCP handshake cost on a new connection (one round trip). */
  tcpHandshake: Micros;
  /** Extra cost of the TLS handshake on a new mTLS connection. */
  tlsHandshake: Micros;
}

export const DEFAULT_COSTS: CostModel = {
  proxyProcessing: 600,
  // Istio publishes no ztunnel latency (§12); its CPU per request is 0.06/0.20 of a sidecar's (Istio 1.24): 600 µs × 0.3.
  ztunnelProcessing: 180,
  loopback: 50,
  wire: 100,
  tcpHandshake: 200,
  tlsHandshake: 1_000,
};

export function defaultApp(): AppBehaviour {
  return {
    latency: { kind: 'fixed', value: 5_000 },
    errorRate: 0,
    calls: [],
    propagateTraceHeaders: true,
    propagateHeaders: [],
  };
}

/** The pseudo-workload name for a client outside the mesh. */
export const EXTERNAL = 'external';
