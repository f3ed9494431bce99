import type { SourcePos } from './diagnostics.ts';
import type { GatewayListenerOrigin } from './gatewayApi.ts';

/**
 * Istio resources in their own API shape (the fields meshviz reads), as they
 * appear in YAML: durations are still strings such as `"2s"`. The control
 * plane (`istio/`) converts them when it compiles proxy config.
 */

export interface ObjectMeta {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** As `kubectl get -o yaml` prints it (RFC 3339); absent for manifests not yet applied. */
  creationTimestamp?: string;
}

/**
 * One loaded resource. `order` is its position in the input across all
 * files; where Istio picks "the oldest" (`oldestFirst`) it breaks ties of
 * `metadata.creationTimestamp` and places resources without one last.
 */
export interface Resource<Spec> {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec: Spec;
  order: number;
  source?: SourcePos;
  /** Source positions of fields inside the document, keyed by field path (`spec.http[0]`). */
  positions?: Record<string, SourcePos>;
}

export interface StringMatch {
  exact?: string;
  prefix?: string;
  regex?: string;
}

export interface HTTPMatchRequest {
  name?: string;
  uri?: StringMatch;
  scheme?: StringMatch;
  method?: StringMatch;
  authority?: StringMatch;
  headers?: Record<string, StringMatch>;
  withoutHeaders?: Record<string, StringMatch>;
  queryParams?: Record<string, StringMatch>;
  ignoreUriCase?: boolean;
  port?: number;
  sourceLabels?: Record<string, string>;
  sourceNamespace?: string;
  gateways?: string[];
}

export interface PortSelector {
  number?: number;
}

export interface Destination {
  host: string;
  subset?: string;
  port?: PortSelector;
}

export interface Percent {
  value?: number;
}

export interface HTTPRouteDestination {
  destination: Destination;
  weight?: number;
}

export interface HTTPRetry {
  attempts?: number;
  perTryTimeout?: string;
  retryOn?: string;
  retryRemoteLocalities?: boolean;
  retryIgnorePreviousHosts?: boolean;
  backoff?: string;
}

export interface HTTPFaultInjection {
  delay?: { fixedDelay?: string; percentage?: Percent; percent?: number };
  abort?: { httpStatus?: number; grpcStatus?: string; percentage?: Percent };
}

export interface HTTPMirrorPolicy {
  destination: Destination;
  percentage?: Percent;
}

export interface HTTPDirectResponse {
  status: number;
  body?: { string?: string; bytes?: string };
}

export interface HTTPRedirect {
  uri?: string;
  authority?: string;
  redirectCode?: number;
}

export interface HTTPRoute {
  name?: string;
  match?: HTTPMatchRequest[];
  route?: HTTPRouteDestination[];
  redirect?: HTTPRedirect;
  directResponse?: HTTPDirectResponse;
  timeout?: string;
  retries?: HTTPRetry;
  fault?: HTTPFaultInjection;
  mirror?: Destination;
  mirrorPercentage?: Percent;
  mirrors?: HTTPMirrorPolicy[];
  /** The VirtualService (one without hosts) whose rules replace this one, merged with it (root VirtualServices on gateways only). */
  delegate?: { name?: string; namespace?: string };
}

export interface VirtualServiceSpec {
  hosts?: string[];
  gateways?: string[];
  http?: HTTPRoute[];
  tcp?: TCPRoute[];
  tls?: TLSRoute[];
  exportTo?: string[];
}

/** A `tls` rule: by the SNI a TLS client sends (and the port), without terminating its TLS. */
export interface TLSRoute {
  match?: TLSMatchAttributes[];
  route?: HTTPRouteDestination[];
}

export interface TLSMatchAttributes {
  sniHosts?: string[];
  port?: number;
  gateways?: string[];
  sourceLabels?: Record<string, string>;
  sourceNamespace?: string;
  destinationSubnets?: string[];
}

/** A `tcp` rule: by the port alone; the proxy forwards bytes. */
export interface TCPRoute {
  match?: L4MatchAttributes[];
  route?: HTTPRouteDestination[];
}

export interface L4MatchAttributes {
  port?: number;
  gateways?: string[];
  sourceLabels?: Record<string, string>;
  sourceNamespace?: string;
  destinationSubnets?: string[];
}

export type SimpleLb = 'UNSPECIFIED' | 'LEAST_REQUEST' | 'LEAST_CONN' | 'ROUND_ROBIN' | 'RANDOM' | 'PASSTHROUGH';

export interface LoadBalancerSettings {
  simple?: SimpleLb;
  consistentHash?: {
    httpHeaderName?: string;
    httpCookie?: { name: string; path?: string; ttl?: string };
    useSourceIp?: boolean;
    httpQueryParameterName?: string;
    ringHash?: { minimumRingSize?: number };
    maglev?: { tableSize?: number };
    minimumRingSize?: number;
  };
  localityLbSetting?: LocalityLbSetting;
}

/** Istio's `LocalityLoadBalancerSetting` (localities written `region/zone/subzone`, `*` as a wildcard part). */
export interface LocalityLbSetting {
  enabled?: boolean;
  distribute?: Array<{ from?: string; to?: Record<string, number> }>;
  failover?: Array<{ from?: string; to?: string }>;
  failoverPriority?: string[];
}

export interface ConnectionPoolSettings {
  tcp?: { maxConnections?: number; connectTimeout?: string; maxConnectionDuration?: string };
  http?: {
    http1MaxPendingRequests?: number;
    http2MaxRequests?: number;
    maxRequestsPerConnection?: number;
    maxRetries?: number;
    idleTimeout?: string;
    maxConcurrentStreams?: number;
    h2UpgradePolicy?: string;
    useClientProtocol?: boolean;
  };
}

export interface OutlierDetection {
  consecutive5xxErrors?: number;
  consecutiveGatewayErrors?: number;
  consecutiveLocalOriginFailures?: number;
  splitExternalLocalOriginErrors?: boolean;
  interval?: string;
  baseEjectionTime?: string;
  maxEjectionPercent?: number;
  minHealthPercent?: number;
}

export type ClientTlsMode = 'DISABLE' | 'SIMPLE' | 'MUTUAL' | 'ISTIO_MUTUAL';

export interface ClientTLSSettings {
  mode?: ClientTlsMode;
  sni?: string;
  subjectAltNames?: string[];
}

export interface TrafficPolicy {
  loadBalancer?: LoadBalancerSettings;
  connectionPool?: ConnectionPoolSettings;
  outlierDetection?: OutlierDetection;
  tls?: ClientTLSSettings;
  portLevelSettings?: Array<Omit<TrafficPolicy, 'portLevelSettings'> & { port?: PortSelector }>;
  /** `percent` is a DoubleValue: a plain number in YAML. */
  retryBudget?: { percent?: number; minRetryConcurrency?: number };
}

export interface Subset {
  name: string;
  labels?: Record<string, string>;
  trafficPolicy?: TrafficPolicy;
}

export interface DestinationRuleSpec {
  host: string;
  trafficPolicy?: TrafficPolicy;
  subsets?: Subset[];
  exportTo?: string[];
}

export type PeerAuthMode = 'UNSET' | 'DISABLE' | 'PERMISSIVE' | 'STRICT';

export interface PeerAuthenticationSpec {
  selector?: { matchLabels?: Record<string, string> };
  mtls?: { mode?: PeerAuthMode };
  portLevelMtls?: Record<string, { mode?: PeerAuthMode }>;
}

export interface PolicyTargetReference {
  group?: string;
  kind?: string;
  name?: string;
  namespace?: string;
}

export interface AuthorizationPolicySpec {
  selector?: { matchLabels?: Record<string, string> };
  action?: 'ALLOW' | 'DENY' | 'AUDIT' | 'CUSTOM';
  /** Attaches the policy to a Gateway, Service or ServiceEntry (waypoints, gateways) instead of by selector. */
  targetRef?: PolicyTargetReference;
  targetRefs?: PolicyTargetReference[];
  /** The external authorizer of a CUSTOM policy. */
  provider?: { name?: string };
  rules?: Array<{
    from?: Array<{ source?: Record<string, string[] | undefined> }>;
    to?: Array<{ operation?: Record<string, string[] | undefined> }>;
    when?: Array<{ key: string; values?: string[]; notValues?: string[] }>;
  }>;
}

/** A ServiceEntry port (`networking.istio.io` `ServicePort`). */
export interface ServiceEntryPort {
  number: number;
  protocol?: string;
  name?: string;
  targetPort?: number;
}

export interface WorkloadEntrySpec {
  address?: string;
  ports?: Record<string, number>;
  labels?: Record<string, string>;
  /** With it, the endpoint has a sidecar (tlsMode `istio`) unless its `security.istio.io/tlsMode` label says otherwise. */
  serviceAccount?: string;
  /** `region/zone/subzone`. */
  locality?: string;
}

export interface ServiceEntrySpec {
  hosts: string[];
  addresses?: string[];
  ports?: ServiceEntryPort[];
  /** `MESH_EXTERNAL` (the API's zero value) or `MESH_INTERNAL`. */
  location?: 'MESH_EXTERNAL' | 'MESH_INTERNAL';
  resolution?: 'NONE' | 'STATIC' | 'DNS' | 'DNS_ROUND_ROBIN' | 'DYNAMIC_DNS';
  endpoints?: WorkloadEntrySpec[];
  /** Pods (in the entry's namespace) whose labels match are its endpoints, instead of `endpoints`. */
  workloadSelector?: { labels?: Record<string, string> };
  exportTo?: string[];
}

export type ServiceEntry = Resource<ServiceEntrySpec>;

/** A Sidecar egress listener: `hosts` as `namespace/dnsName`; with a `port`, only that port. */
export interface IstioEgressListener {
  port?: { number?: number; protocol?: string; name?: string };
  hosts: string[];
}

export interface SidecarSpec {
  workloadSelector?: { labels?: Record<string, string> };
  egress?: IstioEgressListener[];
  outboundTrafficPolicy?: { mode?: 'ALLOW_ANY' | 'REGISTRY_ONLY' };
}

export type Sidecar = Resource<SidecarSpec>;

/** A Gateway server's TLS (`ServerTLSSettings`): SIMPLE terminates the client's TLS at the gateway. */
export interface ServerTLSSettings {
  mode?: 'PASSTHROUGH' | 'SIMPLE' | 'MUTUAL' | 'AUTO_PASSTHROUGH' | 'ISTIO_MUTUAL' | 'OPTIONAL_MUTUAL';
  httpsRedirect?: boolean;
  credentialName?: string;
}

/** One listener of a Gateway (`networking.istio.io` `Server`): hosts as `[namespace/]dnsName`. */
export interface GatewayServer {
  port: { number: number; name?: string; protocol?: string; targetPort?: number };
  hosts: string[];
  tls?: ServerTLSSettings;
  name?: string;
  bind?: string;
}

/** A Gateway: the servers a gateway proxy (the pods its `selector` matches) listens with. */
export interface GatewaySpec {
  selector?: Record<string, string>;
  servers?: GatewayServer[];
}

/**
 * An Istio Gateway. One istiod made from a Gateway API Gateway's listener
 * carries `listener`: it is not written back by export (its Gateway API
 * Gateway is).
 */
export type Gateway = Resource<GatewaySpec> & { listener?: GatewayListenerOrigin };
export type VirtualService = Resource<VirtualServiceSpec>;
export type DestinationRule = Resource<DestinationRuleSpec>;
export type PeerAuthentication = Resource<PeerAuthenticationSpec>;
export type AuthorizationPolicy = Resource<AuthorizationPolicySpec>;

/**
 * Istio's "oldest first" (istiod sorts configs by creation time): resources
 * with a `creationTimestamp` by it, then those without one (manifests not yet
 * applied, so newer than anything in the cluster), each in input order.
 */
export function oldestFirst(a: Pick<Resource<unknown>, 'metadata' | 'order'>, b: Pick<Resource<unknown>, 'metadata' | 'order'>): number {
  const created = (r: Pick<Resource<unknown>, 'metadata'>) => {
    const t = r.metadata.creationTimestamp === undefined ? Number.NaN : Date.parse(r.metadata.creationTimestamp);
    return Number.isNaN(t) ? Number.POSITIVE_INFINITY : t;
  };
  const ta = created(a);
  const tb = created(b);
  return ta === tb ? a.order - b.order : ta < tb ? -1 : 1;
}
