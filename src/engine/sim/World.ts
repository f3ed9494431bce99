import type { TallyCache } from './counting.ts';
import type { RequestSpec } from './request.ts';
import type { ServiceTime } from './latency.ts';
import type {
  AppBehaviour,
  ClusterXds,
  CostModel,
  EndpointXds,
  KubeServiceXds,
  LocalityWeightsXds,
  FailureMode,
  IdTable,
  MeshEvent,
  MeshXds,
  Micros,
  Pod,
  ProxyError,
  ProxyXds,
  ResponseFlag,
  RetryPolicyXds,
  RouteXds,
  RequestTally,
  RunCounters,
  RunTelemetry,
  VirtualHostXds,
  Scenario,
} from '../../model/index.ts';
import type { EventQueue } from '../kernel/EventQueue.ts';
import type { Rng, RngStreams } from '../kernel/Rng.ts';
import type { AccrualHostState, BackoffState, BalancerState, FailFastQueueState, LbHost, LocalityWrr, OutlierHostState, RequestHead, TpsBudgetState } from '../proxy/index.ts';
import type { AppCallTimeout, PerTryTimeout, RouteTimeout, TaskPayload } from './Task.ts';

/**
 * The whole mutable state of one simulation, as plain data (records keyed by
 * id), plus the queue and the random streams. Handlers in this folder read
 * and change it; nothing else does.
 */
export interface World {
  now: Micros;
  queue: EventQueue<TaskPayload>;
  rng: RngStreams;
  /** The event sink; without one, events are counted and not built (see `watching`). */
  emit: ((event: MeshEvent) => void) | undefined;
  /** Tallies for a run without a sink (or beside one). */
  counters: RunCounters | undefined;
  /** The run's telemetry outputs, told what they need without events (see `RunTelemetry`). */
  telemetry: RunTelemetry | undefined;
  /** What `counters` gave back, by plan slot (counting.ts); not part of a snapshot. */
  tallies: TallyCache | undefined;
  /** Slots handed to traffic and call plans so far. */
  planSlots: number;
  /** Events emitted, or that would have been with a sink. */
  eventCount: number;
  scenario: Scenario;
  xds: MeshXds;
  costs: CostModel;
  resolve: AddressResolver;
  pods: Record<string, PodRuntime>;
  /** Pod names per workload, in scenario order. */
  podsByWorkload: Map<string, string[]>;
  proxies: Record<string, ProxyRuntime>;
  requests: IdTable<RequestState>;
  attempts: IdTable<AttemptState>;
  servers: IdTable<ServerState>;
  connections: IdTable<ConnectionState>;
  nextId: { request: number; attempt: number; connection: number };
  /** Requests started and not yet ended. */
  inFlight: number;
  /** `xds.kubeServices` by host, then port (null: none); cleared when `xds` changes. */
  kubeServices: Map<string, Map<number, KubeServiceXds | null>>;
  /** kube-proxy's stream per caller (`kube:<caller>`). */
  kubeRngs: Map<string, Rng>;
  /** Cancelled timers still in the queue (see timers.ts). */
  deadTimers: number;
  /** Traffic sources that will still start requests. */
  pendingTraffic: number;
  listeners: Array<(req: RequestState) => void>;
}

/**
 * Turns what an app dials into the service it means, from a namespace. For
 * a client outside the mesh (`outside`), a host an ingress gateway listens
 * for comes back with the gateway proxies that take it (`ingress`).
 */
export type AddressResolver = (fromNamespace: string, host: string, port?: number, outside?: boolean) => ResolvedAddress | undefined;

export interface ResolvedAddress {
  host: string;
  port: number;
  /** Pod names of the gateway proxies an outside client's request enters through. */
  ingress?: readonly string[];
  /** The gateway ends the client's TLS (the handshake costs `tlsHandshake` on the way in). */
  handshake?: true;
  /** The gateway's server requires a client certificate (`MUTUAL`). */
  clientCertificate?: true;
  /** The gateway closes the client's connection before any HTTP: why, and Envoy's flag for it if it logs one. */
  refused?: { detail: string; flag?: 'NR' };
}

export interface PodRuntime {
  pod: Pod;
  /** The app's own stream (`app:<pod>`): service times and error draws. */
  rng: Rng;
  app: AppBehaviour;
  /** `app.latency`, fitted once. */
  serviceTime: ServiceTime;
  /** Its position in the scenario's pods (what per-pod arrays are indexed by). */
  index: number;
  /** Its sidecar's runtime, the same as `World.proxies[name]` (set where proxies are made). */
  proxy: ProxyRuntime | undefined;
  /** How the timeline made it fail, while it fails (undefined once it recovers). */
  failure: { mode: FailureMode; delay: Micros } | undefined;
  received: number;
  /** Its SPIFFE id and principal (§6.3), made on first use. */
  spiffe: string | undefined;
  principal: string | undefined;
  /** Per call of the app, what stays the same from one issue to the next (made on first use). */
  callPlans: CallPlan[] | undefined;
  /** The sidecar's workload certificate (§6.3), in virtual time. */
  cert: { issuedAt: Micros; notAfter: Micros; serial: number } | undefined;
}

export interface CallPlan {
  target: { host: string; port: number } | undefined;
  authority: string;
  /** Inbound headers the app copies onto the call (lower-case names). */
  copy: readonly string[];
  /** Each name in `copy` and where it first stands there. */
  copyAt: ReadonlyMap<string, number>;
  /** The call's own headers, lower-case names. */
  own: ReadonlyArray<readonly [string, string]>;
  /** Whether the call can carry a router policy override (one of its own headers, or one it copies). */
  overrides: boolean;
  /** Its slot for the run's counters (counting.ts). */
  slot: number;
  /**
   * What `startRequest` is given for each issue of the call: the fixed part
   * filled once, the rest (origin, headers, depth, trace break) written before
   * each issue. `startRequest` keeps none of it, so one object serves them all.
   */
  spec: RequestSpec | undefined;
}

export interface ProxyRuntime {
  pod: string;
  /** Streams `route:<pod>`, `backoff:<pod>`, `outlier:<pod>`, `fault:<pod>`, `mirror:<pod>`, `trace:<pod>`. */
  rng: { route: Rng; backoff: Rng; outlier: Rng; fault: Rng; mirror: Rng; trace: Rng };
  xds: ProxyXds;
  /** `xds.virtualHosts` by host, then port (null: none); cleared when `xds` changes. */
  virtualHosts: Map<string, Map<number, VirtualHostXds | null>>;
  /** The virtual host last found for each request plan's slot (`RequestState.plan`), with the host and port it was for; cleared with `virtualHosts`. */
  vhostBySlot: Array<SlotVirtualHost | undefined>;
  clusters: Record<string, ClusterRuntime>;
}

/** `ProxyRuntime.vhostBySlot`: a plan's requests mostly share their host and port, which are checked before the entry is used. */
export interface SlotVirtualHost {
  host: string;
  port: number;
  vhost: VirtualHostXds | null;
}

export interface ClusterRuntime {
  config: ClusterXds;
  /** Stream `lb:<pod>:<cluster>`. */
  rng: Rng;
  balancer: BalancerState;
  outlier: Record<string, OutlierHostState>;
  /** Linkerd failure accrual per endpoint (config `accrual`), in place of `outlier`. */
  accrual: Record<string, AccrualHostState>;
  /** linkerd-proxy's queue before the balancer (config `failFast`): requests waiting for an endpoint (`failFast.ts`). */
  failFast: FailFastQueueState | undefined;
  /** A Linkerd ServiceProfile retry budget, made when a route toward this cluster first asks it. */
  retryBudget: TpsBudgetState | undefined;
  /** Whether an outlier interval tick is scheduled. */
  ticking: boolean;
  /** Each endpoint as the balancer sees it, with its active requests (what least-request compares); see `lbHosts`. */
  hosts: Map<string, EndpointHost>;
  /** `hosts` in the config's endpoint order, for `hostListFor`. */
  hostList: EndpointHost[];
  hostListFor: ClusterXds | undefined;
  /** Bumped whenever an endpoint of this cluster is ejected or returns (see `ejectionsChanged`). */
  ejectionEpoch: number;
  /** The hosts the balancer may use, as of `ejectionEpoch` and `hostList` (made again only when either changes). */
  available: { epoch: number; from: EndpointHost[]; hosts: EndpointHost[] };
  /** Locality failover: each endpoint's priority as this proxy's config gives it (`ProxyXds.priorities`); undefined: one priority. */
  priorities: number[] | undefined;
  /** Envoy's priority load and the hosts of each priority, as of `ejectionEpoch` and `hostList` (see `priorityHosts`). */
  priorityState: PriorityState | undefined;
  /** `distribute`: each endpoint's locality and the localities' weights for this proxy (`ProxyXds.localityWeights`). */
  localityWeights: LocalityWeightsXds | undefined;
  /** The localities' hosts and their weighted round robin, as of `ejectionEpoch` and `hostList` (see `localityHosts`). */
  localityState: LocalityState | undefined;
  /** Connection pools per endpoint (see pool.ts). */
  pools: Map<string, HostPool>;
  /** Circuit-breaker gauges (§4.1), per cluster as seen by this proxy. */
  open: { connections: number; pending: number; requests: number; retries: number };
  overflows: number;
  /** A config push took the cluster away: attempts still holding it release nothing and count nothing. */
  removed: boolean;
}

/** Per locality (`distribute`): its healthy hosts, its effective weight, the schedule that picks one. */
export interface LocalityState {
  epoch: number;
  from: EndpointHost[];
  table: LocalityWeightsXds;
  hosts: EndpointHost[][];
  /** Every host in some locality of the table (the others are left out for this proxy). */
  kept: EndpointHost[];
  panic: boolean;
  effective: number[];
  wrr: LocalityWrr;
  /** The locality of the last pick (-1: none). */
  chosen: number;
}

/** Per priority level: the percent of requests it takes, and the hosts the balancer uses there. */
export interface PriorityState {
  epoch: number;
  from: EndpointHost[];
  priorities: number[];
  load: number[];
  hosts: EndpointHost[][];
}

/** One client proxy's HTTP/1.1 pool toward one endpoint. */
export interface HostPool {
  /** Every open connection, oldest first. */
  conns: ConnectionState[];
  /** Ready connections carrying nothing: a binary min-heap by id, the oldest (the next to be reused) first (`pool.ts`). */
  idle: ConnectionState[];
  /** Connections still in their TCP/TLS setup. */
  connecting: number;
  /** Attempts waiting for a connection, in arrival order. */
  pending: number[];
}

export interface EndpointHost extends LbHost {
  endpoint: EndpointXds;
  /** The endpoint's pod, looked up on the first attempt to it (pods live as long as the run). */
  runtime?: PodRuntime;
  /** The client's pool toward it, found on the first attempt (pools live as long as their cluster). */
  pool?: HostPool;
  /** Its outlier-detection record (`ClusterRuntime.outlier`), found on the first result counted. */
  outlier?: OutlierHostState;
}

export interface ConnectionState {
  id: number;
  /** The client sidecar that opened it. */
  sidecar: ProxyRuntime;
  cluster: string;
  endpoint: string;
  /** The pool it belongs to (its sidecar's pool toward `endpoint` in `cluster`). */
  pool: HostPool;
  mtls: boolean;
  ready: boolean;
  /** HTTP/1.1: the attempt it carries now (HTTP/2 leaves it unset and counts `streams`). */
  busyWith: number | undefined;
  /**
   * HTTP/2: how many streams it can carry at once (its cluster's
   * `maxConcurrentStreams` when it was opened); 0 for HTTP/1.1.
   */
  maxStreams: number;
  /** HTTP/2: streams open on it now. */
  streams: number;
  /** Requests it has carried to their end (what `maxRequestsPerConnection` counts). */
  served: number;
  /** Why it closes once the request on it is done (its cluster's TLS mode changed, its pod stopped accepting connections). */
  draining: string | undefined;
}

export type RequestOrigin =
  | { kind: 'traffic'; name: string }
  | { kind: 'app'; parentId: number; call: number; serverId: number }
  | { kind: 'mirror'; parentId: number };

export interface RequestState {
  id: number;
  origin: RequestOrigin;
  /** Calling pod, or the traffic client's name for `external`. */
  from: string;
  fromWorkload: string;
  namespace: string;
  viaSidecar: boolean;
  /** The calling pod and its sidecar, when there are (looked up once, by name, when the request is made). */
  caller: PodRuntime | undefined;
  sidecar: ProxyRuntime | undefined;
  host: string;
  port: number;
  head: RequestHead;
  startedAt: Micros;
  done: boolean;
  route?: RouteXds;
  cluster?: string;
  /** The route's retry policy as this request's headers adjust it (set when the router takes it; none for a shadow copy). */
  retryPolicy: RetryPolicyXds | undefined;
  /** The route timeout as the headers adjust it; 0 = none. */
  routeTimeout: Micros;
  retriesLeft: number;
  backoff?: BackoffState;
  /**
   * Endpoints tried so far, in order: the one endpoint of a first attempt as
   * is, a list from the second attempt on (most requests make one attempt;
   * a list for each would be ≈ 50 bytes per request in flight). Read it
   * through `attemptedHosts`.
   */
  attempted: string | string[] | undefined;
  attemptCount: number;
  currentAttempt?: number;
  /** Flags that stick to the request whatever the last attempt says (replaced, never written in place). */
  flags: readonly ResponseFlag[];
  /** An app call whose app dropped the trace headers it received. */
  untracedParent?: boolean;
  /** Whether the request's headers may hold a policy override (x-envoy-retry-on…); false lets the router skip looking. */
  mayOverride: boolean;
  /** `cluster`'s runtime in the caller's sidecar, once an attempt has looked it up (looked up again if a push removed it). */
  cr: ClusterRuntime | undefined;
  /** The slot of the plan it was made from (counting.ts); -1 for a one-off request. */
  plan: number;
  /** How many app calls or shadow copies deep it is: 0 for traffic. */
  depth: number;
  /** The route timeout armed for this request (cancelled when it finishes first). */
  routeTimer?: RouteTimeout;
  /** The cluster whose retry breaker slot this request holds (from the grant until its retry attempt ends; see gauges.ts). */
  retrySlot: ClusterRuntime | undefined;
  result?: { status: number; flags: ResponseFlag[]; detail: string; error?: ProxyError };
  /** What the run's counters gave back for this request (see RunCounters). */
  tally: RequestTally;
}

export interface AttemptState {
  id: number;
  requestId: number;
  n: number;
  /** The client sidecar, for attempts that leave one (not a sidecar-less caller's). */
  sidecar: ProxyRuntime | undefined;
  cluster?: string;
  /** That cluster's runtime in the client sidecar (read it through `clusterOf`, which knows a removed one). */
  cr: ClusterRuntime | undefined;
  endpoint: string;
  /** The balancer's host for that endpoint (undefined for a sidecar-less caller's attempt). */
  host: EndpointHost | undefined;
  /** That endpoint's pod (resolved once per endpoint, not per attempt). */
  callee: PodRuntime | undefined;
  /** The endpoint's container port (what PeerAuthentication port-level settings key on). */
  port: number;
  isRetry: boolean;
  /** When the balancer picked the endpoint (a Peak-EWMA round trip is measured from here). */
  pickedAt: Micros;
  connection?: number;
  mtls: boolean;
  state: 'pending' | 'connecting' | 'sent' | 'done';
  /** The per-try timeout armed when the attempt went on the wire. */
  perTryTimer?: PerTryTimeout;
}

/** One request being served by a pod (one per attempt that reached it). */
export interface ServerState {
  id: number;
  pod: string;
  /** That pod, and its sidecar if it has one. */
  runtime: PodRuntime;
  sidecar: ProxyRuntime | undefined;
  requestId: number;
  /** That request's call depth (its calls are one deeper). */
  depth: number;
  attempt: number;
  viaSidecar: boolean;
  mtls: boolean;
  sourcePrincipal?: string;
  destinationPrincipal?: string;
  /** Headers of the inbound request, which the app may copy onto its calls. */
  headers: Record<string, string>;
  arrivedAt: Micros;
  nextCall: number;
  outstanding: number;
  failedStatus?: number;
  /** Child request id per call slot currently awaited, and app-level retries used. */
  calls: Array<{ childId: number; retriesUsed: number; timer: AppCallTimeout | undefined } | undefined> | undefined;
  responded: boolean;
}
