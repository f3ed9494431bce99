import { EXTERNAL, suggest } from '../model/index.ts';
import type { Scenario, Service, Workload } from '../model/index.ts';
import { resolveExternalAddress, resolveServiceAddress } from '../istio/index.ts';
import { ApiError } from './ApiError.ts';

/** What a name typed for a caller or a failing target stands for, as the engine names it. */
export type WorkloadRef = { kind: 'workload'; name: string; namespace: string } | { kind: 'pod'; name: string; workload: string; namespace: string };

/** A caller: a workload or pod, or the outside world. */
export type CallerRef = WorkloadRef | { kind: 'external' };

/** The labels that say which app a pod belongs to, as Kubernetes and Istio read them. */
const APP_LABELS = ['app', 'app.kubernetes.io/name'];

/**
 * Finds the workload a person means by `name`, trying in turn: `external`
 * (when allowed), a Deployment name, a pod name, an app label, then a
 * Service name (the workloads its selector picks). Any of these may carry a
 * `.namespace` suffix. The first kind of name that matches decides; matching
 * several workloads is an error that lists them, and a name nothing matches
 * is one that suggests the nearest known name.
 */
export function resolveWorkload(scenario: Scenario, name: string, options: { role: string; external: true }): CallerRef;
export function resolveWorkload(scenario: Scenario, name: string, options: { role: string }): WorkloadRef;
export function resolveWorkload(scenario: Scenario, name: string, options: { role: string; external?: boolean }): CallerRef {
  if (options.external && name === EXTERNAL) return { kind: 'external' };
  // A service outside the mesh is one pod named after its host, or one per ServiceEntry endpoint, named
  // `<host>-<index>`, whose workload is the host (it can fail, it never calls).
  const outside = scenario.pods.find((p) => p.external && p.name === name.toLowerCase());
  if (outside) return { kind: 'pod', name: outside.name, workload: outside.workload, namespace: outside.namespace };
  const endpoints = scenario.pods.find((p) => p.external && p.workload === name.toLowerCase());
  if (endpoints) return { kind: 'workload', name: endpoints.workload, namespace: endpoints.namespace };
  const found = findWorkload(scenario, name);
  if (found.kind === 'found') return found.ref;
  if (found.kind === 'ambiguous') throw new ApiError(`${options.role}: "${name}" is the ${found.via} of ${found.workloads.length} workloads`, `name one: ${found.workloads.map((w) => qualified(scenario, w)).join(', ')}`);
  const known = [...new Set(scenario.workloads.map((w) => w.name))].sort();
  const near = suggest(name, [...new Set([...known, ...appNames(scenario), ...scenario.services.map((s) => s.name)])]);
  const hint = near ? `did you mean ${near}?` : `workloads: ${known.join(', ')}${options.external ? '; or external' : ''}`;
  throw new ApiError(`${options.role}: no workload, pod, app or service named "${name}"`, hint);
}

type Found = { kind: 'found'; ref: WorkloadRef } | { kind: 'ambiguous'; via: string; workloads: Workload[] } | { kind: 'unknown' };

function findWorkload(scenario: Scenario, name: string): Found {
  for (const [base, namespace] of namespaceReadings(scenario, name)) {
    const inNs = scenario.workloads.filter((w) => namespace === undefined || w.namespace === namespace);
    const pod = scenario.pods.find((p) => p.name === base && (namespace === undefined || p.namespace === namespace));
    const tiers: Array<[string, () => Workload[]]> = [
      ['Deployment name', () => inNs.filter((w) => w.name === base)],
      ['pod', () => inNs.filter((w) => pod !== undefined && w.name === pod.workload && w.namespace === pod.namespace)],
      ['app label', () => inNs.filter((w) => APP_LABELS.some((l) => w.labels[l] === base))],
      ['Service', () => inNs.filter((w) => scenario.services.some((s) => s.name === base && s.namespace === w.namespace && selects(s, w)))],
    ];
    for (const [via, match] of tiers) {
      const workloads = match();
      const only = workloads[0];
      if (workloads.length > 1) return { kind: 'ambiguous', via, workloads };
      if (!only) continue;
      const ref: WorkloadRef = via === 'pod' && pod ? { kind: 'pod', name: pod.name, workload: pod.workload, namespace: pod.namespace } : { kind: 'workload', name: only.name, namespace: only.namespace };
      return { kind: 'found', ref };
    }
  }
  return { kind: 'unknown' };
}

/**
 * The host to dial for a destination typed as `host` (`:port` apart): a
 * Service as an app would dial it (`users`, `users.ns`, the FQDN), or else a
 * workload by any name `resolveWorkload` knows, standing for the one Service
 * in front of it. Checks the port against the Service's ports.
 */
export function resolveDestination(scenario: Scenario, fromNamespace: string, host: string, port: number | undefined, role = '--to'): string {
  const service = resolveServiceAddress(scenario, fromNamespace, host)?.service;
  if (service) return checkPort(service, host, port, role);
  // A host outside the mesh: any port goes (one it has no ServiceEntry port for is the sidecar's to decide).
  if (resolveExternalAddress(scenario, host, port)) return host;
  const found = findWorkload(scenario, host);
  if (found.kind === 'unknown') {
    const services = scenario.services.map((s) => (s.namespace === fromNamespace ? s.name : `${s.name}.${s.namespace}`)).sort();
    const near = suggest(host, services);
    throw new ApiError(`${role}: no service "${host}" reachable from namespace ${fromNamespace}`, near ? `did you mean ${near}?` : `services: ${services.join(', ')}`);
  }
  const workloads = found.kind === 'ambiguous' ? found.workloads : scenario.workloads.filter((w) => isWorkloadOf(w, found.ref));
  const fronts = scenario.services.filter((s) => workloads.some((w) => s.namespace === w.namespace && selects(s, w)));
  const front = fronts[0];
  if (fronts.length === 1 && front) {
    const dialled = front.namespace === fromNamespace ? front.name : `${front.name}.${front.namespace}`;
    // A name DNS cannot hold (`valueOf`: Kubernetes refuses capitals, MV0028) is no address an app can dial.
    if (!resolveServiceAddress(scenario, fromNamespace, dialled)) {
      throw new ApiError(`${role}: the Service in front of "${host}", ${front.name}, cannot be dialled`, 'its name is not a valid DNS name: Kubernetes names are lowercase');
    }
    return checkPort(front, dialled, port, role);
  }
  if (fronts.length === 0) throw new ApiError(`${role}: no Service selects the pods of "${host}"`, 'requests go to a Service; name one, or add one');
  throw new ApiError(`${role}: ${fronts.length} Services select the pods of "${host}"`, `name one: ${fronts.map((s) => s.name).join(', ')}`);
}

function checkPort(service: Service, host: string, port: number | undefined, role: string): string {
  if (port === undefined || service.ports.some((p) => p.port === port)) return host;
  throw new ApiError(`${role}: service ${service.name} has no port ${port}`, `ports: ${service.ports.map((p) => p.port).join(', ')}`);
}

/** `name` as written, then (when its last dot-part is a namespace) as `base` in that namespace. */
function namespaceReadings(scenario: Scenario, name: string): Array<[string, string | undefined]> {
  const dot = name.lastIndexOf('.');
  const namespace = name.slice(dot + 1);
  const known = dot > 0 && scenario.workloads.some((w) => w.namespace === namespace);
  return known ? [[name, undefined], [name.slice(0, dot), namespace]] : [[name, undefined]];
}

function isWorkloadOf(w: Workload, ref: WorkloadRef): boolean {
  return w.name === (ref.kind === 'pod' ? ref.workload : ref.name) && w.namespace === ref.namespace;
}

function selects(service: Service, workload: Workload): boolean {
  const selector = Object.entries(service.selector);
  return selector.length > 0 && selector.every(([k, v]) => workload.labels[k] === v);
}

function qualified(scenario: Scenario, w: Workload): string {
  return scenario.workloads.some((o) => o.name === w.name && o.namespace !== w.namespace) ? `${w.name}.${w.namespace}` : w.name;
}

function appNames(scenario: Scenario): string[] {
  return scenario.workloads.flatMap((w) => APP_LABELS.map((l) => w.labels[l]).filter((v): v is string => v !== undefined));
}

/** The names completion offers: workloads, Services with their ports, and the app labels. */
export function meshNames(scenario: Scenario): { workloads: string[]; services: string[]; apps: string[] } {
  const sorted = (names: string[]): string[] => [...new Set(names)].sort();
  return {
    workloads: sorted(scenario.workloads.map((w) => w.name)),
    services: sorted(scenario.services.flatMap((s) => s.ports.map((p) => `${s.name}:${p.port}`))),
    apps: sorted(appNames(scenario)),
  };
}
