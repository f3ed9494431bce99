import type { Scenario } from '../../model/index.ts';
import { createHostResolver } from '../compile/HostResolver.ts';
import type { SourceFile } from '../load/index.ts';
import { isNode, visit } from 'yaml';
import type { Node } from 'yaml';
import { editFiles, setScalars, spliceFiles } from './editYaml.ts';

/** A comment that states a traffic split: a number with a percent sign. */
const STATES_SPLIT = /\d+(\.\d+)?\s*%/;
import type { DocRef } from './editYaml.ts';

/** One VirtualService http rule a weight control can edit. */
export interface CanaryRoute {
  /** `namespace/name#rule`, stable across edits (used in URLs). */
  key: string;
  doc: DocRef;
  ruleIndex: number;
  /** The rule's name, or `http[i]`. */
  label: string;
  host: string;
  destinations: Array<{ host: string; subset?: string; weight: number }>;
  /** How many of `destinations` the rule lists; the rest are subsets of the host it could send to. */
  written: number;
}

/**
 * The http rules that split (or could split) traffic by weight: rules with
 * two or more destinations, and single-destination rules whose host's
 * DestinationRule defines more subsets (Bookinfo's reviews v1/v2/v3).
 */
export function canaryRoutes(scenario: Scenario): CanaryRoute[] {
  const out: CanaryRoute[] = [];
  for (const vs of scenario.virtualServices) {
    (vs.spec.http ?? []).forEach((rule, ruleIndex) => {
      const route = rule.route ?? [];
      const first = route[0]?.destination;
      if (!first) return;
      const destinations = route.map((r) => ({ host: r.destination.host, subset: r.destination.subset, weight: r.weight ?? (route.length === 1 ? 100 : 0) }));
      if (route.every((r) => r.destination.host === first.host)) {
        const known = new Set(route.map((r) => r.destination.subset));
        for (const subset of subsetsOf(scenario, first.host, vs.metadata.namespace)) {
          if (!known.has(subset)) destinations.push({ host: first.host, subset, weight: 0 });
        }
      }
      if (destinations.length < 2) return;
      const { name, namespace } = vs.metadata;
      out.push({ key: `${namespace}/${name}#${ruleIndex}`, doc: { kind: 'VirtualService', name, namespace }, ruleIndex, label: rule.name ?? `http[${ruleIndex}]`, host: first.host, destinations, written: route.length });
    });
  }
  return out;
}

/**
 * Writes weights into the rule's `route`: existing destinations get their
 * new weight; other subsets are added only with a weight above zero. A
 * single remaining destination needs no weight and gets none. Comments in
 * the route that state a split in percent ("90% … 10%") would now be
 * wrong: they are dropped; every other comment stays.
 */
export function setRouteWeights(files: SourceFile[], route: CanaryRoute, weights: number[]): SourceFile[] | undefined {
  const entries = route.destinations.map((d, i) => ({ ...d, weight: Math.max(0, Math.round(weights[i] ?? 0)) }));
  const path = ['spec', 'http', route.ruleIndex, 'route'];
  const stale = { commentsUnder: path, matching: STATES_SPLIT };
  // Only weights change when every destination that keeps one already has one: edit those numbers in place.
  if (entries.every((e, i) => i < route.written || e.weight === 0)) {
    const inPlace = spliceFiles(files, (text) => setScalars(text, route.doc, entries.slice(0, route.written).map((e, i) => ({ path: [...path, i, 'weight'], value: e.weight })), stale));
    if (inPlace) return inPlace;
  }
  return editFiles(files, route.doc, (doc) => {
    const existing = (doc.getIn(path, true) as { items?: unknown[] } | undefined)?.items?.length ?? 0;
    const keep = entries.filter((e, i) => i < existing || e.weight > 0);
    const single = keep.filter((e) => e.weight > 0).length === 1 && keep.length === 1;
    keep.forEach((e, i) => {
      if (i >= existing) doc.addIn(path, doc.createNode({ destination: e.subset ? { host: e.host, subset: e.subset } : { host: e.host } }));
      if (single) doc.deleteIn([...path, i, 'weight']);
      else doc.setIn([...path, i, 'weight'], e.weight);
    });
    visit(doc.getIn(path, true) as Node, (_key, node) => {
      if (!isNode(node)) return;
      if (node.commentBefore && STATES_SPLIT.test(node.commentBefore)) node.commentBefore = null;
      if (node.comment && STATES_SPLIT.test(node.comment)) node.comment = null;
    });
  });
}

/**
 * Splits 100 so that destination `index` gets `value` and the others share
 * the rest in their current proportions (largest remainder, so the sum is
 * exactly 100).
 */
export function rebalance(weights: number[], index: number, value: number): number[] {
  const v = Math.min(100, Math.max(0, Math.round(value)));
  const others = weights.map((_, i) => i).filter((i) => i !== index);
  if (others.length === 0) return [100];
  const rest = others.reduce((sum, i) => sum + (weights[i] ?? 0), 0);
  const share = 100 - v;
  const exact = others.map((i) => (rest > 0 ? ((weights[i] ?? 0) * share) / rest : share / others.length));
  const floors = exact.map(Math.floor);
  let left = share - floors.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((x, k) => ({ k, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || a.k - b.k);
  for (const { k } of byRemainder) if (left-- > 0) floors[k] = (floors[k] as number) + 1;
  const out = [...weights];
  out[index] = v;
  others.forEach((i, k) => (out[i] = floors[k] as number));
  return out;
}

/** Subsets of the DestinationRule for `host` as Istio resolves both hosts (short names relative to their resource's namespace). */
function subsetsOf(scenario: Scenario, host: string, namespace: string): string[] {
  const hosts = createHostResolver(scenario);
  const fqdn = hosts.resolve(host, namespace);
  const rule = scenario.destinationRules.find((dr) => hosts.resolve(dr.spec.host, dr.metadata.namespace) === fqdn);
  return (rule?.spec.subsets ?? []).map((s) => s.name);
}

