import type { PodDraft } from './readPod.ts';
import type { ObservedPod, WorkloadDraft } from './readWorkload.ts';

/** `namespace/name` of a ReplicaSet → the Deployment that owns it. */
export type ReplicaSetOwners = ReadonlyMap<string, string>;

/**
 * Gives each workload the pods a cluster reports for it. A pod with a
 * controller owner belongs to that owner: a ReplicaSet stands for its
 * Deployment (from the ReplicaSet's own owner reference, else from the
 * `pod-template-hash` the controller appends to the ReplicaSet's name), a
 * StatefulSet for itself. Once any pod of a workload is in the files, its
 * running pods are its pods (never its `replicas` as well). A pod whose owner
 * is not among the files gets a workload named after that owner. Pods that
 * are not running are left to the caller (`running: false`).
 */
export function attachOwnedPods(
  workloads: WorkloadDraft[],
  pods: ReadonlyArray<{ pod: PodDraft; running: boolean }>,
  replicaSets: ReplicaSetOwners,
): WorkloadDraft[] {
  const byKey = new Map(workloads.map((w) => [`${w.kind}/${w.namespace}/${w.name}`, w]));
  const added: WorkloadDraft[] = [];
  for (const { pod, running } of pods) {
    const owner = ownerOf(pod, replicaSets);
    if (!owner) continue;
    const key = `${owner.kind}/${pod.namespace}/${owner.name}`;
    let workload = byKey.get(key);
    if (!workload) {
      workload = fromPod(pod, owner);
      byKey.set(key, workload);
      added.push(workload);
    }
    workload.pods ??= [];
    if (running) workload.pods.push(observedPod(pod));
    workload.replicas = workload.pods.length;
  }
  return [...workloads, ...added];
}

/** The workload a pod's controller stands for, or `undefined` for a pod that is its own workload. */
export function ownerOf(pod: PodDraft, replicaSets: ReplicaSetOwners): { kind: WorkloadDraft['kind']; name: string } | undefined {
  if (!pod.observed || !pod.owner) return undefined;
  const { kind, name } = pod.owner;
  if (kind === 'StatefulSet') return { kind, name };
  if (kind !== 'ReplicaSet') return { kind: 'Pod', name };
  const deployment = replicaSets.get(`${pod.namespace}/${name}`);
  if (deployment !== undefined) return { kind: 'Deployment', name: deployment };
  const hash = pod.labels['pod-template-hash'];
  const suffix = `-${hash}`;
  return { kind: 'Deployment', name: hash && name.endsWith(suffix) ? name.slice(0, -suffix.length) : name };
}

function observedPod(pod: PodDraft): ObservedPod {
  const { name, labels, serviceAccount, observed } = pod;
  const result: ObservedPod = { name, labels, serviceAccount, sidecar: observed?.sidecar ?? false };
  if (observed?.gateway) result.gateway = true;
  if (observed?.ip !== undefined) result.ip = observed.ip;
  if (observed?.node !== undefined) result.node = observed.node;
  return result;
}

function fromPod(pod: PodDraft, owner: { kind: WorkloadDraft['kind']; name: string }): WorkloadDraft {
  const labels = Object.assign(Object.create(null) as Record<string, string>, pod.labels);
  delete labels['pod-template-hash'];
  delete labels['statefulset.kubernetes.io/pod-name'];
  return {
    kind: owner.kind,
    name: owner.name,
    namespace: pod.namespace,
    labels,
    serviceAccount: pod.serviceAccount,
    replicas: 0,
    inject: undefined,
    linkerdInject: undefined,
    gateway: pod.observed?.gateway === true,
    containerPorts: pod.containerPorts,
    source: pod.source,
    pods: [],
  };
}
