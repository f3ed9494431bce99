import type { EndpointXds, Pod, Scenario, Service, ServicePort } from '../../model/index.ts';
import type { HostResolver } from './HostResolver.ts';
import { LabelIndex } from './LabelIndex.ts';
import { matchesLabels } from '../../model/index.ts';

export interface IndexedService {
  service: Service;
  fqdn: string;
  /** Pods the Service selector picks, in scenario order. */
  pods: Pod[];
  /** A ServiceEntry host with location MESH_INTERNAL (auto-mTLS applies), or MESH_EXTERNAL (it does not). */
  location?: 'MESH_INTERNAL' | 'MESH_EXTERNAL';
  /** Namespaces that see it (a ServiceEntry's `exportTo`); absent: every namespace. */
  exportTo?: ReadonlySet<string>;
  /**
   * A wildcard ServiceEntry host (resolution NONE): an ORIGINAL_DST cluster
   * whose endpoints are the hosts dialled under it, each at its own address.
   */
  covers?: Array<{ host: string; pod: Pod }>;
}

/** The mesh's services by FQDN, with the pods behind each. */
export interface ServiceIndex {
  /** In scenario order. */
  readonly all: IndexedService[];
  get(fqdn: string): IndexedService | undefined;
  /**
   * Endpoints of one service port: the selected pods (optionally narrowed by
   * subset labels), each at the port's targetPort. The unfiltered list is
   * cached and shared; callers must not mutate it.
   */
  endpoints(entry: IndexedService, port: ServicePort, subsetLabels?: Record<string, string>): EndpointXds[];
}

export function buildServiceIndex(scenario: Scenario, hosts: HostResolver): ServiceIndex {
  const podsByLabel = new LabelIndex(scenario.pods, (pod) => pod.namespace, (pod) => pod.labels);

  const all: IndexedService[] = scenario.services.map((service) => ({
    service,
    fqdn: hosts.fqdn(service.name, service.namespace),
    // A Service without a selector gets no endpoints from Kubernetes.
    pods: podsByLabel.select(service.namespace, service.selector),
  }));
  // A ServiceEntry's ports are services of the registry like any other; its endpoints' pods stand for it.
  const podByName = new Map(scenario.pods.map((p) => [p.name, p]));
  for (const external of scenario.externalServices) {
    if (external.serviceEntry === undefined || external.ports.length === 0) continue;
    const names = external.endpointPods ?? [external.pod];
    const pods = names.flatMap((name) => podByName.get(name) ?? []);
    const namespace = external.namespace ?? 'default';
    const service: Service = { name: external.host, namespace, selector: Object.create(null) as Record<string, string>, ports: external.ports };
    const indexed: IndexedService = { service, fqdn: external.host, pods, location: external.meshInternal ? 'MESH_INTERNAL' : 'MESH_EXTERNAL' };
    if (external.exportTo) indexed.exportTo = new Set(external.exportTo);
    if (external.wildcard) indexed.covers = coveredHosts(scenario, external.host, podByName);
    all.push(indexed);
  }
  const byFqdn = new Map<string, IndexedService>();
  for (const entry of all) if (!byFqdn.has(entry.fqdn)) byFqdn.set(entry.fqdn, entry);

  const cache = new Map<string, EndpointXds[]>();
  const toEndpoints = (pods: Pod[], port: ServicePort): EndpointXds[] =>
    pods.map((pod) => ({ pod: pod.name, address: pod.ip, port: port.targetPort, sidecar: pod.sidecar }));
  // Under a wildcard host each endpoint is the address a dialled name resolves to, found by that name (ORIGINAL_DST).
  const entryEndpoints = (entry: IndexedService, port: ServicePort): EndpointXds[] =>
    entry.covers
      ? entry.covers.map(({ host, pod }) => ({ pod: pod.name, address: pod.ip, port: port.targetPort, sidecar: pod.sidecar, dialled: `${host}:${port.port}` }))
      : toEndpoints(entry.pods, port);

  return {
    all,
    get: (fqdn) => byFqdn.get(fqdn),
    endpoints(entry, port, subsetLabels) {
      if (subsetLabels) return toEndpoints(entry.pods.filter((pod) => matchesLabels(subsetLabels, pod.labels)), port);
      const key = `${entry.fqdn}:${port.port}`;
      let list = cache.get(key);
      if (!list) {
        list = entryEndpoints(entry, port);
        cache.set(key, list);
      }
      return list;
    },
  };
}

/** The hosts outside the mesh a wildcard (`*.example.com`) covers, with the pod each stands for. */
function coveredHosts(scenario: Scenario, wildcard: string, podByName: ReadonlyMap<string, Pod>): Array<{ host: string; pod: Pod }> {
  const suffix = wildcard.slice(1);
  return scenario.externalServices.flatMap((e) => {
    const pod = e.wildcard || !e.host.endsWith(suffix) ? undefined : podByName.get(e.pod);
    return pod ? [{ host: e.host, pod }] : [];
  });
}
