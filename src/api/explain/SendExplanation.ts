/**
 * The errors Istio's config simulator stops with, by its own words (Istio src
 * `pilot/pkg/simulation/traffic.go`: `ErrNoListener`, `ErrNoFilterChain`,
 * `ErrNoRoute`, `ErrTLSRedirect`, `ErrNoVirtualHost`,
 * `ErrMultipleFilterChain`, `ErrProtocolError`, `ErrTLSError`,
 * `ErrMTLSError`). A plaintext connection to a STRICT port is
 * `ErrNoFilterChain` there (its only chains want TLS:
 * `sidecar_simulation_test.go`, "Plaintext to strict, should fail"); TLS
 * that is not Istio's mTLS is `ErrMTLSError`.
 */
export const SIMULATION_ERRORS = {
  noListener: 'no listener matched',
  noFilterChain: 'no filter chains matched',
  noRoute: 'no route matched',
  tlsRedirect: 'tls required, sending 301',
  noVirtualHost: 'no virtual host matched',
  multipleFilterChain: 'multiple filter chains matched',
  protocolError: 'protocol error',
  tlsError: 'invalid TLS',
  mtlsError: 'invalid mTLS',
} as const;

/**
 * The stages of one Envoy pass, in the order Istio's simulator walks them
 * (its `Result` fields: ListenerMatched, FilterChainMatched,
 * RouteConfigMatched, VirtualHostMatched, RouteMatched, ClusterMatched),
 * with the two meshviz adds where the request meets them: `authorization`
 * (the callee's RBAC filter, before the router) and `endpoint` (the host the
 * balancer picked).
 */
export const EXPLAIN_STAGES = ['listener', 'filterChain', 'authorization', 'routeConfig', 'virtualHost', 'route', 'cluster', 'endpoint'] as const;
export type ExplainStage = (typeof EXPLAIN_STAGES)[number];

/** Where a pass happened: a caller's sidecar (outbound), a gateway, a waypoint, a callee's sidecar (inbound), a ztunnel (L4), or no proxy. */
export type ExplainRole = 'outbound' | 'gateway' | 'waypoint' | 'inbound' | 'ztunnel' | 'no proxy';

/**
 * One proxy's pass. Each stage is the name Envoy's config gives what
 * matched, `null` when the request did not reach it or the proxy has no
 * such thing (a TCP proxy has no route config; a ztunnel is L4 and has none
 * of Envoy's). A filter chain istiod leaves unnamed (a sidecar's outbound
 * HTTP chain) is given as istioctl's listeners table shows its match; a
 * route istiod leaves unnamed (a VirtualService rule without `name`) is ''.
 */
export interface ExplainHop {
  role: ExplainRole;
  /** The pod (a sidecar or gateway), `waypoint <ns>/<name>`, or `ztunnel <node>`. */
  proxy: string;
  listenerMatched: string | null;
  filterChainMatched: string | null;
  /** The policy that allowed the request, `null` when none applied. */
  authorizationMatched: string | null;
  routeConfigMatched: string | null;
  virtualHostMatched: string | null;
  routeMatched: string | null;
  clusterMatched: string | null;
  /** `address:port` of the endpoint picked, and its pod. */
  endpointMatched: string | null;
  /** Why, in words: the rule a route came from, the mTLS mode of the chain, what an L4 hop did. */
  notes: string[];
  /** Where the pass stopped: the stage, Istio's simulator's error (or Envoy's own words where it has none), and why. */
  error: { stage: ExplainStage; message: string; detail: string } | null;
}

export interface SendExplanation {
  requestId: number;
  status: number;
  flags: string[];
  hops: ExplainHop[];
}

/** A pass with nothing matched yet. */
export function emptyHop(role: ExplainRole, proxy: string): ExplainHop {
  return {
    role,
    proxy,
    listenerMatched: null,
    filterChainMatched: null,
    authorizationMatched: null,
    routeConfigMatched: null,
    virtualHostMatched: null,
    routeMatched: null,
    clusterMatched: null,
    endpointMatched: null,
    notes: [],
    error: null,
  };
}
