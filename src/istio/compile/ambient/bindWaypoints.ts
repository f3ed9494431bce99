import { waypointKey, waypointName } from '../../../model/index.ts';
import type { Diagnostic, Scenario, Waypoint } from '../../../model/index.ts';
import { diagnostic } from '../../catalog.ts';
import type { ServiceIndex } from '../ServiceIndex.ts';

/** The label that binds a Service (or every Service of a namespace) to a waypoint (istio.io `docs/ambient/usage/waypoint`). */
export const USE_WAYPOINT = 'istio.io/use-waypoint';
/** Names the waypoint's namespace when it is not the Service's own. */
export const USE_WAYPOINT_NAMESPACE = 'istio.io/use-waypoint-namespace';
/** Sends an ingress gateway's traffic for the Service through its waypoint (Istio src pilot/pkg/serviceregistry/ambient/services.go). */
export const INGRESS_USE_WAYPOINT = 'istio.io/ingress-use-waypoint';
/** Go's `strconv.ParseBool` true values, as istiod reads the label. */
const GO_TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
/** The label's field path, as the loader writes paths (`metadata.labels["istio.io/use-waypoint"]`). */
const LABEL_PATH = `metadata.labels[${JSON.stringify(USE_WAYPOINT)}]`;

export interface WaypointBinding {
  /** Service FQDN → its waypoint's `waypointKey`. */
  byHost: Map<string, string>;
  /** `waypointKey` → the waypoint. */
  waypoints: Map<string, Waypoint>;
  /** Bound Services whose ingress traffic istiod sends through their waypoint (`istio.io/ingress-use-waypoint`: a gateway's clusters for them carry the waypoint, `gatewayClusters`; MV0707 says what of it is simplified). */
  ingress: Set<string>;
  diagnostics: Diagnostic[];
}

/**
 * Which waypoint each Service's traffic goes through (§11): the Service's
 * own `istio.io/use-waypoint` label, else its namespace's; `none` opts a
 * Service out of its namespace's waypoint. The waypoint is looked up in
 * `istio.io/use-waypoint-namespace` (same place as the label), else in the
 * Service's namespace. A name that is no waypoint is reported and binds
 * nothing (istiod sets the Service's `istio.io/WaypointBound` condition to
 * False, which istioctl reports as IST0171); so does a waypoint whose
 * `istio.io/waypoint-for` is `workload` or `none` (Istio src
 * `pilot/pkg/serviceregistry/ambient/waypoints.go`, `fetchWaypointForService`:
 * only `service` and `all` take Service traffic).
 *
 * Pods bound by their own label to a waypoint that takes workload traffic
 * are reported too (MV0706): ztunnel sends through a workload's waypoint only
 * traffic addressed to the pod itself, and a call addressed to a Service
 * takes the Service's waypoint or none (ztunnel src `src/proxy/outbound.rs`,
 * `build_request`) — every call meshviz simulates addresses a Service.
 */
export function bindWaypoints(scenario: Scenario, services: ServiceIndex): WaypointBinding {
  const waypoints = new Map(scenario.waypoints.map((w) => [waypointKey(w.namespace, w.name), w]));
  const namespaces = new Map(scenario.namespaces.map((n) => [n.name, n]));
  const byHost = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  const reported = new Set<string>();
  const ingress = new Set<string>();
  for (const entry of services.all) {
    const service = entry.service;
    const ownLabels = service.labels ?? {};
    const nsLabels = namespaces.get(service.namespace)?.labels ?? {};
    const fromService = ownLabels[USE_WAYPOINT] !== undefined;
    const labels = fromService ? ownLabels : nsLabels;
    const name = labels[USE_WAYPOINT];
    if (name === undefined || name === 'none') continue;
    const namespace = labels[USE_WAYPOINT_NAMESPACE] ?? service.namespace;
    const key = waypointKey(namespace, name);
    const at = fromService ? `Service/${service.namespace}/${service.name}` : `Namespace/${service.namespace}`;
    const waypoint = waypoints.get(key);
    if (waypoint && (waypoint.trafficType === 'service' || waypoint.trafficType === 'all')) {
      byHost.set(entry.fqdn, key);
      // istiod: the Service's own label, else its namespace's (`ingressUseWaypointFromLabels`).
      const ingressFromService = ownLabels[INGRESS_USE_WAYPOINT] !== undefined;
      const ingressValue = ingressFromService ? ownLabels[INGRESS_USE_WAYPOINT] : nsLabels[INGRESS_USE_WAYPOINT];
      if (ingressValue !== undefined && GO_TRUE.has(ingressValue)) {
        ingress.add(entry.fqdn);
        const where = ingressFromService ? `Service/${service.namespace}/${service.name}` : `Namespace/${service.namespace}`;
        if (!reported.has(`ingress ${where}`)) {
          reported.add(`ingress ${where}`);
          diagnostics.push(diagnostic('AmbientIngressWaypointGatewayRetries', { resource: where, path: `metadata.labels[${JSON.stringify(INGRESS_USE_WAYPOINT)}]`, ...(ingressFromService && service.source ? { source: service.source } : {}) }, { waypoint: waypointName(key) }));
        }
      }
      continue;
    }
    if (reported.has(at)) continue;
    reported.add(at);
    if (waypoint) {
      diagnostics.push(
        diagnostic('AmbientWaypointTrafficType', { resource: at, path: LABEL_PATH, ...(fromService && service.source ? { source: service.source } : {}) }, {
          what: fromService ? `Service ${service.name}` : `every Service of namespace ${service.namespace}`,
          waypoint: `${namespace}/${name}`,
          traffic: 'service',
          waypointFor: waypoint.trafficType,
        }),
      );
      continue;
    }
    diagnostics.push(
      diagnostic('AmbientWaypointNotFound', { resource: at, path: LABEL_PATH, ...(fromService && service.source ? { source: service.source } : {}) }, {
        label: `${USE_WAYPOINT}: ${name}`,
        waypoint: `${namespace}/${name}`,
        what: fromService ? `Service ${service.name}` : `every Service of namespace ${service.namespace}`,
      }),
    );
  }
  diagnostics.push(...workloadBindings(scenario, waypoints));
  return { byHost, waypoints, ingress, diagnostics };
}

/** Pods bound by their own `istio.io/use-waypoint` label: a waypoint not for workloads is istiod's UnsupportedTrafficType (MV0705); one for workloads carries no Service-addressed call (MV0706). Once per workload. */
function workloadBindings(scenario: Scenario, waypoints: ReadonlyMap<string, Waypoint>): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const pod of scenario.pods) {
    const name = pod.labels[USE_WAYPOINT];
    if (!pod.ambient || name === undefined || name === 'none') continue;
    const resource = `Deployment/${pod.namespace}/${pod.workload}`;
    if (seen.has(resource)) continue;
    seen.add(resource);
    const namespace = pod.labels[USE_WAYPOINT_NAMESPACE] ?? pod.namespace;
    const waypoint = waypoints.get(waypointKey(namespace, name));
    const at = { resource, path: `spec.template.${LABEL_PATH}` };
    if (!waypoint) out.push(diagnostic('AmbientWaypointNotFound', at, { label: `${USE_WAYPOINT}: ${name}`, waypoint: `${namespace}/${name}`, what: `workload ${pod.workload}` }));
    else if (waypoint.trafficType === 'workload' || waypoint.trafficType === 'all') out.push(diagnostic('AmbientWorkloadWaypointBypassed', at, { workload: pod.workload, waypoint: `${namespace}/${name}` }));
    else out.push(diagnostic('AmbientWaypointTrafficType', at, { what: `workload ${pod.workload}`, waypoint: `${namespace}/${name}`, traffic: 'workload', waypointFor: waypoint.trafficType }));
  }
  return out;
}
