import type { Namespace, Scenario, Service, Waypoint, Workload } from '../../model/index.ts';
import { decideLinkerdProxy, decideSidecar } from '../load/sidecarInjection.ts';
import { WAYPOINT_CLASS, WAYPOINT_FOR } from '../load/readAmbient.ts';
import { LINKERD_ACCESS_LOG } from '../load/readWorkload.ts';
import { placedWorkloads, podDocuments } from './nodeDocuments.ts';

type Plain = Record<string, unknown>;

/** The container image written for every workload: the model keeps no image (apps are simulated). */
export const PLACEHOLDER_IMAGE = 'docker.io/library/busybox:stable';

/**
 * Namespaces that carry labels, and those no resource lives in. A used
 * namespace without labels gets no document: meshviz then assumes it meshed,
 * as it may have for the input (see load/README.md), and workloads that
 * differ say so with their own injection annotation.
 */
export function namespaceDocuments(scenario: Scenario): Plain[] {
  const used = new Set(
    [...scenario.workloads, ...scenario.services, ...scenario.serviceAccounts, ...scenario.waypoints].map((r) => r.namespace)
      .concat([...scenario.virtualServices, ...scenario.destinationRules, ...scenario.peerAuthentications,
        ...scenario.authorizationPolicies, ...scenario.serviceEntries, ...scenario.sidecars, ...scenario.gateways, ...scenario.kubeGateways, ...scenario.otherResources, ...scenario.httpRoutes, ...scenario.linkerd.httpRoutes, ...scenario.linkerd.serviceProfiles,
        ...scenario.linkerd.servers, ...scenario.linkerd.authorizationPolicies, ...scenario.linkerd.meshTLSAuthentications].map((r) => r.metadata.namespace)),
  );
  return scenario.namespaces
    .filter((ns) => hasLabels(ns) || hasAnnotations(ns) || !used.has(ns.name))
    .map((ns) => {
      const metadata: Plain = { name: ns.name };
      if (hasLabels(ns)) metadata['labels'] = sorted(ns.labels);
      if (hasAnnotations(ns)) metadata['annotations'] = sorted(ns.annotations ?? {});
      return { apiVersion: 'v1', kind: 'Namespace', metadata };
    });
}

function hasLabels(ns: Namespace): boolean {
  return Object.keys(ns.labels).length > 0;
}

/** Annotations are kept under Linkerd (`linkerd.io/inject`). */
function hasAnnotations(ns: Namespace): boolean {
  return Object.keys(ns.annotations ?? {}).length > 0;
}

export function serviceAccountDocuments(scenario: Scenario): Plain[] {
  return scenario.serviceAccounts.map((sa) => ({
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: sa.name, namespace: sa.namespace },
  }));
}

export function serviceDocuments(scenario: Scenario): Plain[] {
  return scenario.services.filter((s) => !s.deployedFor).map((service: Service) => {
    const spec: Plain = {};
    if (Object.keys(service.selector).length > 0) spec['selector'] = sorted(service.selector);
    spec['ports'] = service.ports.map((p) => {
      const port: Plain = {};
      if (p.name !== undefined) port['name'] = p.name;
      port['port'] = p.port;
      port['targetPort'] = p.targetPort;
      if (p.protocol !== 'TCP') port['protocol'] = p.protocol;
      if (p.appProtocol !== undefined) port['appProtocol'] = p.appProtocol;
      return port;
    });
    if (service.clusterIP !== undefined) spec['clusterIP'] = service.clusterIP;
    if (service.trafficDistribution !== undefined) spec['trafficDistribution'] = service.trafficDistribution;
    const metadata: Plain = { name: service.name, namespace: service.namespace };
    // Under ambient, `istio.io/use-waypoint` binds the Service to a waypoint.
    if (Object.keys(service.labels ?? {}).length > 0) metadata['labels'] = sorted(service.labels ?? {});
    // Linkerd reads retries, timeouts and failure accrual from a Service's annotations.
    if (Object.keys(service.annotations ?? {}).length > 0) metadata['annotations'] = sorted(service.annotations ?? {});
    return { apiVersion: 'v1', kind: 'Service', metadata, spec };
  });
}

/**
 * Deployments (StatefulSets and bare Pods where the pod names say so) with
 * what the model keeps: replicas, pod labels, service account, and an
 * injection annotation when the namespace alone would decide otherwise.
 */
export function workloadDocuments(scenario: Scenario): Plain[] {
  const exported = new Map<string, Namespace>(namespaceDocuments(scenario).map((doc) => {
    const name = (doc['metadata'] as { name: string }).name;
    return [name, scenario.namespaces.find((ns) => ns.name === name) as Namespace];
  }));
  const placed = placedWorkloads(scenario);
  // What istiod deploys for a Gateway API Gateway is not written: the Gateway brings it back.
  return scenario.workloads.filter((w) => !w.deployedFor).flatMap((workload) => {
    const kind = workloadKind(scenario, workload);
    const pods = placed.has(workload) ? podDocuments(scenario, workload, kind) : [];
    // A bare pod on a node is written as the cluster reports it; a controller's pods follow it.
    if (kind === 'Pod' && pods.length > 0) return pods;
    return [workloadDocument(scenario, exported, workload, kind), ...pods];
  });
}

function workloadDocument(scenario: Scenario, exported: Map<string, Namespace>, workload: Workload, kind: 'Deployment' | 'StatefulSet' | 'Pod'): Plain {
  const annotations: Record<string, string> = {};
  const namespace = exported.get(workload.namespace);
  if (workload.gateway) {
    // A gateway proxy: Istio's gateway injection template (its istio-proxy runs `proxy router`).
    annotations['inject.istio.io/templates'] = 'gateway';
  } else if (scenario.simulation.flavor === 'linkerd') {
    if (decideLinkerdProxy(undefined, namespace) !== workload.sidecar) annotations['linkerd.io/inject'] = workload.sidecar ? 'enabled' : 'disabled';
    // The pod template's access-log format, as written (linkerd-proxy logs only where it is set).
    if (workload.linkerdAccessLog !== undefined) annotations[LINKERD_ACCESS_LOG] = workload.linkerdAccessLog;
  } else {
    // Under ambient the model marks a captured workload as meshed: it has no sidecar of its own, and its labels or namespace say it is captured.
    const sidecar = workload.sidecar && !capturedByZtunnel(scenario, workload);
    if (decideSidecar(undefined, namespace) !== sidecar) annotations['sidecar.istio.io/inject'] = String(sidecar);
  }
  const podSpec: Plain = {};
  if (workload.serviceAccount !== 'default') podSpec['serviceAccountName'] = workload.serviceAccount;
  podSpec['containers'] = [{ name: 'app', image: PLACEHOLDER_IMAGE }];
  const podMeta: Plain = { labels: sorted(workload.labels) };
  if (Object.keys(annotations).length > 0) podMeta['annotations'] = annotations;
  const metadata = { name: workload.name, namespace: workload.namespace };
  if (kind === 'Pod') return { apiVersion: 'v1', kind, metadata: { ...metadata, ...podMeta }, spec: podSpec };
  const spec: Plain = { replicas: workload.replicas, selector: { matchLabels: sorted(workload.labels) } };
  if (kind === 'StatefulSet') spec['serviceName'] = workload.name;
  spec['template'] = { metadata: podMeta, spec: podSpec };
  return { apiVersion: 'apps/v1', kind, metadata: { ...metadata, labels: sorted(workload.labels) }, spec };
}

function capturedByZtunnel(scenario: Scenario, workload: Workload): boolean {
  return scenario.pods.some((p) => p.ambient === true && p.workload === workload.name && p.namespace === workload.namespace);
}

/**
 * The waypoints, as the Gateway API Gateways they were read from: class
 * `istio-waypoint`, the traffic they take as `istio.io/waypoint-for`, and
 * the HBONE listener of Istio's template (its port as read).
 */
export function waypointDocuments(scenario: Scenario): Plain[] {
  return scenario.waypoints.map((w: Waypoint) => ({
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name: w.name, namespace: w.namespace, labels: { [WAYPOINT_FOR]: w.trafficType } },
    spec: { gatewayClassName: WAYPOINT_CLASS, listeners: [{ name: 'mesh', port: w.hbonePort, protocol: 'HBONE' }] },
  }));
}

/** The model keeps no kind; pod names tell: `<name>-0` is a StatefulSet's, a pod named like its workload is bare. */
function workloadKind(scenario: Scenario, workload: Workload): 'Deployment' | 'StatefulSet' | 'Pod' {
  const first = scenario.pods.find((p) => p.workload === workload.name && p.namespace === workload.namespace);
  if (first?.name === `${workload.name}-0`) return 'StatefulSet';
  if (first?.name === workload.name && workload.replicas === 1) return 'Pod';
  return 'Deployment';
}

function sorted(map: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(map).sort().map((key) => [key, map[key] as string]));
}
