import type { ExternalService, Pod, Scenario, ServiceEntry, ServicePort, WorkloadEntrySpec } from '../../model/index.ts';
import { matchesLabels } from '../../model/index.ts';

/** A pod that stands for an endpoint outside the cluster: the address a ServiceEntry names, or one handed out. */
export interface EndpointPodDraft {
  name: string;
  host: string;
  namespace: string;
  endpoint?: WorkloadEntrySpec;
}

/**
 * The hosts the ServiceEntries declare (wildcards and MESH_INTERNAL ones
 * included), in document order, the first entry naming a host winning as
 * istiod keeps the oldest. Each host's endpoints: its `endpoints` (one pod
 * each, named `<host>-<index>`), or the pods its `workloadSelector` picks in
 * its namespace, or — resolution DNS/NONE without either — the one pod named
 * after the host (istiod turns the host name itself into the endpoint, Istio
 * src `pilot/pkg/serviceregistry/serviceentry/conversion.go`
 * `convertServiceEntryToInstances`). A STATIC entry without either has none.
 */
export function serviceEntryHosts(scenario: Pick<Scenario, 'serviceEntries' | 'pods'>): { services: ExternalService[]; endpoints: EndpointPodDraft[] } {
  const byHost = new Map<string, ExternalService>();
  const endpoints: EndpointPodDraft[] = [];
  for (const entry of [...scenario.serviceEntries].sort((a, b) => a.order - b.order)) {
    const namespace = entry.metadata.namespace;
    for (const raw of entry.spec.hosts ?? []) {
      const host = raw.toLowerCase();
      if (byHost.has(host)) {
        addPorts(byHost.get(host) as ExternalService, entry);
        continue;
      }
      const service: ExternalService = { host, ports: [], dialled: [], pod: host, serviceEntry: `ServiceEntry/${namespace}/${entry.metadata.name}`, namespace };
      if (entry.spec.location === 'MESH_INTERNAL') service.meshInternal = true;
      if (host.startsWith('*.')) service.wildcard = true;
      if (entry.spec.addresses && entry.spec.addresses.length > 0) service.addresses = entry.spec.addresses.map((a) => a.toLowerCase());
      const exportTo = exportedTo(entry);
      if (exportTo) service.exportTo = exportTo;
      addPorts(service, entry);
      const pods = endpointPods(entry, host, scenario.pods, service.wildcard === true);
      if (pods) {
        service.endpointPods = pods.map((p) => p.name);
        if (pods[0]) service.pod = pods[0].name;
        for (const p of pods) if (p.endpoint) endpoints.push({ name: p.name, host, namespace, endpoint: p.endpoint });
      }
      byHost.set(host, service);
    }
  }
  return { services: [...byHost.values()], endpoints };
}

function addPorts(service: ExternalService, entry: ServiceEntry): void {
  for (const port of entry.spec.ports ?? []) {
    if (service.ports.some((p) => p.port === port.number)) continue;
    const declared: ServicePort = { port: port.number, targetPort: port.targetPort ?? port.number, protocol: 'TCP' };
    if (port.name !== undefined) declared.name = port.name;
    // A ServiceEntry names its protocol outright (HTTP, HTTP2, GRPC, TCP…), as a Service's appProtocol does.
    if (port.protocol !== undefined) declared.appProtocol = port.protocol;
    service.ports.push(declared);
  }
}

/** Undefined: the host-named pod; otherwise the endpoints (a new pod per `endpoints` item, or the selected pods). */
function endpointPods(entry: ServiceEntry, host: string, pods: readonly Pod[], wildcard: boolean): Array<{ name: string; endpoint?: WorkloadEntrySpec }> | undefined {
  if (wildcard) return [];
  const selector = entry.spec.workloadSelector?.labels;
  if (selector) return pods.filter((p) => !p.external && p.namespace === entry.metadata.namespace && matchesLabels(selector, p.labels)).map((p) => ({ name: p.name }));
  const listed = entry.spec.endpoints ?? [];
  if (listed.length > 0) return listed.map((endpoint, index) => ({ name: `${host}-${index}`, endpoint }));
  return entry.spec.resolution === 'STATIC' ? [] : undefined;
}

/** `exportTo` with `.` as the entry's namespace; undefined when it reaches every namespace (absent, empty or `*`). */
function exportedTo(entry: ServiceEntry): string[] | undefined {
  const list = entry.spec.exportTo ?? [];
  if (list.length === 0 || list.includes('*')) return undefined;
  return [...new Set(list.map((n) => (n === '.' ? entry.metadata.namespace : n)))];
}

/**
 * An endpoint's tlsMode as istiod reads it (`getTLSModeFromWorkloadEntry`):
 * the `security.istio.io/tlsMode` label, else `istio` when it names a
 * service account, else `disabled`. `istio` means a sidecar answers there.
 */
export function endpointHasSidecar(endpoint: WorkloadEntrySpec): boolean {
  const label = endpoint.labels?.['security.istio.io/tlsMode'];
  return label !== undefined ? label === 'istio' : endpoint.serviceAccount !== undefined && endpoint.serviceAccount !== '';
}
