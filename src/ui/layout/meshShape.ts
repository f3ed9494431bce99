import type { Session } from '../../api/index.ts';
import { EXTERNAL } from '../../model/index.ts';

export interface PodShape {
  name: string;
  workload: string;
  namespace: string;
  version?: string;
  labels: Record<string, string>;
  /** Whether a proxy takes its requests: a sidecar, or (for a gateway) the pod's own Envoy. */
  sidecar: boolean;
  /** Ambient (§11): carried by its node's ztunnel, no sidecar. */
  ambient?: boolean;
  node?: string;
  /** A gateway proxy: an Envoy and no app; `egress` when its routes send to hosts outside the mesh (ServiceEntries). */
  gateway?: 'ingress' | 'egress';
}

/** An ambient waypoint, drawn as its own card; `hosts` are the groups (Service ids) it serves. */
export interface WaypointShape {
  /** Its key in the compiled config and in events: `waypoint/<ns>/<name>`. */
  key: string;
  label: string;
  groups: string[];
}

/** A box of pods on screen: the pods a Service selects (unless an earlier box shows them all), or a Deployment no Service selects. */
export interface GroupShape {
  id: string;
  label: string;
  namespace: string;
  kind: 'service' | 'workload';
  /** `fqdn` of the Service, for matching what callers dial. */
  host?: string;
  ports: number[];
  pods: PodShape[];
  /** A Service in front of gateway proxies: the host and port an outside client sends to reach a route of theirs. */
  ingress?: { host: string; port: number; /** The client's TLS ends at the gateway (an HTTPS server, tls SIMPLE or MUTUAL). */ tls: boolean };
}

export interface MeshShape {
  groups: GroupShape[];
  /** Ambient: the nodes that run a ztunnel (nodes with meshed pods), in order. */
  nodes?: string[];
  waypoints?: WaypointShape[];
  /** Who calls whom (group ids; `external` for clients outside the mesh). */
  edges: Array<{ from: string; to: string }>;
}

/**
 * What the picture needs from a session: pods grouped by the Service that
 * selects them (membership read from the compiled kube-proxy view) and the
 * call graph from the apps' declared calls and the scenario's traffic.
 */
export function meshShapeOf(session: Session): MeshShape {
  const { scenario, xds } = session;
  const domain = scenario.mesh.clusterDomain;
  const podsByName = new Map(scenario.pods.map((p) => [p.name, p]));
  const groupOfPod = new Map<string, string>();
  const groups: GroupShape[] = [];
  // Each Service's pods, by host, from every port's entry (one pass, not one per Service).
  const podsOfHost = new Map<string, Set<string>>();
  for (const entry of Object.values(xds.kubeServices)) {
    let members = podsOfHost.get(entry.host);
    if (!members) podsOfHost.set(entry.host, (members = new Set()));
    for (const ep of entry.endpoints) members.add(ep.pod);
  }
  for (const service of scenario.services) {
    const host = `${service.name}.${service.namespace}.svc.${domain}`;
    const id = `${service.namespace}/${service.name}`;
    const members = podsOfHost.get(host) ?? new Set<string>();
    const pods = [...members].filter((p) => !groupOfPod.has(p) && podsByName.has(p)).sort();
    // A Service whose pods an earlier Service's box already shows (Linkerd's per-version Services behind a split) gets no empty box.
    if (pods.length === 0 && members.size > 0) continue;
    pods.forEach((p) => groupOfPod.set(p, id));
    groups.push({ id, label: service.name, namespace: service.namespace, kind: 'service', host, ports: service.ports.map((p) => p.port), pods: pods.map((p) => shape(podsByName.get(p) as (typeof scenario.pods)[number])) });
  }
  const workloadGroups = new Map<string, GroupShape>();
  for (const pod of scenario.pods) {
    if (groupOfPod.has(pod.name)) continue;
    const id = `${pod.namespace}/${pod.workload} (no Service)`;
    let group = workloadGroups.get(id);
    if (!group) {
      groups.push((group = { id, label: pod.workload, namespace: pod.namespace, kind: 'workload', ports: [], pods: [] }));
      workloadGroups.set(id, group);
    }
    group.pods.push(shape(pod));
    groupOfPod.set(pod.name, id);
  }
  const groupOfHost = new Map(groups.filter((g) => g.host).map((g) => [g.host as string, g.id]));
  // A host outside the mesh is drawn as the card of the pod that stands for it.
  for (const external of scenario.externalServices) {
    const group = groupOfPod.get(external.pod);
    if (group) groupOfHost.set(external.host, group);
  }
  const firstPodOf = new Map<string, string>();
  for (const pod of scenario.pods) if (!firstPodOf.has(pod.workload)) firstPodOf.set(pod.workload, pod.name);
  const workloadGroup = (workload: string) => {
    const pod = firstPodOf.get(workload);
    return pod === undefined ? undefined : groupOfPod.get(pod);
  };
  const edges = new Map<string, { from: string; to: string }>();
  const link = (from: string | undefined, to: string | undefined) => {
    if (from && to && from !== to) edges.set(`${from}>${to}`, { from, to });
  };
  const addEdge = (from: string | undefined, namespace: string, host: string, port?: number, outside = false, caller?: string) => {
    const target = session.resolve(namespace, host, port, outside);
    // A call the caller's sidecar routes to a gateway's Service (an egress gateway) goes through that gateway's card.
    const via = target && caller ? gatewayHops(xds, caller, target.host, target.port, groupOfPod) : [];
    if (via.length > 0) {
      for (const hop of via) {
        link(from, hop.gateway);
        for (const service of hop.destinations) link(hop.gateway, groupOfHost.get(service));
      }
      return;
    }
    if (!target?.ingress) return link(from, target ? groupOfHost.get(target.host) : undefined);
    // An outside client enters through the gateway; the gateway calls what its routes for the host name.
    for (const pod of target.ingress) {
      const gateway = groupOfPod.get(pod);
      link(from, gateway);
      for (const service of gatewayDestinations(xds.proxies[pod]?.virtualHosts ?? {}, target.port)) link(gateway, groupOfHost.get(service));
    }
  };
  for (const workload of scenario.workloads) {
    const caller = scenario.pods.find((p) => p.workload === workload.name && p.sidecar)?.name;
    for (const call of scenario.simulation.workloads[workload.name]?.calls ?? []) addEdge(workloadGroup(workload.name), workload.namespace, call.host, call.port, false, caller);
  }
  for (const traffic of scenario.simulation.traffic) {
    const external = traffic.from === EXTERNAL;
    const namespace = external ? 'default' : (scenario.workloads.find((w) => w.name === traffic.from)?.namespace ?? 'default');
    addEdge(external ? EXTERNAL : workloadGroup(traffic.from), namespace, traffic.host, traffic.port, external);
  }
  const externalHosts = new Set(scenario.externalServices.map((e) => e.host));
  for (const group of groups) {
    const gateway = group.pods.find((p) => p.gateway);
    if (!gateway) continue;
    const virtualHosts = xds.proxies[gateway.name]?.virtualHosts ?? {};
    const outward = Object.values(virtualHosts).some((v) => gatewayDestinations(virtualHosts, v.port).some((h) => externalHosts.has(h)));
    if (!outward) {
      group.ingress = ingressOf(xds.proxies[gateway.name], group.ports);
      continue;
    }
    for (const pod of group.pods) if (pod.gateway) pod.gateway = 'egress';
  }
  const ambient = ambientShape(session, groups);
  return { groups: groups.filter((g) => g.pods.length > 0 || g.kind === 'service'), edges: [...edges.values()], ...ambient };
}

function shape(pod: Session['scenario']['pods'][number]): PodShape {
  const base = { name: pod.name, workload: pod.workload, namespace: pod.namespace, version: pod.labels.version, labels: pod.labels };
  if (pod.gateway) return { ...base, sidecar: true, gateway: 'ingress' };
  return pod.ambient ? { ...base, sidecar: pod.sidecar, ambient: true, ...(pod.node === undefined ? {} : { node: pod.node }) } : { ...base, sidecar: pod.sidecar };
}

/** Under ambient: the ztunnels' nodes and the waypoints with the Service groups bound to them (read from the compiled config). */
function ambientShape(session: Session, groups: GroupShape[]): Pick<MeshShape, 'nodes' | 'waypoints'> {
  const { scenario, xds } = session;
  const nodes = [...new Set(scenario.pods.filter((p) => p.ambient && p.node !== undefined).map((p) => p.node as string))].sort();
  if (nodes.length === 0) return {};
  const boundTo = new Map<string, string>();
  for (const proxy of Object.values(xds.proxies)) for (const [host, key] of Object.entries(proxy.ztunnel?.waypoints ?? {})) boundTo.set(host, key);
  const waypoints = Object.values(xds.proxies)
    .filter((p) => p.waypoint)
    .map((p) => ({ key: p.pod, label: `${p.waypoint?.namespace}/${p.waypoint?.name}`, groups: groups.filter((g) => g.host !== undefined && boundTo.get(g.host) === p.pod).map((g) => g.id) }));
  return { nodes, waypoints };
}

/**
 * What an outside client sends to reach a gateway's first virtual host: its
 * domain (`www.<domain>` for a wildcard) on the Service port in front of its
 * server. Undefined for a gateway with no route.
 */
function ingressOf(proxy: Session['xds']['proxies'][string] | undefined, servicePorts: number[]): GroupShape['ingress'] {
  const vhost = Object.values(proxy?.virtualHosts ?? {})[0];
  const server = proxy?.gateway?.servers.find((s) => s.port === vhost?.port);
  if (!vhost || !server) return undefined;
  const host = vhost.host === '*' ? 'www.example.com' : vhost.host.startsWith('*.') ? `www${vhost.host.slice(1)}` : vhost.host;
  const tls = server.tls === 'SIMPLE' || server.tls === 'MUTUAL' || server.tls === 'OPTIONAL_MUTUAL';
  return { host, port: server.clientPorts.find((p) => servicePorts.includes(p)) ?? server.port, tls };
}

/**
 * The gateways a caller's sidecar sends `host:port` to (its route's clusters
 * whose endpoints are gateway pods), each with the services the gateway's
 * own routes for that host send on to.
 */
function gatewayHops(xds: Session['xds'], caller: string, host: string, port: number, groupOfPod: ReadonlyMap<string, string>): Array<{ gateway: string; destinations: string[] }> {
  const hops: Array<{ gateway: string; destinations: string[] }> = [];
  for (const route of xds.proxies[caller]?.virtualHosts[`${host}:${port}`]?.routes ?? []) {
    if (route.action.kind !== 'route') continue;
    for (const { cluster } of route.action.clusters) {
      const gatewayPod = (xds.proxies[caller]?.clusters[cluster]?.endpoints ?? []).map((e) => xds.proxies[e.pod]).find((p) => p?.gateway);
      const gateway = gatewayPod ? groupOfPod.get(gatewayPod.pod) : undefined;
      if (!gatewayPod || !gateway || hops.some((h) => h.gateway === gateway)) continue;
      const vhosts = Object.fromEntries(Object.entries(gatewayPod.virtualHosts).filter(([, v]) => v.host === host));
      hops.push({ gateway, destinations: [...new Set(Object.values(vhosts).flatMap((v) => gatewayDestinations(vhosts, v.port)))] });
    }
  }
  return hops;
}

/** The services a gateway's routes on a port send to (the hosts of their clusters). */
function gatewayDestinations(virtualHosts: Session['xds']['proxies'][string]['virtualHosts'], port: number): string[] {
  const hosts = new Set<string>();
  for (const vhost of Object.values(virtualHosts)) {
    if (vhost.port !== port) continue;
    for (const route of vhost.routes) {
      if (route.action.kind !== 'route') continue;
      for (const { cluster } of route.action.clusters) hosts.add(cluster.split('|')[3] ?? '');
    }
  }
  return [...hosts];
}
