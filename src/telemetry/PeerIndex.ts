import { defaultTelemetryPolicy, spiffeId, waypointKey } from '../model/index.ts';
import { serviceAddress } from './accessLog/addresses.ts';
import type { MeshXds, Pod, Scenario, TelemetryPolicy } from '../model/index.ts';

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
  private readonly defaultPolicy = defaultTelemetryPolicy();

  constructor(
    scenario: Scenario,
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
    const domain = scenario.mesh.clusterDomain;
    for (const s of scenario.services) this.services.set(`${s.name}.${s.namespace}.svc.${domain}`, { name: s.name, namespace: s.namespace, clusterIP: s.clusterIP });
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

  /** The Service's cluster IP as the cluster gave it (a cluster export), else the one meshviz makes from the host. */
  address(host: string): string {
    return this.services.get(host)?.clusterIP ?? serviceAddress(host);
  }

  private applyPolicies(): void {
    const policies = this.xds.telemetry;
    for (const peer of this.peers.values()) peer.policy = policies?.[peer.pod.name] ?? this.defaultPolicy;
  }
}
