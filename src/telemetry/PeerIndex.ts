import { declaredPort, defaultTelemetryPolicy, istioProtocolOf, isTcpProxied, serviceSelects, spiffeId, tcpProxiedTargetPorts, waypointKey } from '../model/index.ts';
import { serviceAddress } from './accessLog/addresses.ts';
import type { IstioProtocol, MeshXds, Pod, RouteOrigin, Scenario, Service, TelemetryPolicy } from '../model/index.ts';

/** What Istio's metadata exchange tells one sidecar about a workload (the `source_*` / `destination_*` labels). */
export interface Peer {
  /** Its number among the scenario's pods, from 1 (0 stands for no peer). */
  index: number;
  pod: Pod;
  workload: string;
  namespace: string;
  app: string;
  version: string;
  canonicalService: string;
  canonicalRevision: string;
  principal: string;
  policy: TelemetryPolicy;
  /** A waypoint's Envoy (ambient), not a pod's sidecar. */
  waypoint?: true;
}

/** Istio's `cluster_id` default, what `source_cluster` / `destination_cluster` carry on a single-cluster mesh. */
export const ISTIO_CLUSTER = 'Kubernetes';
export const UNKNOWN = 'unknown';
/** A pod whose sidecar has no TCP-proxy inbound listener. */
const NO_TCP_PORTS: ReadonlySet<number> = new Set<number>();
/** What a cache holds for a cluster without a service. */
const NO_SERVICE: ServiceLabels = { host: '', name: '', namespace: '' };

/**
 * The service an Istio proxy's metrics name (`destination_service`,
 * `destination_service_name`, `destination_service_namespace`): what istiod
 * writes into a cluster's `istio` metadata as `services` (Istio src
 * pilot/pkg/networking/core/cluster_builder.go, `addTelemetryMetadata`:
 * an outbound cluster's the service it was built for, an inbound cluster's
 * every Service of the pod on that port, the first one read), the Service's
 * or ServiceEntry's host, name and namespace (`buildServiceMetadata`; a
 * ServiceEntry's service is named after its host).
 */
export interface ServiceLabels {
  host: string;
  name: string;
  namespace: string;
}

/**
 * Pods by name (and under ambient each waypoint by its key) with their Istio peer labels, computed once. Canonical
 * service and revision follow Istio's label precedence (Istio src
 * `pkg/model/labels.go` via `pkg/config/labels`: `service.istio.io/canonical-name`,
 * then `app.kubernetes.io/name`, then `app`, then the workload name;
 * `service.istio.io/canonical-revision`, then `app.kubernetes.io/version`,
 * then `version`, then `latest`).
 */
export class PeerIndex {
  private readonly peers = new Map<string, Peer>();
  private readonly services = new Map<string, { name: string; namespace: string; clusterIP: string | undefined }>();
  /** The services clusters were built for (istiod's metadata), by host: Services by FQDN, ServiceEntries by their hosts. */
  private readonly clusterServices = new Map<string, ServiceLabels>();
  /** By cluster name, found once: `NO_SERVICE` for a cluster without a service (PassthroughCluster, BlackHoleCluster). */
  private readonly byCluster = new Map<string, ServiceLabels>();
  /** By pod and port, found once: the Service an inbound cluster names (`NO_SERVICE`: none selects the pod there). */
  private readonly inbound = new Map<string, ServiceLabels>();
  /** By host and port: the protocol of the Service's or ServiceEntry's port (null: none declares it). */
  private readonly outboundProtocols = new Map<string, Map<number, IstioProtocol | null>>();
  /** By pod, then container port: whether its sidecar's inbound listener there is a TCP proxy (`NO_TCP_PORTS`: none is). */
  private readonly inboundTcp = new Map<string, ReadonlySet<number>>();
  /** Whether any Service or ServiceEntry port is one Istio proxies as TCP (most meshes have none). */
  readonly hasTcpPorts: boolean;
  private readonly scenarioServices: readonly Service[];
  private readonly externalServices: Scenario['externalServices'];
  private readonly domain: string;
  private readonly defaultPolicy = defaultTelemetryPolicy();

  constructor(
    private readonly scenario: Scenario,
    /** The mesh's compiled config as last pushed. */
    public xds: MeshXds,
  ) {
    for (const pod of scenario.pods) {
      const l = pod.labels;
      this.peers.set(pod.name, {
        index: this.peers.size + 1,
        pod,
        workload: pod.workload,
        namespace: pod.namespace,
        app: l['app'] ?? l['app.kubernetes.io/name'] ?? UNKNOWN,
        version: l['version'] ?? l['app.kubernetes.io/version'] ?? UNKNOWN,
        canonicalService: l['service.istio.io/canonical-name'] ?? l['app.kubernetes.io/name'] ?? l['app'] ?? pod.workload,
        canonicalRevision: l['service.istio.io/canonical-revision'] ?? l['app.kubernetes.io/version'] ?? l['version'] ?? 'latest',
        principal: spiffeId(scenario.mesh.trustDomain, pod.namespace, pod.serviceAccount),
        policy: this.defaultPolicy,
      });
    }
    // A waypoint's pods, by its key: the Deployment Istio makes for the Gateway is named after it, its pods labelled
    // `service.istio.io/canonical-name: <name>` and `canonical-revision: latest` (Istio src
    // manifests/charts/istio-control/istio-discovery/files/waypoint.yaml); meshviz gives them no address.
    for (const w of scenario.waypoints) {
      const key = waypointKey(w.namespace, w.name);
      const labels = { 'gateway.networking.k8s.io/gateway-name': w.name, 'service.istio.io/canonical-name': w.name, 'service.istio.io/canonical-revision': 'latest' };
      const pod = { name: w.name, workload: w.name, namespace: w.namespace, labels, serviceAccount: w.serviceAccount, ip: '', sidecar: false };
      this.peers.set(key, {
        index: this.peers.size + 1,
        pod,
        workload: w.name,
        namespace: w.namespace,
        app: UNKNOWN,
        version: UNKNOWN,
        canonicalService: w.name,
        canonicalRevision: 'latest',
        principal: spiffeId(scenario.mesh.trustDomain, w.namespace, w.serviceAccount),
        policy: this.defaultPolicy,
        waypoint: true,
      });
    }
    const domain = (this.domain = scenario.mesh.clusterDomain);
    for (const s of scenario.services) this.services.set(`${s.name}.${s.namespace}.svc.${domain}`, { name: s.name, namespace: s.namespace, clusterIP: s.clusterIP });
    this.scenarioServices = scenario.services;
    this.externalServices = scenario.externalServices;
    this.hasTcpPorts = [...scenario.services, ...scenario.externalServices].some((s) => s.ports.some((sp) => isTcpProxied(istioProtocolOf(sp))));
    for (const [host, s] of this.services) this.clusterServices.set(host, { host, name: s.name, namespace: s.namespace });
    for (const e of scenario.externalServices) {
      if (e.serviceEntry !== undefined && e.namespace !== undefined) this.clusterServices.set(e.host, { host: e.host, name: e.host, namespace: e.namespace });
    }
    this.applyPolicies();
  }

  /** A pushed config (a timeline change) may bring other Telemetry resources. */
  update(xds: MeshXds): void {
    this.xds = xds;
    this.applyPolicies();
  }

  /** Peers known, plus one: what an array by `Peer.index` needs. */
  get size(): number {
    return this.peers.size + 1;
  }

  get(pod: string | undefined): Peer | undefined {
    return pod === undefined ? undefined : this.peers.get(pod);
  }

  /** A destination service's name and namespace; for a host no Service declares, its first labels. */
  service(host: string): { name: string; namespace: string } {
    const known = this.services.get(host);
    if (known) return known;
    const [name = host, namespace = UNKNOWN] = host.split('.');
    return { name, namespace };
  }

  /**
   * The service of an `outbound|port|subset|host` cluster, as its metadata
   * names it; undefined for istiod's own clusters and for a host no Service
   * or ServiceEntry declares.
   */
  clusterService(cluster: string | undefined): ServiceLabels | undefined {
    if (cluster === undefined) return undefined;
    let found = this.byCluster.get(cluster);
    if (found === undefined) {
      const at = cluster.lastIndexOf('|');
      found = (cluster.startsWith('outbound|') && at > 0 ? this.clusterServices.get(cluster.slice(at + 1)) : undefined) ?? NO_SERVICE;
      this.byCluster.set(cluster, found);
    }
    return found === NO_SERVICE ? undefined : found;
  }

  /**
   * The Service a pod's inbound cluster for `port` (the port the request
   * reached in the pod) names: the first Service, in the order the scenario
   * declares them, whose selector takes the pod and that sends one of its
   * ports there; else the first internal ServiceEntry with the pod among
   * its endpoints (istiod adds none for a MESH_EXTERNAL one).
   */
  inboundService(pod: string, port: number): ServiceLabels | undefined {
    const key = `${pod}:${port}`;
    const known = this.inbound.get(key);
    if (known !== undefined) return known === NO_SERVICE ? undefined : known;
    const p = this.peers.get(pod)?.pod;
    const service = p ? this.scenarioServices.find((s) => serviceSelects(s, p) && s.ports.some((sp) => sp.targetPort === port)) : undefined;
    const entry = service ? undefined : this.externalServices.find((e) => e.meshInternal && e.endpointPods?.includes(pod) && e.ports.some((sp) => sp.targetPort === port));
    const found = service ? this.clusterServices.get(`${service.name}.${service.namespace}.svc.${this.domain}`) : entry ? this.clusterServices.get(entry.host) : undefined;
    this.inbound.set(key, found ?? NO_SERVICE);
    return found;
  }

  /**
   * Whether the client proxy's side of a request is a TCP proxy (Envoy's
   * `tcp_proxy`: no HTTP is parsed, and the istio stats filter reports the
   * connection with Istio's TCP metrics): a gateway's route from a
   * VirtualService's `tls` or `tcp` rule (a PASSTHROUGH or TCP server), or
   * a sidecar's call to a service port whose protocol istiod builds a TCP
   * listener for (`tcpPort`). Waypoints, ztunnels and Linkerd's proxies
   * are not asked.
   */
  clientTcp(proxy: string, host: string, port: number, origin: RouteOrigin | undefined): boolean {
    if (origin?.kind === 'l4Route') return true;
    if (!this.hasTcpPorts) return false;
    const p = this.peers.get(proxy);
    return p !== undefined && p.waypoint !== true && p.pod.gateway !== true && this.tcpPort(host, port);
  }

  /**
   * Whether a sidecar's inbound listener on a pod's container port is a
   * TCP proxy: the port of the pod's first Service (or internal
   * ServiceEntry) that sends there has a protocol istiod does not build an
   * HTTP chain for (`isTcpProxied`). A gateway's pod has no inbound
   * listeners of a sidecar: its servers are its listeners.
   */
  serverTcp(r: { cluster: string | undefined; fromPod: string; host: string; port: number; pod: string }): boolean {
    if (!this.hasTcpPorts) return false;
    let byPort = this.inboundTcp.get(r.pod);
    if (byPort === undefined) this.inboundTcp.set(r.pod, (byPort = this.tcpPortsOf(r.pod)));
    // Most pods have no such port: the port the request reached is then not looked for.
    return byPort !== NO_TCP_PORTS && byPort.has(this.arrivalPort(r));
  }

  /** A pod's container ports whose inbound listener is a TCP proxy (`NO_TCP_PORTS` for none, and for a gateway's pod). */
  private tcpPortsOf(pod: string): ReadonlySet<number> {
    const p = this.peers.get(pod)?.pod;
    const ports = p ? tcpProxiedTargetPorts({ services: this.scenarioServices, externalServices: this.externalServices }, p) : [];
    return ports.length > 0 ? new Set(ports) : NO_TCP_PORTS;
  }

  /**
   * The SNI a TCP proxy's client line shows: through a gateway's
   * PASSTHROUGH server, or from a sidecar on a TLS or HTTPS port (the app's
   * own TLS), the host the client named; none over plain TCP.
   */
  clientSni(host: string, port: number, origin: RouteOrigin | undefined): string {
    if (origin?.kind === 'l4Route') return origin.section === 'tls' ? host : '-';
    const p = this.portProtocol(host, port);
    return p === 'TLS' || p === 'HTTPS' ? host : '-';
  }

  /** Whether a sidecar's outbound listener for a Service's or ServiceEntry's port is a TCP proxy (`isTcpProxied`); a port no one declares is sniffed, and the apps speak HTTP. */
  private tcpPort(host: string, port: number): boolean {
    const p = this.portProtocol(host, port);
    return p !== undefined && isTcpProxied(p);
  }

  /** The protocol of a Service's or ServiceEntry's port, by its host (undefined: no one declares it). */
  private portProtocol(host: string, port: number): IstioProtocol | undefined {
    let byPort = this.outboundProtocols.get(host);
    if (!byPort) this.outboundProtocols.set(host, (byPort = new Map()));
    let protocol = byPort.get(port);
    if (protocol === undefined) {
      const found = declaredPort(this.scenario, host, port);
      byPort.set(port, (protocol = found ? istioProtocolOf(found) : null));
    }
    return protocol ?? undefined;
  }

  /** The port an attempt reached in the callee's pod: its endpoint's in the caller's cluster (or the Service's), else the port dialled. */
  arrivalPort(r: { cluster: string | undefined; fromPod: string; host: string; port: number; pod: string }): number {
    const xds = this.xds;
    const endpoints = (r.cluster ? xds.proxies[r.fromPod]?.clusters[r.cluster]?.endpoints : undefined) ?? xds.kubeServices[`${r.host}:${r.port}`]?.endpoints;
    return endpointPort(endpoints, r.pod) ?? r.port;
  }

  /** The Service's cluster IP as the cluster gave it (a cluster export), else the one meshviz makes from the host. */
  address(host: string): string {
    return this.services.get(host)?.clusterIP ?? serviceAddress(host);
  }

  private applyPolicies(): void {
    const policies = this.xds.telemetry;
    for (const peer of this.peers.values()) peer.policy = policies?.[peer.pod.name] ?? this.defaultPolicy;
  }
}

/** The port of `pod` among a cluster's endpoints, if it is one. */
export function endpointPort(endpoints: ReadonlyArray<{ pod: string; port: number }> | undefined, pod: string): number | undefined {
  if (!endpoints) return undefined;
  for (const e of endpoints) if (e.pod === pod) return e.port;
  return undefined;
}
