import { oldestFirst } from '../../model/index.ts';
import type { DestinationRule, Subset, TrafficPolicy } from '../../model/index.ts';
import { type DiagnosticSink, resourceRef } from './DiagnosticSink.ts';
import { type HostResolver, hostMatches, isWildcardHost } from './HostResolver.ts';

/** What the DestinationRules for one host add up to. */
export interface MergedDestinationRule {
  /** The resolved host pattern (an FQDN or a wildcard). */
  host: string;
  trafficPolicy?: TrafficPolicy;
  subsets: Subset[];
  /** The rules merged into this one, oldest first. */
  rules: DestinationRule[];
}

export interface DestinationRuleIndex {
  /** The rule that applies to a service FQDN: an exact host first, else the most specific wildcard. */
  forHost(fqdn: string): MergedDestinationRule | undefined;
}

/**
 * Groups DestinationRules by resolved host and merges each group the way
 * istiod does (`mergeDestinationRule`): oldest first; subsets with new names
 * are appended; the oldest top-level trafficPolicy wins. `exportTo` and
 * namespace visibility are not modelled.
 */
export function indexDestinationRules(
  rules: DestinationRule[],
  hosts: HostResolver,
  diagnostics: DiagnosticSink,
): DestinationRuleIndex {
  const groups = new Map<string, DestinationRule[]>();
  for (const rule of [...rules].sort(oldestFirst)) {
    const host = hosts.resolve(rule.spec.host, rule.metadata.namespace);
    groups.set(host, [...(groups.get(host) ?? []), rule]);
  }
  const merged = new Map<string, MergedDestinationRule>();
  for (const [host, group] of groups) merged.set(host, mergeGroup(host, group, diagnostics));
  const wildcards = [...merged.values()]
    .filter((rule) => isWildcardHost(rule.host))
    .sort((a, b) => b.host.length - a.host.length);

  return {
    forHost(fqdn) {
      return merged.get(fqdn) ?? wildcards.find((rule) => hostMatches(rule.host, fqdn));
    },
  };
}

function mergeGroup(host: string, group: DestinationRule[], diagnostics: DiagnosticSink): MergedDestinationRule {
  const result: MergedDestinationRule = { host, subsets: [], rules: group };
  let policyFrom: DestinationRule | undefined;
  const subsetFrom = new Map<string, DestinationRule>();
  for (const rule of group) {
    if (rule.spec.trafficPolicy) {
      if (policyFrom) {
        diagnostics.report('DestinationRulePolicyIgnored', { resource: rule, path: 'spec.trafficPolicy' }, { host, winner: resourceRef(policyFrom) });
      } else {
        policyFrom = rule;
        result.trafficPolicy = rule.spec.trafficPolicy;
      }
    }
    (rule.spec.subsets ?? []).forEach((subset, index) => {
      const winner = subsetFrom.get(subset.name);
      if (winner) {
        diagnostics.report('SubsetDuplicate', { resource: rule, path: `spec.subsets[${index}]` }, { host, subset: subset.name, winner: resourceRef(winner) });
        return;
      }
      subsetFrom.set(subset.name, rule);
      result.subsets.push(subset);
    });
  }
  return result;
}
