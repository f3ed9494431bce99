import { byName, type ClusterXds, type KubeNode, type LocalityLbSetting, type LocalityWeightsXds, type Pod } from '../../model/index.ts';
import { localityWeights } from './localityWeights.ts';
import { sourceKey } from './sourceKey.ts';
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
 * `ApplyLocalityLoadBalancer`, `applyLocalityFailover`, `applyFailoverPriorities`): only for a
 * cluster with outlier detection ("failover needs outlier detection, otherwise Envoy
 * will never drop down to a lower priority"), unless the setting is disabled or
 * distributes by weight. With `failoverPriority`, each endpoint's priority is how
 * many of those labels, in order, it shares with the client (`labelPriority`); a
 * `failover` rule beside it then refines each level by region (level × 5 + the
 * region priority). Without it, each endpoint gets `lbPriority`, and a `failover`
 * rule for the client's region sends every other region but its `to` one step
 * further (4). The levels in use are then numbered 0, 1, 2… Returns undefined
 * when every endpoint lands in one priority (nothing to fail over to).
 */
export function endpointPriorities(client: Placed, cluster: ClusterXds, setting: LocalityLbSetting | undefined, placedPod: (pod: string) => Placed): number[] | undefined {
  if (!cluster.outlier || setting?.enabled === false || setting?.distribute !== undefined) return undefined;
  const rule = setting?.failover?.find((f) => f.from === client.locality.region);
  const byRegion = (where: Locality): number => {
    const priority = lbPriority(client.locality, where);
    return priority === 3 && rule && where.region !== rule.to ? 4 : priority;
  };
  const labels = setting?.failoverPriority ?? [];
  const raw = cluster.endpoints.map((endpoint) => {
    const where = placedPod(endpoint.pod);
    if (labels.length === 0) return byRegion(where.locality);
    const level = labelPriority(client.labels, where.labels, labels);
    return (setting?.failover?.length ?? 0) > 0 ? level * 5 + byRegion(where.locality) : level;
  });
  const levels = [...new Set(raw)].sort((a, b) => a - b);
  if (levels.length < 2) return undefined;
  return raw.map((p) => levels.indexOf(p));
}

/**
 * `failoverPriority` for one endpoint (Istio src `applyFailoverPriorityPerLocality`):
 * 0 when it has every listed label's value as the client has it (or as written
 * after `=`), else the number of labels from the first one that differs to the
 * end; a first label `topology.istio.io/network` that differs adds the lowest
 * level instead of stopping there.
 */
export function labelPriority(client: Readonly<Record<string, string>>, endpoint: Readonly<Record<string, string>>, failoverPriority: readonly string[]): number {
  const lowest = failoverPriority.length;
  const includesNetwork = failoverPriority[0]?.split('=')[0] === 'topology.istio.io/network';
  let priority = 0;
  let adjust = 0;
  for (let j = 0; j < lowest; j++) {
    const [name = '', override] = (failoverPriority[j] as string).split('=');
    const wanted = override ?? client[name];
    if (wanted === endpoint[name]) continue;
    if (j === 0 && includesNetwork) {
      adjust = lowest;
      continue;
    }
    priority = lowest - j;
    break;
  }
  return priority + adjust;
}

/**
 * Each proxy's endpoint priorities and locality weights, shared between
 * proxies in the same locality and labels. The setting is the DestinationRule's
 * `localityLbSetting`, else the mesh config's.
 */
export function createPriorityBuilder(
  pods: readonly Pod[],
  nodes: readonly KubeNode[],
  clusters: Record<string, ClusterXds>,
  policies: ReadonlyMap<string, PolicyComponents>,
  meshSetting: LocalityLbSetting | undefined,
): { of(pod: Pod): { priorities?: Record<string, number[]>; weights?: Record<string, LocalityWeightsXds> } } {
  const nodeLabels = new Map(nodes.map((n) => [n.name, n.labels]));
  const placed = new Map(pods.map((p) => [p.name, placePod(p, p.node === undefined ? undefined : nodeLabels.get(p.node))]));
  const none: Placed = { locality: { region: '', zone: '', subzone: '' }, labels: {} };
  const placedPod = (name: string): Placed => placed.get(name) ?? none;
  const anyLocality = [...placed.values()].some(({ locality: l }) => l.region !== '' || l.zone !== '' || l.subzone !== '');
  const settingOf = (cluster: string): LocalityLbSetting | undefined => policies.get(cluster)?.loadBalancer?.localityLbSetting ?? meshSetting;
  const usesLabels = Object.keys(clusters).some((name) => (settingOf(name)?.failoverPriority?.length ?? 0) > 0);
  const cache = new Map<string, { priorities?: Record<string, number[]>; weights?: Record<string, LocalityWeightsXds> }>();
  return {
    of(pod) {
      if (!anyLocality && !usesLabels) return {};
      const client = placedPod(pod.name);
      const key = `${client.locality.region}/${client.locality.zone}/${client.locality.subzone}${usesLabels ? `|${sourceKey(pod.namespace, client.labels)}` : ''}`;
      const cached = cache.get(key);
      if (cached) return cached;
      const out: { priorities?: Record<string, number[]>; weights?: Record<string, LocalityWeightsXds> } = {};
      for (const [name, cluster] of Object.entries(clusters)) {
        const setting = settingOf(name);
        const priorities = endpointPriorities(client, cluster, setting, placedPod);
        if (priorities) (out.priorities ??= byName<number[]>())[name] = priorities;
        const weights = setting?.enabled === false ? undefined : localityWeights(client.locality, cluster, setting?.distribute, (p) => placedPod(p).locality);
        if (weights) (out.weights ??= byName<LocalityWeightsXds>())[name] = weights;
      }
      cache.set(key, out);
      return out;
    },
  };
}

/** A pod's locality and its labels as istiod augments them (region, zone, subzone, node: `AugmentLabels`). */
interface Placed {
  locality: Locality;
  labels: Record<string, string>;
}

/**
 * The labels failoverPriority compares: the pod's own, plus what istiod adds
 * from its locality and node (Istio src `pilot/pkg/serviceregistry/util/label/label.go`
 * `AugmentLabels`: `topology.kubernetes.io/region`, `/zone`,
 * `topology.istio.io/subzone`, `kubernetes.io/hostname`).
 */
function placePod(pod: Pod, node: Readonly<Record<string, string>> | undefined): Placed {
  const locality = localityOf(pod, node);
  const labels: Record<string, string> = Object.assign(Object.create(null) as Record<string, string>, pod.labels);
  if (locality.region !== '') labels['topology.kubernetes.io/region'] = locality.region;
  if (locality.zone !== '') labels['topology.kubernetes.io/zone'] = locality.zone;
  if (locality.subzone !== '') labels['topology.istio.io/subzone'] = locality.subzone;
  if (pod.node !== undefined) labels['kubernetes.io/hostname'] = pod.node;
  return { locality, labels };
}
