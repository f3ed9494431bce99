import { byName, type ClusterXds, type KubeNode, type LocalityLbSetting, type Pod } from '../../model/index.ts';
import type { PolicyComponents } from './mergeTrafficPolicy.ts';

/** Where a workload runs, as Istio reads it: region, zone, subzone (empty when unknown). */
export interface Locality {
  region: string;
  zone: string;
  subzone: string;
}

/**
 * A pod's locality, as istiod reads it (Istio src
 * `pilot/pkg/serviceregistry/kube/controller/controller.go` `getPodLocality`,
 * `pkg/model/proxy.go` `GetLocalityLabel`, `SanitizeLocalityLabel`): the
 * pod's `topology.istio.io/locality` label, else its legacy `istio-locality`
 * label (dots for slashes, since a label value cannot hold `/`); when that is
 * empty, its node's labels — region `topology.kubernetes.io/region` (else the
 * beta `failure-domain.beta.kubernetes.io/region`), zone likewise, subzone
 * `topology.istio.io/subzone`. A pod on no known node has no locality.
 */
export function localityOf(pod: Pick<Pod, 'labels'>, node?: Readonly<Record<string, string>>): Locality {
  const label = pod.labels['topology.istio.io/locality'] ?? pod.labels['istio-locality'] ?? '';
  if (label === '' && node) {
    const either = (ga: string, beta: string): string => node[ga] || node[beta] || '';
    return {
      region: either('topology.kubernetes.io/region', 'failure-domain.beta.kubernetes.io/region'),
      zone: either('topology.kubernetes.io/zone', 'failure-domain.beta.kubernetes.io/zone'),
      subzone: node['topology.istio.io/subzone'] ?? '',
    };
  }
  const [region = '', zone = '', subzone = ''] = (label.includes('/') ? label : label.replaceAll('.', '/')).split('/');
  return { region, zone, subzone };
}

/**
 * Envoy priorities by closeness to the client (Istio src `pilot/pkg/networking/util`
 * `LbPriority`): 0 the same region, zone and subzone; 1 the same zone; 2 the
 * same region; 3 another region.
 */
export function lbPriority(client: Locality, endpoint: Locality): number {
  if (client.region !== endpoint.region) return 3;
  if (client.zone !== endpoint.zone) return 2;
  return client.subzone === endpoint.subzone ? 0 : 1;
}

/**
 * istiod's locality failover for one proxy (Istio src `pilot/pkg/networking/core/loadbalancer`
 * `ApplyLocalityLoadBalancer`, `applyLocalityFailover`): only for a cluster
 * with outlier detection ("failover needs outlier detection, otherwise Envoy
 * will never drop down to a lower priority"), unless the setting is
 * disabled. Each endpoint gets `lbPriority`; a `failover` rule for the
 * client's region sends every other region but its `to` one step further
 * (4); the levels in use are then numbered 0, 1, 2… Returns undefined when
 * every endpoint lands in one priority (nothing to fail over to).
 */
export function endpointPriorities(client: Locality, cluster: ClusterXds, setting: LocalityLbSetting | undefined, localityOfPod: (pod: string) => Locality): number[] | undefined {
  if (!cluster.outlier || setting?.enabled === false || setting?.distribute !== undefined) return undefined;
  const rule = setting?.failover?.find((f) => f.from === client.region);
  const raw = cluster.endpoints.map((endpoint) => {
    const where = localityOfPod(endpoint.pod);
    const priority = lbPriority(client, where);
    return priority === 3 && rule && where.region !== rule.to ? 4 : priority;
  });
  const levels = [...new Set(raw)].sort((a, b) => a - b);
  if (levels.length < 2) return undefined;
  return raw.map((p) => levels.indexOf(p));
}

/**
 * Each proxy's endpoint priorities, shared between proxies in the same
 * locality (`lintDestinationRule` reports the settings meshviz keeps but does
 * not simulate: `distribute`, `failoverPriority`).
 */
export function createPriorityBuilder(
  pods: readonly Pod[],
  nodes: readonly KubeNode[],
  clusters: Record<string, ClusterXds>,
  policies: ReadonlyMap<string, PolicyComponents>,
): { of(pod: Pod): Record<string, number[]> | undefined } {
  const nodeLabels = new Map(nodes.map((n) => [n.name, n.labels]));
  const localities = new Map(pods.map((p) => [p.name, localityOf(p, p.node === undefined ? undefined : nodeLabels.get(p.node))]));
  const none: Locality = { region: '', zone: '', subzone: '' };
  const localityOfPod = (name: string): Locality => localities.get(name) ?? none;
  const anyLocality = pods.some((p) => {
    const l = localityOfPod(p.name);
    return l.region !== '' || l.zone !== '' || l.subzone !== '';
  });
  const cache = new Map<string, Record<string, number[]> | undefined>();
  return {
    of(pod: Pod): Record<string, number[]> | undefined {
      if (!anyLocality) return undefined;
      const client = localityOfPod(pod.name);
      const key = `${client.region}/${client.zone}/${client.subzone}`;
      if (cache.has(key)) return cache.get(key);
      let out: Record<string, number[]> | undefined;
      for (const [name, cluster] of Object.entries(clusters)) {
        const priorities = endpointPriorities(client, cluster, policies.get(name)?.loadBalancer?.localityLbSetting, localityOfPod);
        if (priorities) (out ??= byName<number[]>())[name] = priorities;
      }
      cache.set(key, out);
      return out;
    },
  };
}
