import type { EndpointXds, Pod, Scenario, Service, ServicePort } from '../../model/index.ts';
import type { HostResolver } from './HostResolver.ts';
import { LabelIndex } from './LabelIndex.ts';
import { matchesLabels } from './matchesLabels.ts';

export interface IndexedService {
  service: Service;
  fqdn: string;
  /** Pods the Service selector picks, in scenario order. */
  pods: Pod[];
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
  // A ServiceEntry's ports are services of the registry like any other; the pod named after the host stands for it.
  for (const external of scenario.externalServices) {
    if (external.serviceEntry === undefined || external.ports.length === 0) continue;
    const pod = scenario.pods.find((p) => p.external && p.name === external.pod);
    const namespace = external.namespace ?? 'default';
    const service: Service = { name: external.host, namespace, selector: Object.create(null) as Record<string, string>, ports: external.ports };
    all.push({ service, fqdn: external.host, pods: pod ? [pod] : [] });
  }
  const byFqdn = new Map<string, IndexedService>();
  for (const entry of all) if (!byFqdn.has(entry.fqdn)) byFqdn.set(entry.fqdn, entry);

  const cache = new Map<string, EndpointXds[]>();
  const toEndpoints = (pods: Pod[], port: ServicePort): EndpointXds[] =>
    pods.map((pod) => ({ pod: pod.name, address: pod.ip, port: port.targetPort, sidecar: pod.sidecar }));

  return {
    all,
    get: (fqdn) => byFqdn.get(fqdn),
    endpoints(entry, port, subsetLabels) {
      if (subsetLabels) return toEndpoints(entry.pods.filter((pod) => matchesLabels(subsetLabels, pod.labels)), port);
      const key = `${entry.fqdn}:${port.port}`;
      let list = cache.get(key);
      if (!list) {
        list = toEndpoints(entry.pods, port);
        cache.set(key, list);
      }
      return list;
    },
  };
}
