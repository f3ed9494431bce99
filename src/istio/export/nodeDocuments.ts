import type { Pod, Scenario, Workload } from '../../model/index.ts';
import { stableName } from '../load/stableName.ts';

type Plain = Record<string, unknown>;

/** The injector's record of what it added: a pod with it is a pod with a sidecar (see `load/readPod.ts`). */
const SIDECAR_STATUS = 'sidecar.istio.io/status';

/** The cluster's Nodes, with their labels (the topology labels are the locality of the pods on them). */
export function nodeDocuments(scenario: Scenario): Plain[] {
  return scenario.nodes.map((node) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name: node.name, labels: sorted(node.labels) } }));
}

/**
 * The workloads whose pods run on one of the scenario's Nodes (a cluster
 * export said so): their pods are written as the cluster reports them —
 * name, labels, node, IP, `status.phase: Running`, the proxy they run, and
 * their controller (a ReplicaSet named `<deployment>-<pod-template-hash>`,
 * or the StatefulSet) — so loading the export gives the same pods on the
 * same nodes, and so the same localities. Ambient pods are placed on nodes
 * by meshviz itself and are left to their workload.
 */
export function placedWorkloads(scenario: Scenario): Set<Workload> {
  const nodes = new Set(scenario.nodes.map((n) => n.name));
  return new Set(scenario.workloads.filter((w) => {
    const pods = podsOf(scenario, w);
    return pods.some((p) => p.node !== undefined && nodes.has(p.node)) && !pods.some((p) => p.ambient);
  }));
}

/** The pods of `workload` as Pod documents; `kind` is how the workload itself is written. */
export function podDocuments(scenario: Scenario, workload: Workload, kind: 'Deployment' | 'StatefulSet' | 'Pod'): Plain[] {
  return podsOf(scenario, workload).map((pod) => {
    const metadata: Plain = { name: pod.name, namespace: pod.namespace, labels: sorted(pod.labels) };
    if (pod.sidecar) metadata['annotations'] = { [SIDECAR_STATUS]: '{"containers":["istio-proxy"]}' };
    if (kind !== 'Pod') {
      const hash = pod.labels['pod-template-hash'];
      const owner = kind === 'StatefulSet' ? workload.name : hash ? `${workload.name}-${hash}` : workload.name;
      const ownerKind = kind === 'StatefulSet' ? 'StatefulSet' : 'ReplicaSet';
      metadata['ownerReferences'] = [{ apiVersion: 'apps/v1', kind: ownerKind, name: owner, uid: uid(`${pod.namespace}/${ownerKind}/${owner}`), controller: true }];
    }
    const containers: Plain[] = pod.gateway ? [] : [{ name: 'app', image: 'docker.io/library/busybox:stable' }];
    if (pod.gateway || pod.sidecar) containers.push({ name: 'istio-proxy', image: 'docker.io/istio/proxyv2', args: ['proxy', pod.gateway ? 'router' : 'sidecar'] });
    const spec: Plain = {};
    if (pod.node !== undefined) spec['nodeName'] = pod.node;
    if (pod.serviceAccount !== 'default') spec['serviceAccountName'] = pod.serviceAccount;
    spec['containers'] = containers;
    return { apiVersion: 'v1', kind: 'Pod', metadata, spec, status: { phase: 'Running', podIP: pod.ip } };
  });
}

function podsOf(scenario: Scenario, workload: Workload): Pod[] {
  return scenario.pods.filter((p) => p.workload === workload.name && p.namespace === workload.namespace && !p.external);
}

/** A uid in Kubernetes' form, stable for a name (the model keeps none). */
function uid(text: string): string {
  const hex = [...stableName(text, 32)].map((c) => (c.charCodeAt(0) % 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

function sorted(map: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(map).sort().map((key) => [key, map[key] as string]));
}
