import { deployment, service, sessionFrom } from '../helpers/mesh.ts';
import type { Session } from '../../src/api/index.ts';
import type { MeshEvent, Where } from '../../src/model/index.ts';

/** `default` labelled into ambient (§11). */
export const AMBIENT_NAMESPACE = `apiVersion: v1
kind: Namespace
metadata:
  name: default
  labels: { istio.io/dataplane-mode: ambient }`;

/** A waypoint for `default`, as `istioctl waypoint apply` writes it. */
export const WAYPOINT = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: waypoint, namespace: default, labels: { istio.io/waypoint-for: service } }
spec:
  gatewayClassName: istio-waypoint
  listeners: [{ name: mesh, port: 15008, protocol: HBONE }]`;

export const SIMULATION = `apiVersion: meshviz.dev/v1alpha1
kind: Simulation
metadata: { name: ambient }
spec:
  flavor: istio-ambient
  seed: 1
  nodes: 2
  workloads:
    server: { latency: { fixed: 1ms } }`;

function serviceAccount(name: string): string {
  return `apiVersion: v1\nkind: ServiceAccount\nmetadata: { name: ${name}, namespace: default }`;
}

/**
 * client and other (each with its own service account) → server, all in the ambient namespace; `server` bound to
 * the waypoint when asked (`gateway`: another waypoint Gateway instead of `WAYPOINT`; `serverLabels`: more labels
 * on server's pods; `simulation`: another Simulation document; `namespace`: another Namespace document for `default`).
 */
export function ambientMesh(opts: { waypoint?: boolean; extra?: string[]; gateway?: string; serverLabels?: Record<string, string>; simulation?: string; namespace?: string } = {}): Session {
  const withSa = (name: string, labels: Record<string, string> = {}): string => deployment(name, { app: name, ...labels }).replace('    spec:\n', `    spec:\n      serviceAccountName: ${name}\n`);
  const server = opts.waypoint
    ? service('server').replace('metadata: { name: server, namespace: default }', 'metadata: { name: server, namespace: default, labels: { istio.io/use-waypoint: waypoint } }')
    : service('server');
  return sessionFrom(
    opts.namespace ?? AMBIENT_NAMESPACE,
    serviceAccount('client'),
    serviceAccount('other'),
    serviceAccount('server'),
    withSa('client'),
    withSa('other'),
    withSa('server', opts.serverLabels),
    server,
    ...(opts.waypoint ? [opts.gateway ?? WAYPOINT] : []),
    ...(opts.extra ?? []),
    opts.simulation ?? SIMULATION,
  );
}

/** An event as `kind@place`, for event-order assertions. */
export function step(e: MeshEvent): string {
  return `${e.kind}@${place(e.where)}`;
}

function place(where: Where): string {
  switch (where.kind) {
    case 'app':
      return `app:${where.pod.split('-')[0]}`;
    case 'sidecar':
      return `sidecar:${where.pod.split('-')[0]}`;
    case 'ztunnel':
      return `ztunnel:${where.node}`;
    case 'waypoint':
      return `waypoint:${where.name}`;
    case 'wire':
      return 'wire';
    case 'client':
      return `client:${where.name}`;
    case 'mesh':
      return 'mesh';
    default: {
      const never: never = where;
      return String(never);
    }
  }
}
