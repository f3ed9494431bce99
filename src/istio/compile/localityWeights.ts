import type { ClusterXds, LocalityLbSetting, LocalityWeightsXds } from '../../model/index.ts';
import type { Locality } from './localityPriorities.ts';

/**
 * `distribute` for one proxy and cluster, as istiod writes it (Istio src
 * `pilot/pkg/networking/core/loadbalancer/loadbalancer.go` `applyLocalityWeights`,
 * `pilot/pkg/networking/util/util.go` `LocalityMatch`): the first rule whose
 * `from` matches the client's locality applies; each `to` locality (a `*` part
 * matches anything, a missing zone or subzone too) takes the localities it
 * matches that no earlier `to` took, and each gets its share of the weight by
 * its endpoint count (⌈count × weight / matched endpoints⌉; validation keeps
 * weights within 1–100, MV0442). Localities no `to` matches are left out of
 * this proxy's endpoints. Undefined when no rule's `from` matches. istiod
 * walks `to` as a Go map (in no set order); here it is walked as written.
 */
export function localityWeights(
  client: Locality,
  cluster: ClusterXds,
  distribute: LocalityLbSetting['distribute'],
  localityOfPod: (pod: string) => Locality,
): LocalityWeightsXds | undefined {
  const rule = distribute?.find((d) => d.from !== undefined && localityMatch(client, d.from));
  if (!rule) return undefined;
  const localities: string[] = [];
  const counts: number[] = [];
  const group = cluster.endpoints.map((endpoint) => {
    const where = localityOfPod(endpoint.pod);
    const name = `${where.region}/${where.zone}/${where.subzone}`.replace(/\/+$/, '');
    let index = localities.indexOf(name);
    if (index < 0) {
      index = localities.push(name) - 1;
      counts.push(0);
    }
    counts[index] = (counts[index] as number) + 1;
    return index;
  });
  const weights = counts.slice();
  const taken = localities.map(() => false);
  for (const [pattern, weight] of Object.entries(rule.to ?? {})) {
    const matched = localities.flatMap((name, i) => (!taken[i] && localityMatch(parse(name), pattern) ? [i] : []));
    const total = matched.reduce((sum, i) => sum + (counts[i] as number), 0);
    for (const i of matched) {
      taken[i] = true;
      const share = ((counts[i] as number) * weight) / total;
      if (share > 0) weights[i] = Math.ceil(share);
    }
  }
  return { group: group.map((g) => (taken[g] ? g : -1)), weights: weights.map((w, i) => (taken[i] ? w : 0)), localities };
}

/** Istio's `LocalityMatch`: `region/zone/subzone`, each part `*` or equal; a missing zone or subzone matches any. */
export function localityMatch(locality: Locality, pattern: string): boolean {
  const [region = '', zone = '', subzone = ''] = pattern.split('/');
  return (region === '*' || locality.region === region) && (zone === '*' || zone === '' || locality.zone === zone) && (subzone === '*' || subzone === '' || locality.subzone === subzone);
}

function parse(name: string): Locality {
  const [region = '', zone = '', subzone = ''] = name.split('/');
  return { region, zone, subzone };
}
