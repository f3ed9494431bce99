import { EXTERNAL, type ExternalService, type Pod, type Scenario } from '../../model/index.ts';
import { ingressPortFor, ingressPorts, resolveServiceAddress } from '../compile/index.ts';
import { addressMatches } from '../compile/addressMatches.ts';
import { endpointHasSidecar, serviceEntryHosts } from './serviceEntryHosts.ts';

/** Port an app reaches when it dials an outside host without one: plain HTTP. */
const HTTP_PORT = 80;

/**
 * The services outside the mesh the scenario reaches, each simulated by its
 * endpoints' pods (IPs from 203.0.113.0/24, the documentation range of RFC
 * 5737, unless an endpoint names its own): every host a ServiceEntry declares
 * (`serviceEntryHosts`), every host named in the Simulation's `external`, and
 * every host an app or traffic dials that no Service answers and that is
 * written as a name outside the cluster (dotted, not `*.svc…`, not
 * `name.namespace`). A short name no Service answers stays an error
 * (MV0201): it is more likely a typo than a host on the internet. An address
 * a ServiceEntry lists in `addresses` is that entry's host, not one of its own.
 */
export function findExternalServices(scenario: Scenario, named: readonly string[]): { services: ExternalService[]; pods: Pod[] } {
  const declared = serviceEntryHosts(scenario);
  const byHost = new Map<string, ExternalService>(declared.services.map((s) => [s.host, s]));
  const add = (host: string): ExternalService => {
    let found = byHost.get(host);
    if (!found) {
      found = { host, ports: [], dialled: [], pod: host };
      byHost.set(host, found);
    }
    return found;
  };
  for (const host of named) add(host);
  const listening = ingressPorts(scenario);
  const wildcards = declared.services.filter((s) => s.wildcard);
  for (const { host, port, namespace, outside } of dialled(scenario)) {
    // An outside client names what the ingress gateway serves, not a host on the internet.
    if (outside && ingressPortFor(listening, port) !== undefined && !resolveServiceAddress(scenario, namespace, host)) continue;
    const name = host.toLowerCase().replace(/\.$/, '');
    const byAddress = declared.services.find((s) => s.addresses && addressMatches(s.addresses, name));
    if (byAddress) {
      if (port !== undefined && !byAddress.dialled.includes(port)) byAddress.dialled.push(port);
      continue;
    }
    if (!byHost.has(name) && (resolveServiceAddress(scenario, namespace, host) || !looksExternal(scenario, name))) continue;
    const service = add(name);
    const covering = wildcards.find((w) => w.host !== name && name.endsWith(w.host.slice(1)));
    const wanted = port ?? service.ports[0]?.port ?? covering?.ports[0]?.port ?? HTTP_PORT;
    if (!service.dialled.includes(wanted)) service.dialled.push(wanted);
  }
  const services = [...byHost.values()];
  for (const service of services) if (service.ports.length === 0 && service.dialled.length === 0 && !service.wildcard) service.dialled.push(HTTP_PORT);
  const fromEndpoints = new Map(declared.endpoints.map((e) => [e.name, e]));
  let handedOut = 0;
  const pods: Pod[] = [];
  for (const service of services) {
    const names = service.endpointPods ?? [service.pod];
    for (const name of names) {
      const listed = fromEndpoints.get(name);
      if (service.endpointPods && !listed) continue; // a pod of the cluster, picked by a workloadSelector
      const endpoint = listed?.endpoint;
      const address = endpoint?.address;
      const ip = address !== undefined && IPV4.test(address) ? address : `203.0.113.${(handedOut++ % 254) + 1}`;
      pods.push({
        name,
        workload: service.host,
        namespace: service.namespace ?? 'default',
        labels: Object.assign(Object.create(null) as Record<string, string>, endpoint?.labels),
        serviceAccount: endpoint?.serviceAccount ?? 'default',
        ip,
        sidecar: endpoint !== undefined && endpointHasSidecar(endpoint),
        external: true,
      });
    }
  }
  return { services, pods };
}

const IPV4 = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

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
