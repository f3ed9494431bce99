import type { LinkerdAccessLogFormat } from './linkerd.ts';
import type { TelemetryPolicy } from './telemetryPolicy.ts';
import type { AuthzPolicyXds } from './authzXds.ts';
import type { GatewayXds } from './gatewayXds.ts';
import type { Micros } from './units.ts';

/**
 * The simulator's own small xDS: what the control plane pushes to each proxy.
 * Produced by `istio/compile`, read by `engine/`. Durations are µs; 0 means
 * "disabled" where Envoy uses 0 that way (route timeout).
 */
export interface MeshXds {
  /** Keyed by pod name; pods without a sidecar have no entry. Ambient waypoints are here too, under `waypointKey`. */
  proxies: Record<string, ProxyXds>;
  /** How sidecar-less callers (and `external`) reach services: kube-proxy, no mesh features. */
  kubeServices: Record<string, KubeServiceXds>;
  /** What the Telemetry resources say, keyed by pod name (sidecars only); absent when there are none (every sidecar on the mesh defaults). */
  telemetry?: Record<string, TelemetryPolicy>;
}

/**
 * What a pod's node ztunnel knows about it (§11): its node, and for each
 * service host it may dial that is bound to a waypoint, the waypoint
 * (`namespace/name`) its requests are tunnelled to. Without one the ztunnel
 * itself picks the endpoint (L4: no routes, retries, timeouts or faults).
 */
export interface ZtunnelXds {
  node: string;
  waypoints: Record<string, string>;
}

/**
 * An ambient waypoint (`dataPlane: waypoint`, keyed in `MeshXds.proxies` as
 * `waypoint/<namespace>/<name>`, never a pod name): an Envoy that is the
 * client-side proxy for the services bound to it — its virtual hosts and
 * clusters are what a sidecar in its namespace would get (routes, retries,
 * timeouts, faults, balancing, outlier detection) — and that enforces the
 * AuthorizationPolicies attached by `targetRefs` to it or to those
 * services, keyed by service host.
 */
export interface WaypointXds {
  name: string;
  namespace: string;
  serviceAccount: string;
  authz: Record<string, AuthzPolicyXds[]>;
}

const WAYPOINT = 'waypoint/';

/** The key of a waypoint's config in `MeshXds.proxies`. */
export function waypointKey(namespace: string, name: string): string {
  return `${WAYPOINT}${namespace}/${name}`;
}

/** Whether a proxy's key is a waypoint's (`waypointKey`), not a pod's. */
export function isWaypointKey(key: string): boolean {
  return key.startsWith(WAYPOINT);
}

/** A waypoint's `namespace/name` from its key; any other key as it is. */
export function waypointName(key: string): string {
  return isWaypointKey(key) ? key.slice(WAYPOINT.length) : key;
}

/** A waypoint's key as people read it (`waypoint default/waypoint`); any other key as it is. */
export function waypointLabel(key: string): string {
  return isWaypointKey(key) ? `waypoint ${waypointName(key)}` : key;
}

/** A Service as kube-proxy sees it: key `fqdn:port`. */
export interface KubeServiceXds {
  host: string;
  port: number;
  endpoints: EndpointXds[];
}

/**
 * Which proxy applies a pod's config: Envoy (an Istio sidecar, the default)
 * or Linkerd's Rust proxy. The engine picks the proxy's behaviours by it
 * (balancer, endpoint health, retry, failure words) through the compiled
 * config, never by the scenario's flavor.
 */
export type DataPlaneXds = 'envoy' | 'linkerd-proxy' | 'ztunnel' | 'waypoint';

export interface ProxyXds {
  pod: string;
  /** Absent: `envoy`. */
  dataPlane?: DataPlaneXds;
  /** Set for `dataPlane: ztunnel`: the pod's node and which hosts go through a waypoint. */
  ztunnel?: ZtunnelXds;
  /** Set for `dataPlane: waypoint`. */
  waypoint?: WaypointXds;
  /** Outbound routing, keyed by `fqdn:port` of the service the app dials. */
  virtualHosts: Record<string, VirtualHostXds>;
  /** Clusters by name `outbound|<port>|<subset>|<fqdn>`. */
  clusters: Record<string, ClusterXds>;
  inbound: InboundXds;
  /**
   * Locality failover as istiod writes it into this proxy's endpoints (§5):
   * per cluster, each endpoint's priority (in `endpoints` order; 0 the
   * closest to this proxy). Only clusters whose endpoints fall in more than
   * one priority are listed.
   */
  priorities?: Record<string, number[]>;
  /**
   * `localityLbSetting.distribute` as istiod writes it for this proxy's
   * locality: per cluster, the locality weights Envoy picks a locality by
   * (weighted round robin), then a host there by the cluster's balancer.
   */
  localityWeights?: Record<string, LocalityWeightsXds>;
  /**
   * A sidecar's wildcard virtual hosts (a ServiceEntry's `*.example.com`),
   * per port: a host with no exact key takes the one Envoy's domain order
   * picks. Absent when it has none (a gateway keeps its own in `gateway`).
   */
  wildcardDomains?: Record<number, string[]>;
  /** A gateway proxy's listeners (its Gateways' servers); absent on sidecars. */
  gateway?: GatewayXds;
  /** A linkerd-proxy that writes its HTTP access log, and in which format (`config.linkerd.io/access-log`); absent: it writes none. */
  linkerdAccessLog?: LinkerdAccessLogFormat;
}

/** One cluster's locality weights for one proxy (`ProxyXds.localityWeights`). */
export interface LocalityWeightsXds {
  /** Per endpoint (in `endpoints` order), the index of its locality in `weights`; -1: left out for this proxy. */
  group: number[];
  /** Each locality's load-balancing weight. */
  weights: number[];
  /** Each locality as `region/zone/subzone`. */
  localities: string[];
}

export interface VirtualHostXds {
  /** `fqdn:port` */
  name: string;
  host: string;
  port: number;
  /** Ordered: the first matching route wins. */
  routes: RouteXds[];
  /** A TCP proxy, a gateway's or a sidecar's (one route, `tcpProxy`): it parses no HTTP, so it starts no trace. */
  tcpProxy?: true;
  /** The client's own TLS passes through this TCP proxy unopened: a sidecar's HTTPS or TLS port, a gateway's PASSTHROUGH server. */
  clientTls?: true;
  /**
   * A sidecar's TCP proxy on an HTTPS or TLS port that `tls` rules route:
   * every filter chain istiod writes into the port's listener for this
   * proxy, in its order (one per match block that takes the proxy, each
   * matched by its SNI names). `routes[0]` is the chain the host's own SNI
   * takes, or a reset when none does; these are what `proxy-config
   * listeners` lists.
   */
  tlsChains?: TlsChainXds[];
}

/** One filter chain of a sidecar's TLS listener: the SNI names it matches (none: any) and its route. */
export interface TlsChainXds {
  sniHosts: string[];
  route: RouteXds;
}

/** Where a route came from, so events and diagnostics can point at the config. */
export type RouteOrigin =
  | { kind: 'virtualService'; resource: string; ruleIndex: number; matchIndex: number; ruleName?: string }
  /** A Gateway API / policy.linkerd.io HTTPRoute rule (Linkerd). */
  | { kind: 'httpRoute'; resource: string; ruleIndex: number; matchIndex: number }
  /** A VirtualService `tls` or `tcp` rule: a gateway's TCP proxy. */
  | { kind: 'l4Route'; resource: string; section: 'tls' | 'tcp'; ruleIndex: number; matchIndex: number }

  | { kind: 'default' }
  /** A gateway server's own answer: `tls.httpsRedirect` on a plain-HTTP server (a 301 to https). */
  | { kind: 'gatewayServer'; resource: string; path: string }
  /** istiod's catch-all for a host it has no service for: `allow_any` (ALLOW_ANY) or `block_all` (REGISTRY_ONLY). */
  | { kind: 'outboundTrafficPolicy'; mode: 'ALLOW_ANY' | 'REGISTRY_ONLY' };

export interface RouteXds {
  /** Display name: the rule's name or `VirtualService/ns/name http[i] match[j]`. */
  name: string;
  origin: RouteOrigin;
  match: RouteMatchXds;
  action: RouteActionXds;
}

export type StringMatcherXds =
  | { kind: 'exact'; value: string; ignoreCase: boolean }
  | { kind: 'prefix'; value: string; ignoreCase: boolean }
  | { kind: 'regex'; value: string; ignoreCase: boolean };

export interface HeaderMatcherXds {
  /** Lower-case header name; pseudo-headers `:method`, `:authority`, `:scheme`. */
  name: string;
  matcher: StringMatcherXds;
  /** `withoutHeaders`: the route matches when this header does NOT match. */
  invert: boolean;
}

export interface RouteMatchXds {
  /** Undefined: any path (a catch-all). */
  path?: StringMatcherXds;
  headers: HeaderMatcherXds[];
  queryParams: Array<{ name: string; matcher: StringMatcherXds }>;
}

export type RouteActionXds =
  | {
      kind: 'route';
      /** Weighted clusters; weight-0 entries already dropped. A single entry gets everything. */
      clusters: Array<{ cluster: string; weight: number }>;
      /** Covers all tries and back-off; 0 = disabled (Istio's default). */
      timeout: Micros;
      retry: RetryPolicyXds;
      fault?: FaultXds;
      mirrors: MirrorXds[];
      /** Header name for consistent-hash load balancing on this route, if any. */
      hashHeader?: string;
      /** Request headers the route changes before it sends (an HTTPRoute's RequestHeaderModifier). */
      requestHeaders?: HeaderEditXds;
      /**
       * A TCP proxy (a gateway's TLS passthrough or TCP server), not an HTTP
       * route: the proxy forwards bytes, so nothing of HTTP applies, and a
       * failure of its own closes the client's connection (no status).
       */
      tcpProxy?: true;
    }
  | { kind: 'directResponse'; status: number; body: string }
  | { kind: 'redirect'; status: number; location: string }
  /**
   * No HTTP at all, and no upstream: the client sees its connection closed
   * (no status). `UH`: a TCP proxy toward a cluster with no endpoints
   * (istiod's `BlackHoleCluster`); `NR`: no filter chain of the listener
   * matches the connection (a TLS port whose `tls` rules name other SNIs).
   */
  | { kind: 'reset'; flag: 'UH' | 'NR'; detail: string };

/**
 * Request header changes, applied in this order (Envoy's
 * `request_headers_to_add` with OVERWRITE or APPEND, then
 * `request_headers_to_remove`): lower-case names.
 */
export interface HeaderEditXds {
  set: Array<[string, string]>;
  /** Appended to an existing value with a comma (the Gateway API's `add`). */
  add: Array<[string, string]>;
  remove: string[];
}

/** Retry conditions Envoy understands in `retry_on` (HTTP and gRPC parsers). */
/** Envoy's `retry_on` conditions (HTTP and gRPC, §1.2). */
export const RETRY_ON_CONDITIONS = [
  '5xx',
  'gateway-error',
  'reset',
  'reset-before-request',
  'connect-failure',
  'retriable-4xx',
  'refused-stream',
  'retriable-status-codes',
  'retriable-headers',
  'envoy-ratelimited',
  'http3-post-connect-failure',
  'cancelled',
  'deadline-exceeded',
  'resource-exhausted',
  'internal',
  'unavailable',
] as const;

export type RetryOn = (typeof RETRY_ON_CONDITIONS)[number];

export function isRetryOn(token: string): token is RetryOn {
  return (RETRY_ON_CONDITIONS as readonly string[]).includes(token);
}

export interface RetryPolicyXds {
  /** Retries after the first try; 0 = never retry. */
  numRetries: number;
  retryOn: RetryOn[];
  retriableStatusCodes: number[];
  /** 0 = no per-try timeout. */
  perTryTimeout: Micros;
  backoffBase: Micros;
  backoffMax: Micros;
  /** `previous_hosts` retry host predicate. */
  previousHosts: boolean;
  hostSelectionRetryMaxAttempts: number;
  /** Linkerd's retries instead of Envoy's `retry_on` (§10.1): then `retryOn` is empty and this decides. */
  linkerd?: LinkerdRetryXds;
}

/**
 * A Linkerd route's retries (§10.1): the HTTP statuses retried (inclusive
 * ranges; fail-fast errors and per-attempt timeouts are always retried,
 * load-shed never), the back-off jitter ratio, and the ServiceProfile retry
 * budget when the policy comes from one.
 */
export interface LinkerdRetryXds {
  statuses: Array<[number, number]>;
  /** Fail-fast errors, per-attempt timeouts and refused streams are retried too (HTTPRoute/annotation retries; not ServiceProfile ones). */
  errors: boolean;
  jitter: number;
  budget?: LinkerdRetryBudgetXds;
  /** Where the policy was written: `annotation retry.linkerd.io/http on Service/default/web`, `ServiceProfile/… route GET /`. */
  source: string;
}

/** A ServiceProfile `retryBudget` (§10.1): retries ≤ ratio × requests + minPerSecond × ttl over the last ttl. */
export interface LinkerdRetryBudgetXds {
  ratio: number;
  minPerSecond: number;
  ttl: Micros;
}

export interface FaultXds {
  delay?: { fixed: Micros; percent: number };
  abort?: { httpStatus: number; percent: number };
}

export interface MirrorXds {
  cluster: string;
  percent: number;
}

export type LbPolicyXds =
  | { kind: 'LEAST_REQUEST'; choiceCount: number }
  | { kind: 'ROUND_ROBIN' }
  | { kind: 'RANDOM' }
  | { kind: 'RING_HASH'; minimumRingSize: number }
  /** Linkerd's balancer (§10.3): P2C over distinct endpoints by Peak-EWMA cost = RTT estimate × (pending + 1). */
  | { kind: 'PEAK_EWMA'; defaultRtt: Micros; decay: Micros };

/**
 * Linkerd's consecutive-failures breaker (§10.4): after `maxFailures`
 * failures in a row the endpoint is unavailable for a back-off (min doubling
 * to max, plus jitter), then admits one probe request.
 */
export interface FailureAccrualXds {
  maxFailures: number;
  minPenalty: Micros;
  maxPenalty: Micros;
  jitterRatio: number;
}

export interface OutlierXds {
  consecutive5xx: number;
  enforcing5xx: number;
  consecutiveGatewayFailure: number;
  enforcingGatewayFailure: number;
  interval: Micros;
  baseEjectionTime: Micros;
  maxEjectionTime: Micros;
  maxEjectionPercent: number;
  /**
   * Split mode (`splitExternalLocalOriginErrors`, §3.2, §3.5): connect
   * failures, resets and timeouts count only towards this threshold
   * (enforced at 100 %), and only real upstream answers towards the 5xx and
   * gateway counters.
   */
  localOrigin?: { consecutive: number };
}

export interface ThresholdsXds {
  maxConnections: number;
  maxPendingRequests: number;
  maxRequests: number;
  maxRetries: number;
  /**
   * Envoy's retry budget, which replaces `maxRetries` when set (§1.6):
   * concurrent retries ≤ max(percent/100 × active requests, minRetryConcurrency).
   */
  retryBudget?: { percent: number; minRetryConcurrency: number };
}

export type UpstreamTlsXds = 'ISTIO_MUTUAL' | 'DISABLE' | 'SIMPLE' | 'MUTUAL';

export interface EndpointXds {
  pod: string;
  address: string;
  /** Container port the request goes to. */
  port: number;
  /** Whether the endpoint has a sidecar (Istio's `tlsMode: istio` label). */
  sidecar: boolean;
  /** In an ORIGINAL_DST cluster: the `host:port` an app dials to reach it. */
  dialled?: string;
}

export interface ClusterXds {
  name: string;
  host: string;
  port: number;
  subset?: string;
  endpoints: EndpointXds[];
  lb: LbPolicyXds;
  outlier?: OutlierXds;
  /** Linkerd's failure accrual, in place of outlier detection. */
  accrual?: FailureAccrualXds;
  /** linkerd-proxy's queue before the balancer: how long requests wait for an endpoint before failing fast, and how many may wait. */
  failFast?: { timeout: Micros; capacity: number };
  /** Percent; below it the balancer ignores health. 0 disables panic mode. */
  healthyPanicThreshold: number;
  thresholds: ThresholdsXds;
  /** 0 = unlimited; 1 disables keep-alive. */
  maxRequestsPerConnection: number;
  /**
   * Set when the cluster speaks HTTP/2 upstream (an HTTP/2 or gRPC port, or
   * `h2UpgradePolicy` UPGRADE): requests are streams multiplexed on a
   * connection, at most `maxConcurrentStreams` at once on each (Envoy's
   * default 2^31−1; DestinationRule `http.maxConcurrentStreams`). Absent:
   * HTTP/1.1, one request per connection at a time.
   */
  http2?: { maxConcurrentStreams: number };
  connectTimeout: Micros;
  /** Resolved per endpoint: ISTIO_MUTUAL only to endpoints with a sidecar when auto-mTLS decides. */
  /** `sni`: a DestinationRule's own SNI for its TLS (ISTIO_MUTUAL included: Istio sends it instead of the cluster's `outbound_.<port>_.<subset>_.<host>`). */
  tls: { mode: UpstreamTlsXds; auto: boolean; sni?: string };
  /**
   * Envoy's ORIGINAL_DST (`PassthroughCluster`): no balancing, the request
   * goes to the address the app dialled, i.e. the endpoint named after the
   * request's host.
   */
  originalDestination?: true;
  /**
   * Ambient, on a gateway proxy's cluster only: the key of the Service's
   * waypoint (`waypoint/<ns>/<name>`) when istiod points the gateway's
   * endpoints for it at the waypoint (`istio.io/ingress-use-waypoint`):
   * the gateway hands the request to the waypoint over HBONE instead of
   * balancing over the pods.
   */
  waypoint?: string;
}

export type InboundMtlsMode = 'STRICT' | 'PERMISSIVE' | 'DISABLE';

export interface InboundXds {
  /** Effective PeerAuthentication mode per container port; `default` for ports not listed. */
  mtls: { default: InboundMtlsMode; ports: Record<number, InboundMtlsMode> };
  /** AuthorizationPolicies that apply to this workload, oldest first (§7). Absent: none. */
  authz?: AuthzPolicyXds[];
  /** Container ports a Service selecting the pod declares with a protocol Istio carries as TCP (`isTcpProxied`): a TCP proxy there, no HTTP. Absent: none. */
  tcpPorts?: number[];
  /** `authz` as Envoy's network RBAC filter enforces it on `tcpPorts` (HTTP-only fields left out); present with both. */
  tcpAuthz?: AuthzPolicyXds[];
}

/** Istio's "effectively unlimited" circuit-breaker value (2^32 − 1). */
export const ISTIO_UNLIMITED = 4_294_967_295;
