import type { Pod } from '../../model/index.ts';
import type { ObservedPod, WorkloadDraft } from './readWorkload.ts';
import { stableName } from './stableName.ts';

/** meshviz simulates every pod, one by one; past this many the scenario is refused. */
export const MAX_PODS = 10_000;

/**
 * The pods of each workload, in workload order. Names follow Kubernetes:
 * `<deployment>-<pod-template-hash>-<5 chars>`, `<statefulset>-<index>`, or a
 * bare Pod's own name. Hashes come from the namespace, name and template
 * labels, so a name changes exactly when Kubernetes would roll the pod.
 * IPs are handed out in order from 10.244.0.2 (the usual kind/flannel pod CIDR).
 * A workload with pods reported by the cluster keeps exactly those (names,
 * labels, IPs, nodes, sidecars); handed-out IPs skip the reported ones.
 * Stops at `maxPods` and reports that it did.
 */
export function generatePods(
  workloads: ReadonlyArray<WorkloadDraft & { sidecar: boolean }>,
  maxPods = MAX_PODS,
): { pods: Pod[]; truncated: boolean } {
  const pods: Pod[] = [];
  const taken = new Set<string>(workloads.flatMap((w) => w.pods?.map((p) => p.name) ?? []));
  const takenIps = new Set(workloads.flatMap((w) => w.pods?.flatMap((p) => p.ip ?? []) ?? []));
  let generatedIps = 0;
  const nextIp = (): string => {
    for (;;) {
      const ip = podIp(generatedIps++);
      if (!takenIps.has(ip)) return ip;
    }
  };
  for (const workload of workloads) {
    if (workload.pods) {
      for (const observed of workload.pods) {
        if (pods.length >= maxPods) return { pods, truncated: true };
        pods.push(reportedPod(workload, observed, observed.ip ?? nextIp()));
      }
      continue;
    }
    const templateHash = podTemplateHash(workload);
    for (let index = 0; index < workload.replicas; index++) {
      if (pods.length >= maxPods) return { pods, truncated: true };
      const name = podName(workload, templateHash, index, taken);
      taken.add(name);
      pods.push({
        name,
        workload: workload.name,
        namespace: workload.namespace,
        labels: podLabels(workload, name, templateHash),
        serviceAccount: workload.serviceAccount,
        ip: nextIp(),
        sidecar: workload.sidecar,
        ...(workload.gateway ? { gateway: true as const } : {}),
      });
    }
  }
  return { pods, truncated: false };
}

/** A pod as the cluster reports it: its own name, labels, account, node and sidecar. */
function reportedPod(workload: WorkloadDraft, observed: ObservedPod, ip: string): Pod {
  const { name, labels, serviceAccount, sidecar, node } = observed;
  const pod: Pod = { name, workload: workload.name, namespace: workload.namespace, labels, serviceAccount, ip, sidecar };
  if (node !== undefined) pod.node = node;
  if (observed.gateway) pod.gateway = true;
  return pod;
}

function podTemplateHash(workload: WorkloadDraft): string {
  const labels = Object.keys(workload.labels)
    .sort()
    .map((key) => `${key}=${workload.labels[key]}`)
    .join(',');
  return stableName(`${workload.namespace}/${workload.name}/${labels}`, 10);
}

function podName(workload: WorkloadDraft, templateHash: string, index: number, taken: Set<string>): string {
  if (workload.kind === 'Pod') return workload.name;
  if (workload.kind === 'StatefulSet') return `${workload.name}-${index}`;
  // Suffixes of different replicas can collide (27^5 values); re-draw like the ReplicaSet controller would.
  for (let attempt = 0; ; attempt++) {
    const suffix = stableName(`${workload.namespace}/${templateHash}/${index}/${attempt}`, 5);
    const name = `${workload.name}-${templateHash}-${suffix}`;
    if (!taken.has(name)) return name;
  }
}

function podLabels(workload: WorkloadDraft, name: string, templateHash: string): Record<string, string> {
  const labels = Object.assign(Object.create(null) as Record<string, string>, workload.labels);
  if (workload.kind === 'Deployment') labels['pod-template-hash'] = templateHash;
  if (workload.kind === 'StatefulSet') labels['statefulset.kubernetes.io/pod-name'] = name;
  return labels;
}

function podIp(index: number): string {
  const host = index % 250;
  const block = Math.floor(index / 250);
  return `10.${244 + Math.floor(block / 256)}.${block % 256}.${host + 2}`;
}
