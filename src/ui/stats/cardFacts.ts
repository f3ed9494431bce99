import type { ClusterView, PodView } from '../../api/index.ts';
import type { FailureMode } from '../../model/index.ts';

/** What a pod card shows that changes while requests play. */
export interface CardFact {
  received: number;
  /** How the pod is failing now (set from its health tag or by the scenario's timeline). */
  mode?: FailureMode;
  /** Workload of the selected caller, when its sidecar has ejected this pod. */
  ejectedBy?: string;
}

/**
 * Reads each card's facts as the picture shows them: requests the pod has
 * received, whether it is failing, and whether the selected caller's
 * sidecar has ejected it (outlier state is per client sidecar).
 */
export interface CardFactSource {
  clusters(callerPod: string): ClusterView[];
  pod(name: string): PodView | undefined;
  workloadOf(name: string): string;
}

export function cardFactReader(sim: CardFactSource, received: ReadonlyMap<string, number>, caller: string): (pod: string) => CardFact {
  const ejected = new Set<string>();
  for (const cluster of sim.clusters(caller)) for (const ep of cluster.endpoints) if (ep.ejected) ejected.add(ep.pod);
  const callerWorkload = sim.workloadOf(caller);
  return (pod) => {
    const fact: CardFact = { received: received.get(pod) ?? 0 };
    const mode = sim.pod(pod)?.failing;
    if (mode) fact.mode = mode;
    if (ejected.has(pod)) fact.ejectedBy = callerWorkload;
    return fact;
  };
}
