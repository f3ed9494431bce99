import { EXTERNAL, type ExternalService, type Pod, type Scenario, type ServicePort } from '../../model/index.ts';
import { ingressPortFor, ingressPorts, resolveServiceAddress } from '../compile/index.ts';

/** Port an app reaches when it dials an outside host without one: plain HTTP. */
const HTTP_PORT = 80;

/**
 * The services outside the mesh the scenario reaches, each simulated by one
 * pod named after its host (IPs from 203.0.113.0/24, the documentation range
 * of RFC 5737): every host of a ServiceEntry whose location is MESH_EXTERNAL
 * (the API's default), every host named in the Simulation's `external`, and
 * every host an app or traffic dials that no Service answers and that is
 * written as a name outside the cluster (dotted, not `*.svc…`, not
 * `name.namespace`). A short name no Service answers stays an error
 * (MV0201): it is more likely a typo than a host on the internet.
 */
export function findExternalServices(scenario: Scenario, named: readonly string[]): { services: ExternalService[]; pods: Pod[] } {
  const byHost = new Map<string, ExternalService>();
  const add = (host: string): ExternalService => {
    let found = byHost.get(host);
    if (!found) {
      found = { host, ports: [], dialled: [], pod: host };
      byHost.set(host, found);
    }
    return found;
  };
  for (const entry of [...scenario.serviceEntries].sort((a, b) => a.order - b.order)) {
    if (entry.spec.location === 'MESH_INTERNAL') continue;
    const id = `ServiceEntry/${entry.metadata.namespace}/${entry.metadata.name}`;
    for (const raw of entry.spec.hosts ?? []) {
      const host = raw.toLowerCase();
      if (host.includes('*')) continue;
      const service = add(host);
      if (service.serviceEntry === undefined) {
        service.serviceEntry = id;
        service.namespace = entry.metadata.namespace;
      }
      for (const port of entry.spec.ports ?? []) {
        if (service.ports.some((p) => p.port === port.number)) continue;
        const declared: ServicePort = { port: port.number, targetPort: port.targetPort ?? port.number, protocol: 'TCP' };
        if (port.name !== undefined) declared.name = port.name;
        // A ServiceEntry names its protocol outright (HTTP, HTTP2, GRPC, TCP…), as a Service's appProtocol does.
        if (port.protocol !== undefined) declared.appProtocol = port.protocol;
        service.ports.push(declared);
      }
    }
  }
  for (const host of named) add(host);
  const listening = ingressPorts(scenario);
  for (const { host, port, namespace, outside } of dialled(scenario)) {
    // An outside client names what the ingress gateway serves, not a host on the internet.
    if (outside && ingressPortFor(listening, port) !== undefined && !resolveServiceAddress(scenario, namespace, host)) continue;
    const name = host.toLowerCase().replace(/\.$/, '');
    if (!byHost.has(name) && (resolveServiceAddress(scenario, namespace, host) || !looksExternal(scenario, name))) continue;
    const service = add(name);
    const wanted = port ?? service.ports[0]?.port ?? HTTP_PORT;
    if (!service.dialled.includes(wanted)) service.dialled.push(wanted);
  }
  const services = [...byHost.values()];
  for (const service of services) if (service.ports.length === 0 && service.dialled.length === 0) service.dialled.push(HTTP_PORT);
  const pods = services.map((service, index): Pod => ({
    name: service.pod,
    workload: service.host,
    namespace: service.namespace ?? 'default',
    labels: Object.create(null) as Record<string, string>,
    serviceAccount: 'default',
    ip: `203.0.113.${(index % 254) + 1}`,
    sidecar: false,
    external: true,
  }));
  return { services, pods };
}

/** Every host the apps and the traffic dial, with the port and the caller's namespace. */
function dialled(scenario: Scenario): Array<{ host: string; port?: number; namespace: string; outside?: boolean }> {
  const namespaceOf = (workload: string): string => scenario.workloads.find((w) => w.name === workload)?.namespace ?? 'default';
  const calls = Object.entries(scenario.simulation.workloads).flatMap(([workload, app]) =>
    app.calls.map((call) => ({ host: call.host, namespace: namespaceOf(workload), ...(call.port === undefined ? {} : { port: call.port }) })),
  );
  const traffic = scenario.simulation.traffic.map((t) => ({ host: t.host, namespace: namespaceOf(t.from), outside: t.from === EXTERNAL, ...(t.port === undefined ? {} : { port: t.port }) }));
  return [...calls, ...traffic];
}

/** A name DNS would send outside the cluster: dotted, and neither `*.svc[.domain]`, `*.<domain>` nor `name.<namespace>`. */
export function looksExternal(scenario: Pick<Scenario, 'mesh' | 'namespaces'>, host: string): boolean {
  const labels = host.split('.');
  if (labels.length < 2 || labels.includes('svc')) return false;
  if (host.endsWith(`.${scenario.mesh.clusterDomain}`)) return false;
  return !(labels.length === 2 && scenario.namespaces.some((n) => n.name === labels[1]));
}
