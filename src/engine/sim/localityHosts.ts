import type { LocalityWeightsXds } from '../../model/index.ts';
import { createLocalityWrr, effectiveLocalityWeight, pickLocality } from '../proxy/index.ts';
import { lbHosts } from './cluster.ts';
import type { ClusterRuntime, EndpointHost, LocalityState } from './World.ts';

/**
 * `localityLbSetting.distribute` (§5): the hosts of the locality Envoy's
 * weighted round robin picks next, each locality's weight scaled by its
 * healthy share (`effectiveLocalityWeight`). When the cluster's healthy share
 * is under the panic threshold, every host this proxy has (Envoy's panic:
 * locality no longer matters); when no locality has weight left, none or —
 * with panic enabled — every host. The table and schedule are made again
 * only after an ejection, a return or a config change.
 */
export function localityHosts(cr: ClusterRuntime, table: LocalityWeightsXds): EndpointHost[] {
  const state = localityStateOf(cr, table);
  if (state.panic) return state.kept;
  const chosen = pickLocality(state.wrr);
  state.chosen = chosen;
  if (chosen < 0) return cr.config.healthyPanicThreshold > 0 ? state.kept : NONE;
  return state.hosts[chosen] as EndpointHost[];
}

const NONE: EndpointHost[] = [];

function localityStateOf(cr: ClusterRuntime, table: LocalityWeightsXds): LocalityState {
  const all = lbHosts(cr);
  const cached = cr.localityState;
  if (cached && cached.epoch === cr.ejectionEpoch && cached.from === all && cached.table === table) return cached;
  const hosts: EndpointHost[][] = table.weights.map(() => []);
  const totals = table.weights.map(() => 0);
  const kept: EndpointHost[] = [];
  let healthy = 0;
  all.forEach((host, i) => {
    const g = table.group[i] ?? -1;
    if (g < 0) return;
    kept.push(host);
    totals[g] = (totals[g] as number) + 1;
    if (cr.outlier[host.pod]?.ejected) return;
    (hosts[g] as EndpointHost[]).push(host);
    healthy += 1;
  });
  const threshold = cr.config.healthyPanicThreshold;
  const panic = kept.length > 0 && threshold > 0 && (100 * healthy) / kept.length < threshold;
  const effective = table.weights.map((w, g) => effectiveLocalityWeight(w, (hosts[g] as EndpointHost[]).length, totals[g] as number));
  const state: LocalityState = { epoch: cr.ejectionEpoch, from: all, table, hosts, kept, panic, effective, wrr: createLocalityWrr(effective), chosen: -1 };
  cr.localityState = state;
  return state;
}
