import { Simulation } from '../engine/index.ts';
import { waypointKey } from '../model/index.ts';
import type { ClusterXds, MeshXds, Micros, Pod, ProxyXds, Scenario } from '../model/index.ts';
import { listenerRows } from './envoyView/listenerRows.ts';
import type { ProxyConfigListener } from './envoyView/listenerRows.ts';
import { routeRows } from './envoyView/routeRows.ts';
import type { ProxyConfigRoute } from './envoyView/routeRows.ts';
export type { ProxyConfigListener, ProxyConfigRoute };
export type { ProxyConfigTable } from '../model/index.ts';
import { ApiError } from './ApiError.ts';
import { createReconfigure } from './reconfigure.ts';
import { resolveWorkload } from './resolveWorkload.ts';
import type { Session } from './Session.ts';

export interface ProxyConfigCluster {
  serviceFqdn: string;
  port: number | undefined;
  subset: string | undefined;
  direction: 'outbound' | 'inbound' | undefined;
  type: 'EDS' | 'STATIC' | 'ORIGINAL_DST';
  /** `name.namespace` of the DestinationRule for the host, as istioctl prints it. */
  destinationRule: string | undefined;
}

export interface ProxyConfigEndpoint {
  endpoint: string;
  status: 'HEALTHY';
  /** Envoy's outlier detection state of the host at `at`: FAILED while ejected. */
  outlierCheck: 'OK' | 'FAILED';
  cluster: string;
}

export interface ProxyConfig {
  pod: string;
  namespace: string;
  /** The instant the outlier state is read at (µs of simulated time); 0 before any traffic. */
  at: Micros;
  clusters: ProxyConfigCluster[];
  listeners: ProxyConfigListener[];
  routes: ProxyConfigRoute[];
  endpoints: ProxyConfigEndpoint[];
}

/**
 * Envoy's view of one sidecar or gateway, from the compiled config, in the
 * shape `istioctl proxy-config` prints it: clusters by Envoy's names
 * (`outbound|9080|v1|reviews.default.svc.cluster.local`), listeners
 * (`0.0.0.0:9080` → route `9080`), the route configs' virtual hosts and
 * routes, and the endpoints with their outlier state after `at` of the
 * scenario's traffic. `pod` is a pod, Deployment, app or Service name as
 * `send --from` takes it (a workload stands for its first pod).
 */
export function proxyConfig(session: Session, pod: string, options: { at?: Micros; seed?: number } = {}): ProxyConfig {
  const chosen = podOf(session.scenario, pod);
  const at = options.at ?? 0;
  const { scenario, xds, ejected } = stateAt(session, chosen.name, at, options.seed);
  const proxy = xds.proxies[chosen.name];
  if (!proxy) throw new ApiError(`POD: ${chosen.name} has no Envoy: it has no sidecar, so its app's traffic leaves without one`, 'name a pod with a sidecar, or a gateway pod');
  if (proxy.dataPlane === 'linkerd-proxy') throw new ApiError(`POD: ${chosen.name} runs linkerd-proxy, not Envoy: proxy-config shows Envoy's config`, 'use it on an Istio scenario');
  if (proxy.dataPlane === 'ztunnel') throw new ApiError(`POD: ${chosen.name} is in an ambient namespace: its node's ztunnel carries its traffic (istioctl ztunnel-config)`, 'name a pod with a sidecar, or a gateway pod');
  const inboundPorts = [...new Set(Object.values(xds.kubeServices).flatMap((s) => s.endpoints.filter((e) => e.pod === chosen.name).map((e) => e.port)))].sort((a, b) => a - b);
  return {
    pod: chosen.name,
    namespace: chosen.namespace,
    at,
    clusters: clusterRows(scenario, proxy, inboundPorts),
    listeners: listenerRows(scenario, proxy, inboundPorts),
    routes: routeRows(scenario, chosen.namespace, proxy),
    endpoints: endpointRows(proxy, ejected),
  };
}

function podOf(scenario: Scenario, name: string): Pod {
  // An ambient waypoint is an Envoy too, but meshviz gives it no pod: say so rather than that nothing has the name.
  const waypoint = scenario.waypoints.find((w) => name === w.name || name === `${w.namespace}/${w.name}` || name === waypointKey(w.namespace, w.name));
  if (waypoint && !scenario.pods.some((p) => p.name === name || p.workload === name)) {
    throw new ApiError(
      `POD: ${waypoint.namespace}/${waypoint.name} is a waypoint, which meshviz simulates without a pod of its own, so proxy-config cannot show its Envoy`,
      "send --explain shows a waypoint's listener, filter chain, route config and cluster for a request through it",
    );
  }
  const ref = resolveWorkload(scenario, name, { role: 'POD' });
  const pod = ref.kind === 'pod' ? scenario.pods.find((p) => p.name === ref.name) : scenario.pods.find((p) => p.workload === ref.name && p.namespace === ref.namespace);
  if (!pod) throw new ApiError(`POD: the workload ${ref.name} has no pod`, 'scale it up in the scenario');
  return pod;
}

/**
 * The proxies after `at` of the scenario's traffic and timeline: the config
 * they run then (the timeline's changes that reached them by then, after
 * istiod's push delay) with the scenario it was compiled from, and
 * `cluster|endpoint` for every endpoint the sidecar `pod` has ejected.
 */
function stateAt(session: Session, pod: string, at: Micros, seed: number | undefined): { scenario: Scenario; xds: MeshXds; ejected: Set<string> } {
  const ejected = new Set<string>();
  if (at <= 0) return { scenario: session.scenario, xds: session.xds, ejected };
  const compiledFrom = new Map<MeshXds, Scenario>([[session.xds, session.scenario]]);
  const reconfigure = createReconfigure(session.files, session.scenario, (scenario, xds) => compiledFrom.set(xds, scenario));
  const sim = new Simulation({ scenario: session.scenario, xds: session.xds, resolve: session.resolve, seed, reconfigure });
  sim.scheduleScenario();
  sim.runUntil(at);
  for (const cluster of sim.clusters(pod)) for (const e of cluster.endpoints) if (e.ejected) ejected.add(`${cluster.name}|${e.pod}`);
  const xds = sim.config;
  return { scenario: compiledFrom.get(xds) ?? session.scenario, xds, ejected };
}

function clusterRows(scenario: Scenario, proxy: ProxyXds, inboundPorts: number[]): ProxyConfigCluster[] {
  const outbound = Object.values(proxy.clusters).map((c): ProxyConfigCluster => {
    if (c.originalDestination) return { serviceFqdn: c.name, port: undefined, subset: undefined, direction: undefined, type: 'ORIGINAL_DST', destinationRule: undefined };
    return { serviceFqdn: c.host, port: c.port, subset: c.subset, direction: 'outbound', type: c.endpoints.length === 0 && c.name === 'BlackHoleCluster' ? 'STATIC' : 'EDS', destinationRule: destinationRuleOf(scenario, c) };
  });
  const inbound = inboundPorts.map((port): ProxyConfigCluster => ({ serviceFqdn: '', port, subset: undefined, direction: 'inbound', type: 'ORIGINAL_DST', destinationRule: undefined }));
  // Istio's own fixed clusters, on every sidecar.
  const fixed: ProxyConfigCluster[] = [
    { serviceFqdn: 'BlackHoleCluster', port: undefined, subset: undefined, direction: undefined, type: 'STATIC', destinationRule: undefined },
    { serviceFqdn: 'InboundPassthroughCluster', port: undefined, subset: undefined, direction: undefined, type: 'ORIGINAL_DST', destinationRule: undefined },
  ];
  if (!outbound.some((c) => c.serviceFqdn === 'PassthroughCluster')) fixed.push({ serviceFqdn: 'PassthroughCluster', port: undefined, subset: undefined, direction: undefined, type: 'ORIGINAL_DST', destinationRule: undefined });
  const rows = [...inbound, ...outbound.filter((c) => c.serviceFqdn !== 'BlackHoleCluster'), ...fixed];
  return rows.sort((a, b) => order(a).localeCompare(order(b)) || (a.port ?? 0) - (b.port ?? 0) || (a.subset ?? '').localeCompare(b.subset ?? ''));
}

/** istioctl's order: inbound first (no FQDN), then by FQDN; Istio's fixed clusters sort by their names among them. */
function order(c: ProxyConfigCluster): string {
  return c.direction === 'inbound' ? '' : c.serviceFqdn;
}

function destinationRuleOf(scenario: Scenario, cluster: ClusterXds): string | undefined {
  const dr = scenario.destinationRules.find((d) => fqdn(scenario, d.spec.host, d.metadata.namespace) === cluster.host);
  return dr ? `${dr.metadata.name}.${dr.metadata.namespace}` : undefined;
}

/** A host as written in a resource of `namespace`, as the FQDN Istio resolves it to (short names are Services there). */
function fqdn(scenario: Scenario, host: string, namespace: string): string {
  if (host.includes('.')) {
    const parts = host.split('.');
    // `name.namespace` and `name.namespace.svc` are Services too.
    if (parts.length === 2 || (parts.length === 3 && parts[2] === 'svc')) return `${parts[0]}.${parts[1]}.svc.${scenario.mesh.clusterDomain}`;
    return host;
  }
  return `${host}.${namespace}.svc.${scenario.mesh.clusterDomain}`;
}

function endpointRows(proxy: ProxyXds, ejected: ReadonlySet<string>): ProxyConfigEndpoint[] {
  return Object.values(proxy.clusters)
    .filter((c) => !c.originalDestination)
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((c) =>
      c.endpoints.map((e) => ({
        endpoint: `${e.address}:${e.port}`,
        status: 'HEALTHY' as const,
        outlierCheck: ejected.has(`${c.name}|${e.pod}`) ? ('FAILED' as const) : ('OK' as const),
        cluster: c.name,
      })),
    );
}
