import { byName, clusterName, ISTIO_UNLIMITED, linkerdAccessLogFormat, ms } from '../../../model/index.ts';
import type { ClusterXds, HTTPRouteSpec, InboundXds, LinkerdAccessLogFormat, MeshXds, Pod, ProxyXds, Resource, Scenario, Service, ServiceProfileSpec, VirtualHostXds } from '../../../model/index.ts';
import type { CompileResult } from '../compileMesh.ts';
import { buildKubeServices } from '../buildKubeServices.ts';
import { createCompileContext, type CompileContext } from '../CompileContext.ts';
import { resourceRef } from '../DiagnosticSink.ts';
import { httpRouteRoutes, serviceProfileRoutes, type ServicePolicy } from './buildLinkerdRoutes.ts';
import { compileLinkerdAuthz } from './compileLinkerdAuthz.ts';
import { readAnnotations, type AnnotationPolicy } from './linkerdAnnotations.ts';
import { annotationRetry, noLinkerdRetry } from './linkerdRetryPolicy.ts';
import { clusterXds, routeToClusters } from '../../../model/index.ts';

/** Linkerd's balancer defaults (§10.3: policy-controller `BALANCER_DEFAULT_RTT`, `BALANCER_RTT_DECAY`). */
const PEAK_EWMA = { kind: 'PEAK_EWMA', defaultRtt: ms(30), decay: ms(10_000) } as const;

/**
 * linkerd2-proxy `app/src/env.rs`: outbound connect timeout 1 s, HTTP queue
 * capacity 10,000 (`DEFAULT_OUTBOUND_HTTP_QUEUE_CAPACITY`; full, the backend
 * is not ready and the route sheds or draws another), and
 * `DEFAULT_OUTBOUND_HTTP_FAILFAST_TIMEOUT`, 3 s: how long requests wait in
 * that queue for an endpoint before failing fast.
 *
 * The policy controller sends each backend a queue of its own, capacity 100
 * and fail-fast 3 s (linkerd2 `policy-controller/grpc/src/outbound.rs`
 * `default_queue_config`), and the proxy reads it
 * (`linkerd/proxy/client-policy/src/lib.rs`), but its HTTP balancer does not
 * use it: `linkerd/app/outbound/src/http/concrete/balance.rs` takes
 * `config.http_request_queue` ("TODO(ver) Configure queues from the target
 * (i.e. from discovery)"), the environment's values above, which the injector
 * leaves at their defaults. So a cluster with policy-controller discovery
 * gets 10,000 and 3 s, as here (linkerd2-proxy 29637b64f6ce, linkerd2
 * b24cd4059841).
 */
const CONNECT_TIMEOUT = ms(1_000);
const QUEUE_CAPACITY = 10_000;
const FAILFAST_TIMEOUT = ms(3_000);

/**
 * The control plane under `flavor: linkerd`: Services, HTTPRoutes,
 * ServiceProfiles, annotations and Linkerd's policy kinds → each
 * linkerd-proxy's config in the same small xDS the engine reads, with the
 * proxy's own behaviours selected in it: Peak-EWMA balancing, failure
 * accrual instead of outlier detection, Linkerd's retries (§10). mTLS
 * between meshed pods is always on (§6.4). Pure and deterministic.
 */
export function compileLinkerd(scenario: Scenario): CompileResult {
  const ctx = createCompileContext(scenario);
  const telemetry = scenario.otherResources.filter((r) => r.kind === 'Telemetry');
  for (const resource of [...scenario.virtualServices, ...scenario.destinationRules, ...scenario.peerAuthentications, ...scenario.authorizationPolicies, ...telemetry]) {
    ctx.diagnostics.report('IstioKindUnderLinkerd', { resource }, { kind: resource.kind });
  }
  const services = new Map(ctx.services.all.map((e) => [e.fqdn, e]));
  const profiles = new Map<string, Resource<ServiceProfileSpec>>();
  for (const sp of scenario.linkerd.serviceProfiles) {
    const entry = services.get(sp.metadata.name);
    if (!entry) ctx.diagnostics.report('ServiceProfileNameNotFqdn', { resource: sp, path: 'metadata.name' }, { name: sp.metadata.name });
    // One in the client's namespace wins over one in the Service's (§10.1); meshviz reads the Service's.
    else if (sp.metadata.namespace === entry.service.namespace || !profiles.has(sp.metadata.name)) profiles.set(sp.metadata.name, sp);
  }
  const annotations = new Map<string, AnnotationPolicy>();
  for (const entry of ctx.services.all) annotations.set(entry.fqdn, readAnnotations({ meta: serviceMeta(entry.service), diagnostics: ctx.diagnostics, resourceOf: serviceResource(entry.service) }));

  const clusters = buildClusters(ctx, annotations, profiles);
  const virtualHosts = buildVirtualHosts(ctx, annotations, profiles);
  const proxies = byName<ProxyXds>();
  const inbound = new Map<string, InboundXds>();
  const accessLogOf = accessLogFormats(scenario);
  for (const pod of scenario.pods) {
    if (!pod.sidecar) continue;
    const authz = compileLinkerdAuthz(scenario.linkerd, pod, scenario.mesh.trustDomain, ctx.diagnostics);
    const key = JSON.stringify(authz);
    let own = inbound.get(key);
    if (!own) inbound.set(key, (own = { mtls: { default: 'PERMISSIVE', ports: {} }, ...(authz.length > 0 ? { authz } : {}) }));
    const accessLog = accessLogOf(pod);
    proxies[pod.name] = { pod: pod.name, dataPlane: 'linkerd-proxy', virtualHosts, clusters, inbound: own, ...(accessLog ? { linkerdAccessLog: accessLog } : {}) };
  }
  const xds: MeshXds = { proxies, kubeServices: buildKubeServices(ctx) };
  return { xds, diagnostics: ctx.diagnostics.list() };
}

/** One cluster per Service port, every endpoint meshed with mTLS (§6.4), Linkerd's balancer, failure accrual when annotated. */
function buildClusters(ctx: CompileContext, annotations: Map<string, AnnotationPolicy>, profiles: Map<string, unknown>): Record<string, ClusterXds> {
  const clusters: Record<string, ClusterXds> = {};
  for (const entry of ctx.services.all) {
    // A ServiceProfile switches the annotations off, failure accrual with them (§10.4).
    const accrual = profiles.has(entry.fqdn) ? undefined : annotations.get(entry.fqdn)?.accrual;
    for (const port of entry.service.ports) {
      const name = clusterName(port.port, undefined, entry.fqdn);
      if (name in clusters) continue;
      clusters[name] = clusterXds({
        name,
        host: entry.fqdn,
        port: port.port,
        endpoints: ctx.services.endpoints(entry, port),
        lb: PEAK_EWMA,
        accrual,
        failFast: { timeout: FAILFAST_TIMEOUT, capacity: QUEUE_CAPACITY },
        healthyPanicThreshold: 0,
        thresholds: { maxConnections: ISTIO_UNLIMITED, maxPendingRequests: QUEUE_CAPACITY, maxRequests: ISTIO_UNLIMITED, maxRetries: ISTIO_UNLIMITED },
        maxRequestsPerConnection: 0,
        connectTimeout: CONNECT_TIMEOUT,
        tls: { mode: 'ISTIO_MUTUAL', auto: true },
      });
    }
  }
  return clusters;
}

/**
 * Every Service port's routes, shared by all proxies: a ServiceProfile's
 * routes when one exists (it wins over HTTPRoutes and annotations, §10.1),
 * else the HTTPRoutes whose parent the Service is, else one route to the
 * Service with its annotation policy.
 */
function buildVirtualHosts(ctx: CompileContext, annotations: Map<string, AnnotationPolicy>, profiles: Map<string, Resource<ServiceProfileSpec>>): Record<string, VirtualHostXds> {
  const table: Record<string, VirtualHostXds> = {};
  const attached = attachRoutes(ctx);
  for (const entry of ctx.services.all) {
    const serviceAnnotations = annotations.get(entry.fqdn) ?? { timeouts: {} };
    const servicePolicy = policyOf(serviceAnnotations, `annotations on Service/${entry.service.namespace}/${entry.service.name}`);
    const profile = profiles.get(entry.fqdn);
    for (const { port } of entry.service.ports) {
      const name = `${entry.fqdn}:${port}`;
      if (name in table) continue;
      const routes = attached.get(entry.fqdn)?.filter((r) => r.port === undefined || r.port === port).map((r) => r.route) ?? [];
      const built = profile
        ? serviceProfileRoutes(profile, entry.fqdn, port, (path, what) => ctx.diagnostics.report('ServiceProfileConditionUnsupported', { resource: profile, path }, { what }), noLinkerdRetry())
        : routes.length > 0
          ? httpRouteRoutes(ctx, routes, { namespace: entry.service.namespace, host: entry.fqdn, port }, (route) => routePolicy(ctx, route, serviceAnnotations, servicePolicy))
          : [{ name: 'default', origin: { kind: 'default' as const }, match: { headers: [], queryParams: [] }, action: routeToClusters({ clusters: [{ cluster: clusterName(port, undefined, entry.fqdn), weight: 1 }], timeout: servicePolicy.timeout, retry: servicePolicy.retry, mirrors: [] }) }];
      table[name] = { name, host: entry.fqdn, port, routes: built };
    }
  }
  return table;
}

/** HTTPRoutes by the FQDN of the Service they name as parent (and the port, when the parentRef gives one). */
function attachRoutes(ctx: CompileContext): Map<string, Array<{ route: Resource<HTTPRouteSpec>; port: number | undefined }>> {
  const out = new Map<string, Array<{ route: Resource<HTTPRouteSpec>; port: number | undefined }>>();
  for (const route of ctx.scenario.linkerd.httpRoutes) {
    for (const [i, parent] of (route.spec.parentRefs ?? []).entries()) {
      const kind = parent.kind ?? 'Gateway';
      if (kind !== 'Service') {
        ctx.diagnostics.report('LinkerdParentNotService', { resource: route, path: `spec.parentRefs[${i}]` }, { kind });
        continue;
      }
      const fqdn = ctx.hosts.fqdn(parent.name, parent.namespace ?? route.metadata.namespace);
      if (!ctx.services.get(fqdn)) {
        ctx.diagnostics.report('LinkerdParentUnknown', { resource: route, path: `spec.parentRefs[${i}]` }, { parent: parent.name });
        continue;
      }
      out.set(fqdn, [...(out.get(fqdn) ?? []), { route, port: parent.port }]);
    }
    for (const [r, rule] of (route.spec.rules ?? []).entries()) {
      for (const [b, backend] of (rule.backendRefs ?? []).entries()) {
        const fqdn = ctx.hosts.fqdn(backend.name, backend.namespace ?? route.metadata.namespace);
        const service = ctx.services.get(fqdn)?.service;
        if (!service || (backend.port !== undefined && !service.ports.some((p) => p.port === backend.port))) {
          ctx.diagnostics.report('LinkerdBackendUnknown', { resource: route, path: `spec.rules[${r}].backendRefs[${b}]` }, { backend: `${backend.name}${backend.port ? `:${backend.port}` : ''}` });
        }
      }
    }
  }
  return out;
}

/** An HTTPRoute's own retry and timeout annotations replace the Service's (§10.1). */
function routePolicy(ctx: CompileContext, route: Resource<HTTPRouteSpec>, service: AnnotationPolicy, servicePolicy: ServicePolicy): ServicePolicy {
  const own = readAnnotations({ meta: route.metadata, diagnostics: ctx.diagnostics, resourceOf: route });
  const retry = own.retry ? annotationRetry(own.retry, `annotations on ${resourceRef(route)}`) : servicePolicy.retry;
  const timeouts = own.timeouts.request !== undefined || own.timeouts.response !== undefined ? own.timeouts : service.timeouts;
  return { retry, timeout: requestTimeout(timeouts) };
}

function policyOf(annotations: AnnotationPolicy, source: string): ServicePolicy {
  return { retry: annotationRetry(annotations.retry, source), timeout: requestTimeout(annotations.timeouts) };
}

/**
 * The route timeout: `timeout.linkerd.io/request` covers the whole exchange,
 * `response` the backend's answer; the engine has one route timer, so the
 * shorter applies (a request without a body stream ends when its response does).
 */
function requestTimeout(t: AnnotationPolicy['timeouts']): number {
  const set = [t.request, t.response].filter((v): v is number => v !== undefined && v > 0);
  return set.length > 0 ? Math.min(...set) : 0;
}

/**
 * The access-log format each pod's proxy is injected with: its template's
 * `config.linkerd.io/access-log`, else its namespace's (linkerd2
 * `pkg/inject/inject.go`: namespace annotations are the base, the
 * workload's win); a value the proxy refuses (reported when loaded) means none.
 */
function accessLogFormats(scenario: Scenario): (pod: Pod) => LinkerdAccessLogFormat | undefined {
  const byWorkload = new Map(scenario.workloads.map((w) => [`${w.namespace}/${w.name}`, w.linkerdAccessLog]));
  const byNamespace = new Map(scenario.namespaces.map((n) => [n.name, n.annotations?.[ACCESS_LOG]]));
  return (pod) => {
    const value = byWorkload.get(`${pod.namespace}/${pod.workload}`) ?? byNamespace.get(pod.namespace);
    return value === undefined ? undefined : linkerdAccessLogFormat(value);
  };
}

const ACCESS_LOG = 'config.linkerd.io/access-log';

function serviceMeta(service: Service) {
  return { name: service.name, namespace: service.namespace, labels: {}, annotations: service.annotations ?? {} };
}

/** A Service as a resource for diagnostics: its annotations' positions. */
function serviceResource(service: Service): Resource<unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: serviceMeta(service),
    spec: {},
    order: 0,
    ...(service.source ? { source: service.source } : {}),
    ...(service.positions ? { positions: service.positions } : {}),
  };
}
