import { EXTERNAL, type Scenario } from '../../model/index.ts';
import { ingressPortFor, ingressPorts, resolveExternalAddress, resolveServiceAddress } from '../compile/index.ts';
import type { Reporter } from './Reporter.ts';
import type { SimulationRef } from './SimulationRef.ts';

/**
 * Checks that every name the Simulation uses exists among the loaded
 * documents. Runs once all files are read, so documents may come in any order.
 */
export function checkReferences(refs: readonly SimulationRef[], scenario: Scenario, reporter: Reporter): void {
  const namespacesOf = (workload: string): string[] => [
    ...new Set(scenario.workloads.filter((w) => w.name === workload).map((w) => w.namespace)),
  ];
  for (const ref of refs) {
    switch (ref.kind) {
      case 'workload': {
        const namespaces = namespacesOf(ref.name);
        // What a rollout controller makes (a Canary's primary, a Rollout's stable and canary pods; `meshviz canary` makes them) may be given a behaviour before it exists.
        const primary = scenario.rollouts.some((r) => `${r.target}-primary` === ref.name) || scenario.argoRollouts.some((r) => ref.name === `${r.name}-stable` || ref.name === `${r.name}-canary`);
        if (namespaces.length === 0 && !primary) reporter.report('UnknownWorkload', ref.path, { name: ref.name });
        if (namespaces.length > 1) reporter.report('AmbiguousWorkload', ref.path, { name: ref.name, namespaces });
        break;
      }
      case 'pod':
        if (!scenario.pods.some((pod) => pod.name === ref.name)) reporter.report('UnknownPod', ref.path, { name: ref.name });
        break;
      case 'source':
        if (namespacesOf(ref.name).length === 0) reporter.report('UnknownTrafficSource', ref.path, { name: ref.name });
        else if (!scenario.pods.some((pod) => pod.workload === ref.name)) reporter.report('TrafficSourceWithoutPods', ref.path, { name: ref.name });
        break;
      case 'service':
        // An outside client reaches what an ingress gateway listens for; the gateway answers 404 for a host it has no route for.
        if (ref.caller === EXTERNAL && !resolveServiceAddress(scenario, 'default', ref.host) && ingressPortFor(ingressPorts(scenario), ref.port) !== undefined) break;
        checkService(ref, ref.caller === EXTERNAL ? [] : namespacesOf(ref.caller), scenario, reporter);
        break;
      default: {
        const unreachable: never = ref;
        throw new Error(`unknown reference ${JSON.stringify(unreachable)}`);
      }
    }
  }
}

/**
 * Resolves the host the way the engine will (`resolveServiceAddress`: the
 * pod's DNS search path). A client outside the mesh, or a caller that is
 * itself unknown, resolves short names in `default`.
 */
function checkService(
  ref: Extract<SimulationRef, { kind: 'service' }>,
  callerNamespaces: string[],
  scenario: Scenario,
  reporter: Reporter,
): void {
  for (const from of callerNamespaces.length > 0 ? callerNamespaces : ['default']) {
    const service = resolveServiceAddress(scenario, from, ref.host)?.service;
    if (!service && resolveExternalAddress(scenario, ref.host)) continue;
    if (!service) {
      reporter.report('UnknownService', ref.path, { host: ref.host, namespace: from });
    } else if (ref.port !== undefined && !service.ports.some((p) => p.port === ref.port)) {
      const ports = service.ports.map((p) => p.port);
      reporter.report('UnknownServicePort', ref.path, { service: `${service.namespace}/${service.name}`, port: ref.port, ports });
    }
  }
}
