import type { MeshEvent } from '../../model/index.ts';

/** Where a request can be drawn: a pod's app, a pod's sidecar, a client outside the mesh, or under ambient a node's ztunnel or a waypoint. */
export type Place =
  | { kind: 'app'; pod: string }
  | { kind: 'sidecar'; pod: string }
  | { kind: 'client'; name: string }
  | { kind: 'ztunnel'; node: string }
  | { kind: 'waypoint'; name: string };

/** Tells whether a name is a pod, and whether that pod has a sidecar. */
export type SidecarLookup = (name: string) => boolean | undefined;

export function placeKey(place: Place): string {
  return `${place.kind}:${placeOwner(place)}`;
}

/** The pod a place belongs to (or the client's name, the ztunnel's node, the waypoint). */
export function placeOwner(place: Place): string {
  switch (place.kind) {
    case 'client':
      return place.name;
    case 'ztunnel':
      return `ztunnel ${place.node}`;
    case 'waypoint':
      return place.name;
    default:
      return place.pod;
  }
}

/** Where a request enters or leaves a pod: its sidecar when it has one, else the app itself. */
export function podEdge(name: string, sidecarOf: SidecarLookup): Place {
  const sidecar = sidecarOf(name);
  if (sidecar === undefined) return { kind: 'client', name };
  return sidecar ? { kind: 'sidecar', pod: name } : { kind: 'app', pod: name };
}

/**
 * The place an event of a request is drawn at. A `hop.send` is drawn at the
 * end it leaves from (the wire itself is the movement to the next place);
 * mesh-wide events have no place.
 */
export function placeOfEvent(event: MeshEvent, sidecarOf: SidecarLookup): Place | undefined {
  const where = event.where;
  switch (where.kind) {
    case 'app':
      return { kind: 'app', pod: where.pod };
    case 'sidecar':
      return { kind: 'sidecar', pod: where.pod };
    case 'client':
      return { kind: 'client', name: where.name };
    case 'ztunnel':
      return { kind: 'ztunnel', node: where.node };
    case 'waypoint':
      return { kind: 'waypoint', name: where.name };
    case 'wire':
      return podEdge(where.from, sidecarOf);
    case 'mesh':
      return undefined;
    default: {
      const never: never = where;
      return never;
    }
  }
}
