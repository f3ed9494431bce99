import type { Resource } from './istio.ts';

/**
 * Linkerd's configuration kinds in their own API shape (the fields meshviz
 * reads), as they appear in YAML. The control plane (`istio/compile/linkerd`)
 * turns them into proxy config.
 */

/** Gateway API `HTTPRoute` (gateway.networking.k8s.io and policy.linkerd.io share it). */
export interface HTTPRouteSpec {
  parentRefs?: Array<{ group?: string; kind?: string; name: string; namespace?: string; port?: number; sectionName?: string }>;
  /** The hosts it routes on a Gateway's listeners (intersected with each listener's `hostname`); absent: every host. */
  hostnames?: string[];
  rules?: HTTPRouteRule[];
}

export interface HTTPRouteRule {
  matches?: HTTPRouteMatch[];
  /** Read for Istio (Gateway API `HTTPRouteFilter`): the type, and the two meshviz simulates. */
  filters?: HTTPRouteFilter[];
  backendRefs?: Array<{ group?: string; kind?: string; name: string; namespace?: string; port?: number; weight?: number }>;
  timeouts?: { request?: string; backendRequest?: string };
}

export interface HTTPRouteFilter {
  type: string;
  requestHeaderModifier?: { set?: Array<{ name: string; value: string }>; add?: Array<{ name: string; value: string }>; remove?: string[] };
  requestRedirect?: { scheme?: string; hostname?: string; port?: number; statusCode?: number };
}

export interface HTTPRouteMatch {
  path?: { type?: 'Exact' | 'PathPrefix' | 'RegularExpression'; value?: string };
  headers?: Array<{ type?: 'Exact' | 'RegularExpression'; name: string; value: string }>;
  queryParams?: Array<{ type?: 'Exact' | 'RegularExpression'; name: string; value: string }>;
  method?: string;
}

/** `linkerd.io/v1alpha2` ServiceProfile: routes with retries, a retry budget and timeouts (§10.1). */
export interface ServiceProfileSpec {
  routes?: Array<{
    name: string;
    condition?: ServiceProfileCondition;
    isRetryable?: boolean;
    timeout?: string;
    responseClasses?: Array<{ condition: { status?: { min?: number; max?: number } }; isFailure?: boolean }>;
  }>;
  retryBudget?: { retryRatio: number; minRetriesPerSecond: number; ttl: string };
}

export interface ServiceProfileCondition {
  method?: string;
  pathRegex?: string;
  all?: ServiceProfileCondition[];
  any?: ServiceProfileCondition[];
  not?: ServiceProfileCondition;
}

/** `policy.linkerd.io` Server: a port of the pods it selects, made subject to authorization. */
export interface ServerSpec {
  podSelector?: { matchLabels?: Record<string, string> };
  port: number | string;
  proxyProtocol?: string;
  accessPolicy?: 'deny' | 'all-authenticated' | 'all-unauthenticated' | 'cluster-authenticated' | 'cluster-unauthenticated' | 'audit';
}

/** `policy.linkerd.io/v1alpha1` AuthorizationPolicy: who may reach a Server. */
export interface LinkerdAuthorizationPolicySpec {
  targetRef: { group?: string; kind: string; name: string };
  requiredAuthenticationRefs: Array<{ group?: string; kind: string; name: string; namespace?: string }>;
}

/** `policy.linkerd.io/v1alpha1` MeshTLSAuthentication: the mesh identities an AuthorizationPolicy requires. */
export interface MeshTLSAuthenticationSpec {
  identities?: string[];
  identityRefs?: Array<{ kind: string; name?: string; namespace?: string }>;
}

/** The Linkerd resources of a scenario (empty under another flavor). */
export interface LinkerdResources {
  httpRoutes: Array<Resource<HTTPRouteSpec>>;
  serviceProfiles: Array<Resource<ServiceProfileSpec>>;
  servers: Array<Resource<ServerSpec>>;
  authorizationPolicies: Array<Resource<LinkerdAuthorizationPolicySpec>>;
  meshTLSAuthentications: Array<Resource<MeshTLSAuthenticationSpec>>;
}

export function emptyLinkerdResources(): LinkerdResources {
  return { httpRoutes: [], serviceProfiles: [], servers: [], authorizationPolicies: [], meshTLSAuthentications: [] };
}

/** Linkerd's identity name for a service account (§6.4): `<sa>.<ns>.serviceaccount.identity.<cp-ns>.<trust-domain>`. */
export function linkerdIdentity(trustDomain: string, namespace: string, serviceAccount: string, controlPlaneNamespace = 'linkerd'): string {
  return `${serviceAccount}.${namespace}.serviceaccount.identity.${controlPlaneNamespace}.${trustDomain}`;
}

/** The formats linkerd-proxy writes its HTTP access log in (`config.linkerd.io/access-log`). */
export type LinkerdAccessLogFormat = 'apache' | 'json';

/**
 * linkerd-proxy's reading of `LINKERD2_PROXY_ACCESS_LOG`, which the proxy
 * injector sets from the `config.linkerd.io/access-log` annotation:
 * `apache` or `json` in any case; anything else is refused and the proxy
 * writes no access log (linkerd2-proxy `linkerd/tracing/src/access_log.rs`
 * `Format::from_str`, `linkerd/tracing/src/lib.rs` `access_log_format`).
 */
export function linkerdAccessLogFormat(value: string): LinkerdAccessLogFormat | undefined {
  // `eq_ignore_ascii_case`: ASCII letters only, no trimming.
  const lower = value.replace(/[A-Z]/g, (c) => c.toLowerCase());
  return lower === 'apache' || lower === 'json' ? lower : undefined;
}
