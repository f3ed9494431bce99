export type { SourcePos, Severity, Diagnostic } from './diagnostics.ts';
export type { ObjectMeta, Resource, StringMatch, HTTPMatchRequest, PortSelector, Destination, Percent, HTTPRouteDestination, HTTPRetry, HTTPFaultInjection, HTTPMirrorPolicy, HTTPDirectResponse, HTTPRedirect, HTTPRoute, TLSRoute, TLSMatchAttributes, TCPRoute, L4MatchAttributes, VirtualServiceSpec, SimpleLb, LoadBalancerSettings, LocalityLbSetting, ConnectionPoolSettings, OutlierDetection, ClientTlsMode, ClientTLSSettings, TrafficPolicy, Subset, DestinationRuleSpec, PeerAuthMode, PeerAuthenticationSpec, PolicyTargetReference, AuthorizationPolicySpec, VirtualService, DestinationRule, PeerAuthentication, AuthorizationPolicy, ServiceEntry, ServiceEntrySpec, ServiceEntryPort, WorkloadEntrySpec, Sidecar, SidecarSpec, IstioEgressListener, Gateway, GatewaySpec, GatewayServer, ServerTLSSettings } from './istio.ts';
export { oldestFirst } from './istio.ts';
export type {
  Scenario,
  MeshSettings,
  OutboundTrafficPolicy,
  H2UpgradePolicy,
  ExternalService,
  Waypoint,
  WaypointTrafficType,
  KubeNode,
  Namespace,
  Workload,
  Pod,
  ServicePort,
  Service,
  Flavor,
  SimulationSpec,
  LatencyDist,
  AppBehaviour,
  CallSpec,
  TrafficLoad,
  TrafficSpec,
  FailureMode,
  FailureTarget,
  TimelineAction,
  TimelineEntry,
  CostModel,
  ControlPlaneSettings,
} from './scenario.ts';
export { DEFAULT_COSTS, DEFAULT_CONTROL_PLANE, defaultApp, EXTERNAL, FAILURE_MODES, isFailureMode, FLAVORS, isFlavor } from './scenario.ts';
export type { KubeGateway, KubeGatewaySpec, KubeGatewayListener, GatewayListenerOrigin } from './gatewayApi.ts';
export type { HTTPRouteSpec, HTTPRouteRule, HTTPRouteMatch, HTTPRouteFilter, ServiceProfileSpec, ServiceProfileCondition, ServerSpec, LinkerdAuthorizationPolicySpec, MeshTLSAuthenticationSpec, LinkerdResources, LinkerdAccessLogFormat } from './linkerd.ts';
export { emptyLinkerdResources, linkerdAccessLogFormat, linkerdIdentity } from './linkerd.ts';
export type { CostedMesh, MeshCostFigures, MeshCostOverride } from './flavorCosts.ts';
export { MESH_COSTS, MESH_COST_FIELDS, defaultCosts, meshCostsFor } from './flavorCosts.ts';
export type { MeshXds, KubeServiceXds, ProxyXds, VirtualHostXds, TlsChainXds, RouteOrigin, RouteXds, StringMatcherXds, HeaderMatcherXds, RouteMatchXds, RouteActionXds, RetryOn, RetryPolicyXds, FaultXds, MirrorXds, LbPolicyXds, LocalityWeightsXds, OutlierXds, ThresholdsXds, UpstreamTlsXds, EndpointXds, ClusterXds, InboundMtlsMode, InboundXds, DataPlaneXds, ZtunnelXds, WaypointXds, LinkerdRetryXds, LinkerdRetryBudgetXds, FailureAccrualXds, HeaderEditXds } from './xds.ts';
export { ISTIO_UNLIMITED, RETRY_ON_CONDITIONS, isRetryOn, isWaypointKey, waypointKey, waypointLabel, waypointName } from './xds.ts';
export { clusterXds, routeToClusters } from './xdsShapes.ts';
export type { AuthzPolicyXds, AuthzRuleXds, AuthzConditionXds, AuthzAttributeXds, AuthzValueXds } from './authzXds.ts';
export type { GatewayXds, GatewayServerXds } from './gatewayXds.ts';
export { boundGatewayPort } from './gatewayXds.ts';
export type { BackoffState } from './retryBackoff.ts';
export { DEFAULT_BACKOFF_BASE, BACKOFF_MAX_FACTOR, retryBackoff, createBackoff, advanceBackoff, backoffWindows } from './retryBackoff.ts';
export type { Where, ResponseFlag, ProxyError, RouteMiss, MeshEvent, MeshEventKind, MeshEventOf } from './events.ts';
export { RESPONSE_FLAGS, PROXY_ERRORS } from './events.ts';
export { spiffeId, principalOf, rotationTime, WORKLOAD_CERT_TTL, CERT_GRACE_RATIO, CERT_GRACE_JITTER } from './identity.ts';
export { clusterName, parseClusterName } from './clusterName.ts';
export { matchesLabels, serviceSelects } from './matchesLabels.ts';
export { declaredPort, istioProtocolOf, isHttpProtocol, isHttp2Protocol, isTcpProxied, isTlsProtocol, tcpProxiedTargetPorts } from './portProtocol.ts';
export type { IstioProtocol } from './portProtocol.ts';
export { parseIpv4 } from './ipv4.ts';
export { byName, asByName } from './byName.ts';
export { compileSafeRegex, safeRegexMatches, MAX_REGEX_LENGTH } from './safeRegex.ts';
export type { CompiledRegex, SafeRegex } from './safeRegex.ts';
export type { Micros } from './units.ts';
export type { RunCounters, RequestTally, EdgeTally } from './counters.ts';
export type { RunTelemetry, TelemetryProxy, TelemetryRequest, TelemetryServer } from './runTelemetry.ts';
export {
  MICROS_PER_MS,
  MICROS_PER_SECOND,
  MAX_GO_DURATION,
  MAX_GO_DURATION_TEXT,
  MAX_SIMULATED_DURATION,
  MAX_SIMULATED_DURATION_TEXT,
  ms,
  seconds,
  toMs,
  parseDuration,
  formatDuration,
} from './units.ts';
export { suggest, editDistance } from './suggest.ts';
export type { Expectation, ExpectationBase, ExpectWindow, ExpectSubject, StatusMatch, Comparison } from './expectation.ts';
export type { RolloutSpec, CanaryAnalysis, GateMetric, ArgoRollout, ArgoStep } from './rollout.ts';
export { defaultTelemetryPolicy, ISTIO_METRICS } from './telemetryPolicy.ts';
export type { IstioMetric, MetricsPolicy, TagOverride, TagValue, TelemetryPolicy } from './telemetryPolicy.ts';
export { PROXY_CONFIG_TABLES } from './proxyConfigTables.ts';
export type { ProxyConfigTable } from './proxyConfigTables.ts';
export { IdTable } from './IdTable.ts';
