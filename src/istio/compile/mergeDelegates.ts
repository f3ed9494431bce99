import type { HTTPMatchRequest, HTTPRoute, StringMatch, VirtualService } from '../../model/index.ts';
import { resourceRef, type DiagnosticSink } from './DiagnosticSink.ts';
import { MESH_GATEWAY } from './gatewayBinding.ts';

/** Where a merged rule came from: the delegate and its rule, so routes point at what the user wrote. */
export type DelegatedRules = Map<HTTPRoute, { resource: string; ruleIndex: number }>;

/**
 * Delegate VirtualServices as istiod merges them (Istio src
 * `pilot/pkg/model/virtualservice.go`, `mergeVirtualServicesIfNeeded`,
 * `mergeHTTPRoute`): a VirtualService without hosts is a delegate and
 * routes nothing on its own; a root rule with `delegate` is replaced by the
 * delegate's rules, each merged with it — its match blocks must each lie
 * within one of the root rule's (else that delegate rule is dropped), and
 * what the delegate rule leaves unset (timeout, retries, fault, mirrors,
 * direct response) comes from the root rule. A delegate that cannot be
 * found (absent, or a VirtualService with hosts, which istiod never takes
 * for a delegate) drops the root rule. Istio's webhook refuses a delegate
 * with a `delegate` of its own (`validateDelegateHTTPRoute`: one level
 * only) and a root whose `gateways` name no gateway ("http delegate only
 * applies to gateway"): both are left out here too.
 */
export function mergeDelegates(virtualServices: readonly VirtualService[], sink: DiagnosticSink): { virtualServices: VirtualService[]; delegated: DelegatedRules } {
  const delegated: DelegatedRules = new Map();
  const isRoot = (vs: VirtualService) => (vs.spec.http ?? []).some((rule) => rule.delegate !== undefined);
  if (!virtualServices.some(isRoot)) return { virtualServices: [...virtualServices], delegated };
  const key = (namespace: string, name: string) => `${namespace}/${name}`;
  const delegates = new Map<string, VirtualService>();
  const withHosts = new Map<string, VirtualService>();
  for (const vs of virtualServices) {
    const at = key(vs.metadata.namespace, vs.metadata.name);
    if ((vs.spec.hosts ?? []).length > 0) {
      withHosts.set(at, vs);
      continue;
    }
    const nested = (vs.spec.http ?? []).findIndex((rule) => rule.delegate !== undefined);
    if (nested >= 0) sink.report('DelegateNested', { resource: vs, path: `spec.http[${nested}].delegate` });
    else delegates.set(at, vs);
  }
  const out: VirtualService[] = [];
  for (const vs of virtualServices) {
    if ((vs.spec.hosts ?? []).length === 0) continue;
    if (!isRoot(vs)) {
      out.push(vs);
      continue;
    }
    if (!(vs.spec.gateways ?? []).some((g) => g !== MESH_GATEWAY)) {
      sink.report('DelegateRootNotOnGateway', { resource: vs, path: 'spec.gateways' });
      continue;
    }
    const http: HTTPRoute[] = [];
    (vs.spec.http ?? []).forEach((rule, index) => {
      if (!rule.delegate) return void http.push(rule);
      const namespace = rule.delegate.namespace || vs.metadata.namespace;
      const name = rule.delegate.name ?? '';
      const target = key(namespace, name);
      const delegate = delegates.get(target);
      if (!delegate) {
        const why = withHosts.has(target) ? `has hosts, so istiod does not take it for a delegate (it applies on its own to its hosts)` : 'does not exist (or Istio refused it)';
        return void sink.report('DelegateNotFound', { resource: vs, path: `spec.http[${index}].delegate` }, { delegate: target, why });
      }
      (delegate.spec.http ?? []).forEach((sub, subIndex) => {
        const merged = mergeRule(rule, sub);
        if (!merged) {
          sink.report('DelegateMatchConflict', { resource: vs, path: `spec.http[${index}].delegate` }, { delegate: resourceRef(delegate), rule: `http[${subIndex}]` });
          return;
        }
        delegated.set(merged, { resource: resourceRef(delegate), ruleIndex: subIndex });
        http.push(merged);
      });
    });
    out.push({ ...vs, spec: { ...vs.spec, http } });
  }
  return { virtualServices: out, delegated };
}

/** istiod `mergeHTTPRoute`: the delegate rule inside the root rule, or undefined when their matches conflict. */
function mergeRule(root: HTTPRoute, sub: HTTPRoute): HTTPRoute | undefined {
  const match = mergeMatches(root.match ?? [], sub.match ?? []);
  if (!match) return undefined;
  const merged: HTTPRoute = { ...sub };
  if (match.length > 0) merged.match = match;
  const name = sub.name ? (root.name ? `${root.name}-${sub.name}` : sub.name) : root.name;
  if (name !== undefined) merged.name = name;
  if (merged.directResponse === undefined && root.directResponse !== undefined) merged.directResponse = root.directResponse;
  if (merged.timeout === undefined && root.timeout !== undefined) merged.timeout = root.timeout;
  if (merged.retries === undefined && root.retries !== undefined) merged.retries = root.retries;
  if (merged.fault === undefined && root.fault !== undefined) merged.fault = root.fault;
  if (merged.mirror === undefined && root.mirror !== undefined) merged.mirror = root.mirror;
  if (merged.mirrorPercentage === undefined && root.mirrorPercentage !== undefined) merged.mirrorPercentage = root.mirrorPercentage;
  if (merged.mirrors === undefined && root.mirrors !== undefined) merged.mirrors = root.mirrors;
  return merged;
}

/** istiod `mergeHTTPMatchRequests`: every delegate match block combined with each root block it does not conflict with. */
function mergeMatches(root: HTTPMatchRequest[], sub: HTTPMatchRequest[]): HTTPMatchRequest[] | undefined {
  if (root.length === 0) return sub;
  if (sub.length === 0) return root;
  const out: HTTPMatchRequest[] = [];
  for (const leaf of sub) {
    const fits = root.filter((r) => !conflicts(r, leaf));
    if (fits.length === 0) return undefined;
    for (const r of fits) out.push(combine(r, leaf));
  }
  return out;
}

function combine(root: HTTPMatchRequest, leaf: HTTPMatchRequest): HTTPMatchRequest {
  const out: HTTPMatchRequest = { ...leaf };
  const name = leaf.name ? (root.name ? `${root.name}-${leaf.name}` : leaf.name) : root.name;
  if (name !== undefined) out.name = name;
  for (const field of ['uri', 'scheme', 'method', 'authority'] as const) {
    const value = out[field] ?? root[field];
    if (value !== undefined) out[field] = value;
  }
  for (const field of ['headers', 'withoutHeaders', 'queryParams'] as const) {
    if (root[field] || leaf[field]) out[field] = { ...root[field], ...leaf[field] };
  }
  if (root.sourceLabels || leaf.sourceLabels) out.sourceLabels = { ...root.sourceLabels, ...leaf.sourceLabels };
  if (!out.port && root.port) out.port = root.port;
  if (!out.sourceNamespace && root.sourceNamespace) out.sourceNamespace = root.sourceNamespace;
  if (!out.gateways?.length && root.gateways) out.gateways = root.gateways;
  return out;
}

/** istiod `hasConflict`: the delegate block can match a request the root block does not. */
function conflicts(root: HTTPMatchRequest, leaf: HTTPMatchRequest): boolean {
  for (const field of ['uri', 'scheme', 'method', 'authority'] as const) if (stringConflict(root[field], leaf[field])) return true;
  for (const field of ['headers', 'withoutHeaders', 'queryParams'] as const) {
    for (const [name, value] of Object.entries(leaf[field] ?? {})) if (stringConflict(root[field]?.[name], value)) return true;
  }
  if ((root.ignoreUriCase ?? false) !== (leaf.ignoreUriCase ?? false)) return true;
  if (root.port && leaf.port && root.port !== leaf.port) return true;
  if (root.sourceNamespace && leaf.sourceNamespace !== root.sourceNamespace) return true;
  for (const [name, value] of Object.entries(leaf.sourceLabels ?? {})) if (root.sourceLabels?.[name] !== undefined && root.sourceLabels[name] !== value) return true;
  if (root.gateways?.length && leaf.gateways?.length && leaf.gateways.some((g) => !root.gateways?.includes(g))) return true;
  return false;
}

/** istiod `stringMatchConflict`: only an exact or prefix inside the root's prefix, or the same exact, fits. */
function stringConflict(root: StringMatch | undefined, leaf: StringMatch | undefined): boolean {
  if (!root || !leaf) return false;
  if (root.regex || leaf.regex) return true;
  if (root.exact !== undefined) return leaf.prefix !== undefined || leaf.exact !== root.exact;
  if (root.prefix !== undefined) {
    if (leaf.prefix !== undefined) return !leaf.prefix.startsWith(root.prefix);
    if (leaf.exact !== undefined) return !leaf.exact.startsWith(root.prefix);
  }
  return true;
}
