import { waypointKey } from '../../../model/index.ts';
import type { Diagnostic, Scenario, Waypoint } from '../../../model/index.ts';
import { diagnostic } from '../../catalog.ts';
import type { ServiceIndex } from '../ServiceIndex.ts';

/** The label that binds a Service (or every Service of a namespace) to a waypoint (istio.io `docs/ambient/usage/waypoint`). */
export const USE_WAYPOINT = 'istio.io/use-waypoint';
/** Names the waypoint's namespace when it is not the Service's own. */
export const USE_WAYPOINT_NAMESPACE = 'istio.io/use-waypoint-namespace';

export interface WaypointBinding {
  /** Service FQDN → its waypoint's `waypointKey`. */
  byHost: Map<string, string>;
  /** `waypointKey` → the waypoint. */
  waypoints: Map<string, Waypoint>;
  diagnostics: Diagnostic[];
}

/**
 * Which waypoint each Service's traffic goes through (§11): the Service's
 * own `istio.io/use-waypoint` label, else its namespace's; `none` opts a
 * Service out of its namespace's waypoint. The waypoint is looked up in
 * `istio.io/use-waypoint-namespace` (same place as the label), else in the
 * Service's namespace. A name that is no waypoint is reported and binds
 * nothing (istiod sets the Service's `istio.io/WaypointBound` condition to
 * False, which istioctl reports as IST0171).
 */
export function bindWaypoints(scenario: Scenario, services: ServiceIndex): WaypointBinding {
  const waypoints = new Map(scenario.waypoints.map((w) => [waypointKey(w.namespace, w.name), w]));
  const namespaces = new Map(scenario.namespaces.map((n) => [n.name, n]));
  const byHost = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  const reported = new Set<string>();
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
    if (waypoints.has(key)) {
      byHost.set(entry.fqdn, key);
      continue;
    }
    const at = fromService ? `Service/${service.namespace}/${service.name}` : `Namespace/${service.namespace}`;
    if (reported.has(at)) continue;
    reported.add(at);
    diagnostics.push(
      diagnostic('AmbientWaypointNotFound', { resource: at, path: `metadata.labels.${USE_WAYPOINT}`, ...(fromService && service.source ? { source: service.source } : {}) }, {
        label: `${USE_WAYPOINT}: ${name}`,
        waypoint: `${namespace}/${name}`,
        what: fromService ? `Service ${service.name}` : `every Service of namespace ${service.namespace}`,
      }),
    );
  }
  return { byHost, waypoints, diagnostics };
}
