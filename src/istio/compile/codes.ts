import type { Severity } from '../../model/index.ts';

/** One compile-time finding: a stable code, its severity and a message template. */
export interface CompileCode<P> {
  readonly code: string;
  readonly severity: Severity;
  readonly message: (params: P) => string;
}

function entry<P>(code: string, severity: Severity, message: (params: P) => string): CompileCode<P> {
  return { code, severity, message };
}

/**
 * The control-plane compiler's diagnostics, MV0300–MV0399. To be merged into
 * `src/istio/catalog.ts`; codes are stable and a retired code is never reused.
 */
export const COMPILE_CODES = {
  invalidDuration: entry<{ value: string; fallback: string }>(
    'MV0300',
    'warning',
    (p) => `"${p.value}" is not a duration; ${p.fallback} is used instead`,
  ),
  virtualServiceShadowed: entry<{ host: string; winner: string }>(
    'MV0301',
    'warning',
    (p) => `${p.winner} is older and also routes ${p.host}; a sidecar uses one VirtualService per host, so this one is ignored for it`,
  ),
  destinationServiceUnknown: entry<{ host: string }>(
    'MV0302',
    'warning',
    (p) => `no service ${p.host}: requests routed there get 503 (NC, cluster not found)`,
  ),
  subsetUndefined: entry<{ host: string; subset: string; cluster: string }>(
    'MV0303',
    'warning',
    (p) => `no DestinationRule for ${p.host} defines subset "${p.subset}": requests routed to cluster ${p.cluster} get 503 (NC, cluster not found)`,
  ),
  destinationPortUnknown: entry<{ host: string; port: number; cluster: string }>(
    'MV0304',
    'warning',
    (p) => `service ${p.host} has no port ${p.port}: requests routed to cluster ${p.cluster} get 503 (NC, cluster not found)`,
  ),
  destinationRulePolicyIgnored: entry<{ host: string; winner: string }>(
    'MV0305',
    'warning',
    (p) => `${p.winner} is older and also sets a top-level trafficPolicy for ${p.host}; DestinationRules for one host are merged and this trafficPolicy is ignored`,
  ),
  subsetDuplicate: entry<{ host: string; subset: string; winner: string }>(
    'MV0306',
    'warning',
    (p) => `subset "${p.subset}" of ${p.host} is already defined by ${p.winner}, which is older; this definition is ignored`,
  ),
  retryOnUnknown: entry<{ token: string }>(
    'MV0307',
    'warning',
    (p) => `"${p.token}" is not a retry condition Envoy knows (nor an HTTP status code); it is ignored`,
  ),
  routeWithoutAction: entry<Record<string, never>>(
    'MV0308',
    'warning',
    () => 'this rule has no route, redirect or directResponse; it produces no route',
  ),
  allWeightsZero: entry<Record<string, never>>(
    'MV0309',
    'warning',
    () => 'every destination has weight 0, so the route has no cluster to send to',
  ),
  unreachableRule: entry<{ catchAll: number }>(
    'MV0310',
    'warning',
    (p) => `this rule can never match: spec.http[${p.catchAll}] before it matches every request`,
  ),
  unsupportedLoadBalancer: entry<{ what: string; used: string }>(
    'MV0311',
    'info',
    (p) => `${p.what} is not simulated; ${p.used} is used instead`,
  ),
  unsupportedFault: entry<{ what: string }>('MV0312', 'info', (p) => `${p.what} is not simulated; this fault is ignored`),
  peerAuthenticationShadowed: entry<{ scope: string; winner: string }>(
    'MV0313',
    'warning',
    (p) => `${p.winner} is an older ${p.scope} PeerAuthentication for the same workloads; only the oldest is used, this one is ignored`,
  ),
  peerAuthenticationRootSelector: entry<{ rootNamespace: string }>(
    'MV0314',
    'warning',
    (p) => `a PeerAuthentication with a selector in the root namespace ${p.rootNamespace} is ignored`,
  ),
  portLevelMtlsWithoutSelector: entry<Record<string, never>>(
    'MV0315',
    'warning',
    () => 'portLevelMtls only applies to a PeerAuthentication with a selector; it is ignored',
  ),
  redirectCodeUnsupported: entry<{ status: number }>(
    'MV0316',
    'warning',
    (p) => `redirect code ${p.status} is not supported (301, 302, 303, 307, 308); this rule produces no route`,
  ),
} as const;
