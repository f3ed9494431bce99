import { defaultCosts, DEFAULT_COSTS, emptyLinkerdResources } from '../../model/index.ts';
import type { DestinationRule, HTTPMatchRequest, HTTPRetry, HTTPRoute, HTTPRouteMatch, Resource, Scenario, Service, ServiceProfileSpec, VirtualService } from '../../model/index.ts';
import type { Translation } from './translateToLinkerd.ts';

const LINKERD_ANNOTATION = /^(retry|timeout|balancer|config)\.linkerd\.io\//;

/**
 * A Linkerd scenario as Istio users would configure the same mesh: the same
 * workloads, pods (a meshed pod gets an Envoy sidecar instead of
 * linkerd-proxy), traffic and failures; an HTTPRoute on a Service becomes a
 * VirtualService for it (its rules in order, backendRefs as weighted
 * destinations, its or the Service's retry and timeout annotations as
 * `retries` and `timeout`), a ServiceProfile's routes likewise, and failure
 * accrual becomes outlier detection in a DestinationRule. What Istio has no
 * equivalent for is listed, with what replaces it.
 */
export function translateFromLinkerd(source: Scenario): Translation {
  const translated: string[] = [];
  const notTranslated: string[] = [];
  const virtualServices: VirtualService[] = [];
  const destinationRules: DestinationRule[] = [];
  const domain = source.mesh.clusterDomain;
  const fqdn = (s: { name: string; namespace: string }): string => `${s.name}.${s.namespace}.svc.${domain}`;
  const resource = <S>(kind: string, apiVersion: string, name: string, namespace: string, spec: S, order: number): Resource<S> => ({ apiVersion, kind, metadata: { name, namespace, labels: {}, annotations: {} }, spec, order });

  for (const service of source.services) {
    const at = `Service/${service.namespace}/${service.name}`;
    const annotations = service.annotations ?? {};
    const profile = source.linkerd.serviceProfiles.find((p) => p.metadata.name === fqdn(service) && p.metadata.namespace === service.namespace);
    const routes = source.linkerd.httpRoutes.filter((r) => (r.spec.parentRefs ?? []).some((p) => (p.kind ?? 'Service') === 'Service' && p.name === service.name && (p.namespace ?? r.metadata.namespace) === service.namespace));
    let http: HTTPRoute[] = [];
    if (profile) {
      http = profileRules(profile, service, fqdn, translated, notTranslated);
      if (routes.length > 0) notTranslated.push(`${at}: its HTTPRoutes are not translated, as Linkerd ignores them while a ServiceProfile exists`);
    } else if (routes.length > 0) {
      for (const route of routes) {
        const id = `${route.kind}/${route.metadata.namespace}/${route.metadata.name}`;
        const policy = { ...annotations, ...route.metadata.annotations };
        for (const [i, rule] of (route.spec.rules ?? []).entries()) {
          const destinations = (rule.backendRefs ?? []).map((b) => ({ destination: { host: fqdn({ name: b.name, namespace: b.namespace ?? route.metadata.namespace }), ...(b.port ? { port: { number: b.port } } : {}) }, weight: b.weight ?? 1 }));
          const match = (rule.matches ?? []).map((m) => istioMatch(m, `${id} rules[${i}]`, notTranslated));
          http.push({ ...(match.length > 0 ? { match } : {}), route: destinations.length > 0 ? destinations : [{ destination: { host: fqdn(service) } }], ...retryOf(policy, `${id} rules[${i}]`, notTranslated), ...timeoutOf(policy, rule.timeouts?.request) });
        }
        translated.push(`${id} → VirtualService ${route.metadata.namespace}/${service.name} http rules`);
      }
      if (http.length > 1) notTranslated.push(`${at}: Istio takes its VirtualService rules in order, where Linkerd picks the most specific match`);
    } else {
      const retry = retryOf(annotations, at, notTranslated);
      const timeout = timeoutOf(annotations, undefined);
      if (retry.retries || timeout.timeout) http = [{ route: [{ destination: { host: fqdn(service) } }], ...retry, ...timeout }];
    }
    if (http.length > 0) {
      virtualServices.push(resource('VirtualService', 'networking.istio.io/v1', service.name, service.namespace, { hosts: [fqdn(service)], http }, virtualServices.length));
      if (!profile && routes.length === 0) translated.push(`${at} retry and timeout annotations → VirtualService ${service.namespace}/${service.name}`);
    }
    if (annotations['timeout.linkerd.io/response'] !== undefined) notTranslated.push(`${at}: timeout.linkerd.io/response (the response's headers) has no Istio counterpart beside the whole request's timeout`);
    if (annotations['balancer.linkerd.io/failure-accrual'] === 'consecutive') {
      const maxFailures = Number(annotations['balancer.linkerd.io/failure-accrual-consecutive-max-failures'] ?? 7);
      const base = annotations['balancer.linkerd.io/failure-accrual-consecutive-min-penalty'] ?? '1s';
      const max = annotations['balancer.linkerd.io/failure-accrual-consecutive-max-penalty'] ?? '60s';
      const outlierDetection = { consecutive5xxErrors: maxFailures, interval: '1s', baseEjectionTime: base, maxEjectionPercent: 100 };
      destinationRules.push(resource('DestinationRule', 'networking.istio.io/v1', service.name, service.namespace, { host: fqdn(service), trafficPolicy: { outlierDetection } }, destinationRules.length));
      translated.push(`${at} failure accrual → DestinationRule ${service.namespace}/${service.name} outlierDetection: ejected after ${maxFailures} 5xx in a row for ${base} × the ejections so far, any share of the pods`);
      notTranslated.push(`${at}: failure accrual's probation (one probe request after each back-off) and its ${max} cap have no Envoy counterpart: an ejected pod returns at an outlier interval tick and takes traffic at once`);
    }
    for (const name of Object.keys(annotations)) if (name.startsWith('config.linkerd.io/')) notTranslated.push(`${at}: ${name} is linkerd-proxy's (left out)`);
  }

  for (const route of source.linkerd.httpRoutes) {
    const attached = (route.spec.parentRefs ?? []).some((p) => (p.kind ?? 'Service') === 'Service' && source.services.some((s) => s.name === p.name && s.namespace === (p.namespace ?? route.metadata.namespace)));
    if (!attached) notTranslated.push(`${route.kind}/${route.metadata.namespace}/${route.metadata.name}: no Service parent, nothing to translate it to`);
  }
  for (const server of source.linkerd.servers) {
    notTranslated.push(`Server/${server.metadata.namespace}/${server.metadata.name}: not translated (Istio's would be an AuthorizationPolicy selecting the same pods and port${server.spec.accessPolicy === 'deny' || server.spec.accessPolicy === undefined ? ', ALLOW only what its AuthorizationPolicies allow' : ''})`);
  }
  for (const policy of source.linkerd.authorizationPolicies) notTranslated.push(`AuthorizationPolicy/${policy.metadata.namespace}/${policy.metadata.name} (policy.linkerd.io): not translated (Istio's would be an ALLOW AuthorizationPolicy with the MeshTLSAuthentication's identities as principals)`);
  if (source.linkerd.meshTLSAuthentications.length > 0) notTranslated.push('MeshTLSAuthentications are left out with the AuthorizationPolicies that name them');
  notTranslated.push("Linkerd's fail-fast queue (a request waits up to 3 s for an endpoint) has no Envoy counterpart: with no healthy endpoint Envoy answers 503 UH at once, and never retries it");
  notTranslated.push('Linkerd retries fail-fast answers and per-attempt timeouts by itself; Istio retries only what retryOn lists');

  const namespaces = source.namespaces.map((n) => {
    const inject = n.annotations?.['linkerd.io/inject'];
    if (inject !== 'enabled' && inject !== 'ingress') return n;
    translated.push(`namespace ${n.name}: linkerd.io/inject → istio-injection=enabled (its pods get Envoy sidecars)`);
    const annotations = Object.fromEntries(Object.entries(n.annotations ?? {}).filter(([k]) => k !== 'linkerd.io/inject'));
    return { ...n, labels: { ...n.labels, 'istio-injection': 'enabled' }, annotations };
  });
  const services: Service[] = source.services.map((s) => ({ ...s, annotations: Object.fromEntries(Object.entries(s.annotations ?? {}).filter(([k]) => !LINKERD_ANNOTATION.test(k))) }));
  const kept = source.simulation.timeline.filter((e) => e.action.kind !== 'apply' && e.action.kind !== 'delete');
  if (kept.length < source.simulation.timeline.length) notTranslated.push('timeline changes to Linkerd resources (apply, delete) are left out');
  translated.push("balancing: Linkerd's P2C Peak-EWMA → Istio's least-request; mTLS: Istio's auto mTLS between sidecars (PERMISSIVE)");
  const costs = source.simulation.costs;
  const istioCosts = costs.proxyProcessing === defaultCosts('linkerd').proxyProcessing ? { ...costs, proxyProcessing: DEFAULT_COSTS.proxyProcessing } : costs;
  const scenario: Scenario = {
    ...source,
    namespaces,
    services,
    virtualServices,
    destinationRules,
    linkerd: emptyLinkerdResources(),
    simulation: { ...source.simulation, flavor: 'istio', costs: istioCosts, timeline: kept },
  };
  return { scenario, translated, notTranslated };
}

/** A ServiceProfile's routes as VirtualService rules, in order (Linkerd takes the first that matches too). */
function profileRules(profile: Resource<ServiceProfileSpec>, service: Service, fqdn: (s: Service) => string, translated: string[], notTranslated: string[]): HTTPRoute[] {
  const id = `ServiceProfile/${profile.metadata.namespace}/${profile.metadata.name}`;
  const rules: HTTPRoute[] = [];
  for (const [i, route] of (profile.spec.routes ?? []).entries()) {
    const c = route.condition ?? {};
    const parts = [c, ...(c.all ?? [])];
    if (c.any || c.not || parts.some((p) => p.any || p.not)) {
      notTranslated.push(`${id} routes[${i}] ${JSON.stringify(route.name)}: any/not conditions are not translated (left out)`);
      continue;
    }
    const match: HTTPMatchRequest = {};
    for (const p of parts) {
      if (p.method) match.method = { exact: p.method };
      if (p.pathRegex) match.uri = { regex: p.pathRegex };
    }
    rules.push({
      name: route.name,
      match: [match],
      route: [{ destination: { host: fqdn(service) } }],
      timeout: route.timeout ?? '10s',
      ...(route.isRetryable ? { retries: { attempts: 3, retryOn: '5xx' } } : {}),
    });
  }
  rules.push({ route: [{ destination: { host: fqdn(service) } }] });
  translated.push(`${id} → VirtualService ${service.namespace}/${service.name}: its routes in order (timeout default 10 s), isRetryable as 3 attempts on 5xx`);
  if (profile.spec.routes?.some((r) => r.isRetryable)) notTranslated.push(`${id}: the retry budget (${profile.spec.retryBudget ? `${profile.spec.retryBudget.retryRatio * 100} % + ${profile.spec.retryBudget.minRetriesPerSecond}/s` : '20 % + 10/s'}) has no per-route Istio counterpart: retries are limited to 3 attempts instead`);
  return rules;
}

/** An HTTPRoute match as a VirtualService match. */
function istioMatch(m: HTTPRouteMatch, at: string, notTranslated: string[]): HTTPMatchRequest {
  const out: HTTPMatchRequest = {};
  if (m.path?.value !== undefined) {
    const type = m.path.type ?? 'PathPrefix';
    out.uri = type === 'Exact' ? { exact: m.path.value } : type === 'PathPrefix' ? { prefix: m.path.value } : { regex: m.path.value };
    if (type === 'PathPrefix' && m.path.value !== '/') notTranslated.push(`${at}: PathPrefix ${m.path.value} becomes a uri prefix, which also matches inside a path segment`);
  }
  if (m.headers?.length) out.headers = Object.fromEntries(m.headers.map((h) => [h.name.toLowerCase(), h.type === 'RegularExpression' ? { regex: h.value } : { exact: h.value }]));
  if (m.queryParams?.length) out.queryParams = Object.fromEntries(m.queryParams.map((q) => [q.name, q.type === 'RegularExpression' ? { regex: q.value } : { exact: q.value }]));
  if (m.method) out.method = { exact: m.method };
  return out;
}

/** Linkerd's retry annotations (§10.1) as Istio `retries`: the limit as attempts, the statuses as retryOn. */
function retryOf(a: Record<string, string>, at: string, notTranslated: string[]): { retries?: HTTPRetry } {
  const statuses = a['retry.linkerd.io/http'];
  if (statuses === undefined) return {};
  const retryOn: string[] = [];
  for (const part of statuses.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (part === '5xx' || part === 'gateway-error' || /^\d{3}$/.test(part)) retryOn.push(part);
    else if (part === '500-599') retryOn.push('5xx');
    else notTranslated.push(`${at}: retry.linkerd.io/http ${part} has no Istio retryOn (left out)`);
  }
  if (retryOn.length === 0) return {};
  const retries: HTTPRetry = { attempts: Number(a['retry.linkerd.io/limit'] ?? 1), retryOn: retryOn.join(',') };
  const perTry = a['retry.linkerd.io/timeout'];
  if (perTry) retries.perTryTimeout = perTry;
  notTranslated.push(`${at}: Linkerd's retry back-off (25 ms doubling to 250 ms, full jitter) becomes Envoy's (25 ms base, up to 250 ms)`);
  return { retries };
}

function timeoutOf(a: Record<string, string>, ruleTimeout: string | undefined): { timeout?: string } {
  const timeout = a['timeout.linkerd.io/request'] ?? ruleTimeout;
  return timeout ? { timeout } : {};
}

