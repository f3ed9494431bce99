import type { MeshEvent } from '../../model/index.ts';

/** Where a request can be drawn: a pod's app, a pod's sidecar, or a client outside the mesh. */
export type Place = { kind: 'app'; pod: string } | { kind: 'sidecar'; pod: string } | { kind: 'client'; name: string };

/** Tells whether a name is a pod, and whether that pod has a sidecar. */
export type SidecarLookup = (name: string) => boolean | undefined;

export function placeKey(place: Place): string {
  return place.kind === 'client' ? `client:${place.name}` : `${place.kind}:${place.pod}`;
}

/** The pod a place belongs to (or the client's name). */
export function placeOwner(place: Place): string {
  return place.kind === 'client' ? place.name : place.pod;
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
