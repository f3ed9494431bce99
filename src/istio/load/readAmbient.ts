import type { Namespace, Pod, Waypoint, WaypointTrafficType } from '../../model/index.ts';
import type { ClassifiedDocument } from './classifyDocument.ts';

/** The namespace (or pod) label that puts pods in the ambient mesh, and its values (istio.io `docs/ambient/usage/add-workloads`). */
export const DATAPLANE_MODE = 'istio.io/dataplane-mode';

/** Istio's GatewayClass for waypoints (istio.io `docs/ambient/usage/waypoint`). */
export const WAYPOINT_CLASS = 'istio-waypoint';

/** The waypoint's label saying which traffic it takes (istio.io `docs/ambient/usage/waypoint`; Istio src `pilot/pkg/serviceregistry/ambient/waypoints.go`). */
export const WAYPOINT_FOR = 'istio.io/waypoint-for';
const TRAFFIC_TYPES: readonly WaypointTrafficType[] = ['service', 'workload', 'all', 'none'];

/** The port a waypoint's HBONE listener has in Istio's template (§11). */
export const HBONE_PORT = 15008;

/**
 * Whether a workload's pods are captured by their node's ztunnel: the pod's
 * own `istio.io/dataplane-mode` label wins (`none` opts out, `ambient` opts
 * in), else its namespace's. A pod with a sidecar is never captured (Istio:
 * ztunnel skips pods with a sidecar), so this is asked only for pods that
 * would not get one.
 */
export function decideAmbient(podLabels: Readonly<Record<string, string>>, namespace: Namespace | undefined): boolean {
  const own = podLabels[DATAPLANE_MODE];
  if (own !== undefined) return own === 'ambient';
  return namespace?.labels[DATAPLANE_MODE] === 'ambient';
}

/**
 * A Gateway API `Gateway` as a waypoint, when its class is `istio-waypoint`;
 * undefined (the caller reports it as ignored) otherwise. Its deployment's
 * service account is named after it, as Istio's waypoint template does.
 * `istio.io/waypoint-for` defaults to `service` (istiod's
 * `constants.ServiceTraffic`; a GatewayClass label is not read). Any other
 * value than the four Istio knows is kept by istiod and matches neither
 * Service nor workload traffic: read as `none`, with a warning (MV0704).
 */
export function readWaypoint(d: ClassifiedDocument): Waypoint | undefined {
  const spec = d.reader.map('spec');
  if (spec?.string('gatewayClassName') !== WAYPOINT_CLASS) return undefined;
  let hbonePort = HBONE_PORT;
  for (const listener of spec.mapItems('listeners')) {
    if (listener.string('protocol') === 'HBONE') hbonePort = listener.integer('port', { min: 1, max: 65_535 }) ?? hbonePort;
  }
  const { name, namespace, labels } = d.header.meta;
  const written = labels[WAYPOINT_FOR];
  let trafficType: WaypointTrafficType = 'service';
  if (written !== undefined) {
    const known = TRAFFIC_TYPES.find((t) => t === written);
    const at = d.reader.map('metadata')?.map('labels');
    if (!known && at) at.reporter.report('AmbientWaypointForUnknown', at.pathOf(WAYPOINT_FOR), { value: written });
    trafficType = known ?? 'none';
  }
  return { name, namespace, hbonePort, serviceAccount: name, trafficType, source: d.header.raw.source };
}

/**
 * Gives every meshed pod a node: the one its manifest or the cluster names,
 * else `node-1` … `node-N` round robin in pod order (N from the Simulation's
 * `nodes`). Pods outside the mesh keep what they had.
 */
export function placeOnNodes(pods: Pod[], nodes: number): Pod[] {
  let next = 0;
  return pods.map((pod) => {
    if (pod.node !== undefined || pod.external) return pod;
    const node = `node-${(next % nodes) + 1}`;
    next += 1;
    return { ...pod, node };
  });
}
