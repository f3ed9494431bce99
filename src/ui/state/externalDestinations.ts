import type { Scenario } from '../../model/index.ts';
import type { MeshShape } from '../layout/meshShape.ts';

/** A host outside the mesh a workload may call, as the send panel offers it. */
export interface ExternalDestination {
  /** `external:<host>:<port>`: never a group id, so the URL's `to` tells the two apart. */
  id: string;
  host: string;
  port: number;
  /** The card that stands for the host (its pod's group), for the wire drawn to it. */
  group: string | undefined;
}

const PREFIX = 'external:';

/**
 * The external hosts (ServiceEntry hosts, and hosts the apps dial without
 * one) on their first declared or dialled port; a wildcard host names no
 * one host to send to, so it is left out.
 */
export function externalDestinations(scenario: Scenario, shape: MeshShape): ExternalDestination[] {
  return scenario.externalServices.flatMap((e) => {
    const port = e.ports[0]?.port ?? e.dialled[0];
    if (e.wildcard || port === undefined) return [];
    const group = shape.groups.find((g) => g.pods.some((p) => p.name === e.pod))?.id;
    return [{ id: `${PREFIX}${e.host}:${port}`, host: e.host, port, group }];
  });
}

export function isExternalDestination(id: string): boolean {
  return id.startsWith(PREFIX);
}
