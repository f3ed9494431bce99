import { defaultCosts, DEFAULT_COSTS, emptyLinkerdResources } from '../../model/index.ts';
import type { DestinationRule, HTTPMatchRequest, HTTPRoute, HTTPRouteMatch, HTTPRouteRule, HTTPRouteSpec, Resource, Scenario, Service, StringMatch } from '../../model/index.ts';
import { resolveServiceAddress } from '../../istio/index.ts';

/** A scenario made for another flavor, and what of its config could be carried over and what not. */
export interface Translation {
  scenario: Scenario;
  /** What became what, in Linkerd's terms. */
  translated: string[];
  /** What Linkerd has no equivalent for, and what (if anything) stands in its place. */
  notTranslated: string[];
}

/**
 * An Istio scenario as Linkerd users would configure the same mesh: the
 * same workloads, pods, traffic and failures; a VirtualService's weighted
 * subsets become an HTTPRoute on the Service with one backend Service per
 * subset (Linkerd splits between Services), its matches the route's matches,
 * its `retries` and `timeout` Linkerd's retry and timeout annotations; a
 * DestinationRule's outlier detection becomes failure accrual on the
 * Services. What has no Linkerd equivalent is listed, with what replaces it.
 */
export function translateToLinkerd(source: Scenario): Translation {
  const translated: string[] = [];
  const notTranslated: string[] = [];
  const scenario: Scenario = {
    ...source,
    services: source.services.map((s) => ({ ...s, annotations: { ...(s.annotations ?? {}) } })),
    virtualServices: [],
    destinationRules: [],
    peerAuthentications: [],
    authorizationPolicies: [],
    linkerd: emptyLinkerdResources(),
    simulation: { ...source.simulation, flavor: 'linkerd', costs: linkerdCosts(source) },
  };
  const serviceOf = (host: string, namespace: string): Service | undefined => {
    const found = resolveServiceAddress(source, namespace, host);
    return found ? scenario.services.find((s) => s.name === found.service.name && s.namespace === found.service.namespace) : undefined;
  };
  const subsetService = (parent: Service, subset: string, rules: DestinationRule[]): Service | undefined => {
    const labels = rules.flatMap((r) => r.spec.subsets ?? []).find((s) => s.name === subset)?.labels;
    if (!labels) return undefined;
    const name = `${parent.name}-${subset}`;
    const existing = scenario.services.find((s) => s.name === name && s.namespace === parent.namespace);
    if (existing) return existing;
    const made: Service = { name, namespace: parent.namespace, selector: { ...parent.selector, ...labels }, ports: parent.ports, annotations: { ...(parent.annotations ?? {}) } };
    scenario.services.push(made);
    translated.push(`subset ${subset} of ${parent.name} → Service ${name} (Linkerd splits between Services)`);
    return made;
  };

  for (const vs of [...source.virtualServices].sort((a, b) => a.order - b.order)) {
    const id = `VirtualService/${vs.metadata.namespace}/${vs.metadata.name}`;
    for (const host of vs.spec.hosts ?? []) {
      const parent = serviceOf(host, vs.metadata.namespace);
      if (!parent) {
        notTranslated.push(`${id} host ${host}: no Service of the mesh, nothing to attach an HTTPRoute to`);
        continue;
      }
      const rules = source.destinationRules.filter((r) => serviceOf(r.spec.host, r.metadata.namespace) === parent);
      const routeRules: HTTPRouteRule[] = [];
      const annotations: Record<string, string> = {};
      for (const [i, rule] of (vs.spec.http ?? []).entries()) {
        const at = `${id} http[${i}]`;
        const backends = (rule.route ?? []).flatMap((d) => {
          const target = serviceOf(d.destination.host, vs.metadata.namespace);
          const service = target && d.destination.subset ? subsetService(target, d.destination.subset, rules) : target;
          if (!service) {
            notTranslated.push(`${at}: destination ${d.destination.host}${d.destination.subset ? ` subset ${d.destination.subset}` : ''} has no Service to route to`);
            return [];
          }
          return [{ name: service.name, namespace: service.namespace, port: d.destination.port?.number ?? service.ports[0]?.port, weight: d.weight ?? (rule.route?.length === 1 ? 1 : 0) }];
        });
        for (const unsupported of unsupportedParts(rule)) notTranslated.push(`${at}: ${unsupported}`);
        const matches = (rule.match ?? []).flatMap((m) => translateMatch(m, `${at}`, notTranslated));
        routeRules.push({ ...(matches.length > 0 ? { matches } : {}), backendRefs: backends });
        Object.assign(annotations, retryAnnotations(rule, at, translated, notTranslated));
      }
      if ((vs.spec.http ?? []).length > 1) notTranslated.push(`${id}: Linkerd picks among rules by how specific their match is, not by their order`);
      scenario.linkerd.httpRoutes.push(httpRoute(vs, parent, routeRules, annotations));
      translated.push(`${id} → HTTPRoute/${vs.metadata.namespace}/${vs.metadata.name} on Service ${parent.name}${Object.keys(annotations).length ? ` with ${Object.keys(annotations).join(', ')}` : ''}`);
    }
  }
  for (const dr of source.destinationRules) translateDestinationRule(dr, serviceOf, scenario, translated, notTranslated);
  if (source.virtualServices.length === 0 || source.virtualServices.some((vs) => (vs.spec.http ?? []).some((r) => !r.retries))) {
    notTranslated.push("Istio's default retries (2, on connect failures and refused streams) have no Linkerd counterpart: routes without retry annotations are not retried");
  }
  for (const pa of source.peerAuthentications) notTranslated.push(`PeerAuthentication/${pa.metadata.namespace}/${pa.metadata.name}: Linkerd's mTLS is on between meshed pods whatever it says; refusing plaintext would take a Server with an authenticated accessPolicy`);
  for (const ap of source.authorizationPolicies) notTranslated.push(`AuthorizationPolicy/${ap.metadata.namespace}/${ap.metadata.name}: not translated (Linkerd's would be a Server, an AuthorizationPolicy and a MeshTLSAuthentication)`);
  const kept = source.simulation.timeline.filter((e) => e.action.kind !== 'apply' && e.action.kind !== 'delete');
  if (kept.length < source.simulation.timeline.length) notTranslated.push('timeline changes to Istio resources (apply, delete) are left out');
  scenario.simulation = { ...scenario.simulation, timeline: kept };
  translated.push(`balancing: Istio's least-request → Linkerd's P2C Peak-EWMA (§10.3); mTLS: on between meshed pods (§6.4)`);
  return { scenario, translated, notTranslated };
}

/** Istio's default per-pass cost becomes Linkerd's; a cost the user set stays. */
function linkerdCosts(source: Scenario): Scenario['simulation']['costs'] {
  const costs = source.simulation.costs;
  return costs.proxyProcessing === DEFAULT_COSTS.proxyProcessing ? { ...costs, proxyProcessing: defaultCosts('linkerd').proxyProcessing } : costs;
}

function unsupportedParts(rule: HTTPRoute): string[] {
  const out: string[] = [];
  if (rule.fault) out.push('fault injection has no Linkerd annotation equivalent here (left out)');
  if (rule.mirror || rule.mirrors) out.push('mirroring is not translated (left out)');
  if (rule.redirect || rule.directResponse) out.push('a redirect or direct response is not translated (left out)');
  return out;
}

function translateMatch(m: HTTPMatchRequest, at: string, notTranslated: string[]): HTTPRouteMatch[] {
  const out: HTTPRouteMatch = {};
  if (m.uri) {
    const path = stringMatch(m.uri);
    if (path) out.path = { type: path.type === 'Exact' ? 'Exact' : path.type === 'Prefix' ? 'PathPrefix' : 'RegularExpression', value: path.value };
    if (path?.type === 'Prefix') notTranslated.push(`${at}: the uri prefix ${m.uri.prefix} now matches whole path segments, as Linkerd's PathPrefix does`);
  }
  const headers = Object.entries(m.headers ?? {}).flatMap(([name, sm]) => {
    const v = stringMatch(sm);
    if (!v || v.type === 'Prefix') {
      notTranslated.push(`${at}: header ${name} prefix match has no HTTPRoute equivalent (left out)`);
      return [];
    }
    return [{ type: v.type === 'Exact' ? ('Exact' as const) : ('RegularExpression' as const), name, value: v.value }];
  });
  if (headers.length > 0) out.headers = headers;
  if (m.method?.exact) out.method = m.method.exact;
  if (m.withoutHeaders || m.queryParams || m.sourceLabels || m.authority) notTranslated.push(`${at}: withoutHeaders, queryParams, authority and sourceLabels matches are not translated`);
  return [out];
}

function stringMatch(sm: StringMatch): { type: 'Exact' | 'Prefix' | 'Regex'; value: string } | undefined {
  if (sm.exact !== undefined) return { type: 'Exact', value: sm.exact };
  if (sm.prefix !== undefined) return { type: 'Prefix', value: sm.prefix };
  if (sm.regex !== undefined) return { type: 'Regex', value: sm.regex };
  return undefined;
}

/** VirtualService `retries` and `timeout` → `retry.linkerd.io/*` and `timeout.linkerd.io/request` (§10.1, §10.2). */
function retryAnnotations(rule: HTTPRoute, at: string, translated: string[], notTranslated: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  if (rule.timeout) out['timeout.linkerd.io/request'] = rule.timeout;
  const retries = rule.retries;
  if (!retries || (retries.attempts ?? 0) <= 0) return out;
  out['retry.linkerd.io/limit'] = String(retries.attempts);
  const conditions = (retries.retryOn ?? '').split(',').map((c) => c.trim()).filter(Boolean);
  const http = conditions.filter((c) => c === '5xx' || c === 'gateway-error' || /^\d{3}$/.test(c));
  const other = conditions.filter((c) => !http.includes(c));
  if (http.length > 0) out['retry.linkerd.io/http'] = http.join(',');
  if (retries.perTryTimeout) out['retry.linkerd.io/timeout'] = retries.perTryTimeout;
  translated.push(`${at} retries → ${Object.entries(out).filter(([k]) => k.startsWith('retry.')).map(([k, v]) => `${k}: ${v}`).join(', ')}`);
  if (other.length > 0) notTranslated.push(`${at}: retryOn ${other.join(',')} has no Linkerd condition (Linkerd retries fail-fast errors and per-attempt timeouts by itself; connection errors are not retried)`);
  if (retries.backoff) notTranslated.push(`${at}: backoff ${retries.backoff} has no Linkerd setting (Linkerd waits 25 ms doubling to 250 ms)`);
  return out;
}

function translateDestinationRule(
  dr: DestinationRule,
  serviceOf: (host: string, namespace: string) => Service | undefined,
  scenario: Scenario,
  translated: string[],
  notTranslated: string[],
): void {
  const id = `DestinationRule/${dr.metadata.namespace}/${dr.metadata.name}`;
  const parent = serviceOf(dr.spec.host, dr.metadata.namespace);
  const policy = dr.spec.trafficPolicy;
  const od = policy?.outlierDetection;
  if (od && parent) {
    const maxFailures = od.consecutive5xxErrors ?? od.consecutiveGatewayErrors ?? 7;
    const targets = scenario.services.filter((s) => s.namespace === parent.namespace && (s === parent || s.name.startsWith(`${parent.name}-`)));
    for (const s of targets) {
      s.annotations = { ...(s.annotations ?? {}), 'balancer.linkerd.io/failure-accrual': 'consecutive', 'balancer.linkerd.io/failure-accrual-consecutive-max-failures': String(maxFailures) };
    }
    const base = od.baseEjectionTime ? ` (baseEjectionTime ${od.baseEjectionTime} becomes Linkerd's back-off: 1 s doubling to 60 s, one probe request after each)` : '';
    translated.push(`${id} outlierDetection → failure accrual on ${targets.map((s) => s.name).join(', ')}: unavailable after ${maxFailures} failures in a row${base}`);
    notTranslated.push(`${id}: outlier detection has no Linkerd counterpart; failure accrual replaces it (no interval, no maxEjectionPercent, no panic threshold)`);
  }
  if (policy?.connectionPool) notTranslated.push(`${id}: connectionPool limits have no Linkerd counterpart (left out)`);
  if (policy?.loadBalancer) notTranslated.push(`${id}: loadBalancer is replaced by Linkerd's Peak-EWMA`);
  if (policy?.tls) notTranslated.push(`${id}: tls is replaced by Linkerd's automatic mTLS`);
  if (policy?.retryBudget) notTranslated.push(`${id}: retryBudget (Envoy's) is not translated; a ServiceProfile would give Linkerd's`);
}

function httpRoute(vs: Resource<unknown>, parent: Service, rules: HTTPRouteRule[], annotations: Record<string, string>): Resource<HTTPRouteSpec> {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: vs.metadata.name, namespace: vs.metadata.namespace, labels: {}, annotations },
    spec: { parentRefs: [{ group: 'core', kind: 'Service', name: parent.name, namespace: parent.namespace }], rules },
    order: vs.order,
  };
}
