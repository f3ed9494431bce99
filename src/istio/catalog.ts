import type { Diagnostic, Severity, SourcePos } from '../model/index.ts';

/**
 * The one catalog of diagnostics, in the manner of Istio's `messages.yaml`:
 * every finding has a stable code, a default severity and a message template.
 *
 * Code ranges: MV0001–0099 loading, YAML and schemas, MV0100–0199 the
 * Simulation document, MV0200–0299 references between documents, MV0300–0399
 * the control-plane compiler, MV0400–0499 the analyzers (`analyze/`),
 * MV0500–0599 changes to a running mesh (the visualizer's controls),
 * MV0600–0699 Linkerd's configuration (0650 on: its analyzers), MV0700–0799
 * Istio's ambient mode (0750 on: its analyzers). Codes
 * are never reused: a retired entry keeps its number, commented out.
 *
 * `equivalents` names the same check in `istioctl analyze` (ISTxxxx) or
 * Kiali (KIAxxxx), where one exists; only codes confirmed in their sources
 * are cited.
 */

interface Entry<Params extends unknown[]> {
  code: string;
  severity: Severity;
  message: (...params: Params) => string;
  equivalents?: readonly string[];
}

function entry<Params extends unknown[]>(
  code: string,
  severity: Severity,
  message: (...params: Params) => string,
  equivalents?: readonly string[],
): Entry<Params> {
  return equivalents ? { code, severity, message, equivalents } : { code, severity, message };
}

const quoted = (text: string): string => JSON.stringify(text);
const didYouMean = (suggestion?: string): string => (suggestion ? ` (did you mean ${quoted(suggestion)}?)` : '');

export const catalog = {
  // Loading and YAML: 0001–0099.
  FileTooLarge: entry('MV0001', 'error', (p: { bytes: number; limit: number }) =>
    `file is ${p.bytes} bytes, over the limit of ${p.limit} bytes`),
  BinaryFile: entry('MV0002', 'error', () => 'file contains NUL bytes: it looks binary, not YAML'),
  NotUtf8: entry('MV0003', 'error', () =>
    'file contains U+FFFD replacement characters: it was probably not UTF-8 text'),
  Utf16File: entry('MV0013', 'error', (p: { order: string }) =>
    `file is UTF-16 (${p.order}), not UTF-8: save it as UTF-8 (e.g. iconv -f UTF-16 -t UTF-8 FILE > FILE.utf8.yaml, or "Save with encoding: UTF-8" in an editor)`),
  TotalTooLarge: entry('MV0014', 'error', (p: { bytes: number; limit: number }) =>
    `the files add up to ${p.bytes} bytes with this one, over the limit of ${p.limit} bytes for one scenario: this file and the ones after it were not read (load fewer files)`),
  EmptyFile: entry('MV0004', 'info', () => 'file is empty: nothing to load'),
  YamlSyntax: entry('MV0005', 'error', (p: { detail: string }) => `YAML syntax error: ${p.detail}`),
  DuplicateKey: entry('MV0006', 'error', (p: { detail: string }) => `duplicate key: ${p.detail}`),
  AliasLimit: entry('MV0007', 'error', (p: { limit: number }) =>
    `more than ${p.limit} alias expansions in one document: refusing a possible alias bomb`),
  YamlWarning: entry('MV0008', 'warning', (p: { detail: string }) => `YAML: ${p.detail}`),
  NestingTooDeep: entry('MV0009', 'error', (p: { limit: number }) =>
    `document is nested more than ${p.limit} levels deep`),
  ForbiddenKey: entry('MV0010', 'warning', (p: { key: string }) =>
    `key ${quoted(p.key)} is not allowed and was dropped`),
  ComplexKey: entry('MV0011', 'warning', () => 'a mapping or sequence used as a key was dropped'),
  DocumentNotMapping: entry('MV0012', 'error', (p: { actual: string }) =>
    `a document must be a mapping with apiVersion, kind and metadata, not ${p.actual}`),

  MissingField: entry('MV0020', 'error', (p: { field: string }) => `required field ${quoted(p.field)} is missing`),
  UnknownKind: entry('MV0021', 'warning', (p: { kind: string; apiVersion: string }) =>
    `unknown kind ${p.kind} (${p.apiVersion}): skipped`),
  UnknownApiVersion: entry('MV0022', 'warning', (p: { kind: string; apiVersion: string; supported: string[] }) =>
    `${p.kind} is not known in apiVersion ${p.apiVersion} (supported: ${p.supported.join(', ')}): skipped`),
  NotSimulated: entry('MV0023', 'info', (p: { kind: string }) => `${p.kind} is kept but not simulated yet`),
  IgnoredKind: entry('MV0024', 'info', (p: { kind: string }) => `${p.kind} does not affect the mesh: ignored`),
  DuplicateResource: entry('MV0025', 'warning', (p: { earlier: string }) =>
    `same name as ${p.earlier} defined earlier; the later one wins`),
  ReplicasOverLimit: entry('MV0026', 'error', (p: { replicas: number; limit: number }) =>
    `${p.replicas} replicas is over meshviz's limit of ${p.limit} pods per workload`),
  NamedTargetPortUnresolved: entry('MV0027', 'warning', (p: { name: string; port: number }) =>
    `targetPort ${quoted(p.name)} names no containerPort of the selected pods; using port ${p.port}`),
  InvalidName: entry('MV0028', 'warning', (p: { name: string }) =>
    `${quoted(p.name)} is not a valid Kubernetes name (lowercase letters, digits, '-' and '.')`),
  LabelNotString: entry('MV0029', 'warning', (p: { value: string }) =>
    `label and annotation values must be strings; read as ${quoted(p.value)} (quote it)`),
  PodNotRunning: entry('MV0031', 'info', (p: { phase: string; reason?: string }) =>
    `pod is ${p.phase}${p.reason ? ` (${p.reason})` : ''}, not Running: not simulated (running pods are the workload's pods)`),
  MeshConfigUnreadable: entry('MV0032', 'warning', (p: { detail: string }) =>
    `the mesh config is not YAML istiod could read (${p.detail}): Istio's defaults apply`),
  FieldNotSimulated: entry('MV0033', 'info', (p: { kind: string; field: string }) =>
    `${p.kind} ${p.field} is kept but not simulated yet (egress hosts, workloadSelector and outboundTrafficPolicy are)`),
  TooManyPods: entry('MV0030', 'error', (p: { limit: number }) =>
    `the scenario has more than ${p.limit} pods, meshviz's limit; the rest were left out`),

  WrongType: entry('MV0040', 'error', (p: { expected: string; actual: string }) =>
    `expected ${p.expected}, got ${p.actual}`),
  UnknownField: entry('MV0041', 'warning', (p: { field: string; suggestion?: string }) =>
    `unknown field ${quoted(p.field)}${didYouMean(p.suggestion)}`),
  InvalidValue: entry('MV0042', 'error', (p: { detail: string }) => p.detail),
  InvalidDuration: entry('MV0043', 'error', (p: { text: string }) =>
    `${quoted(p.text)} is not a duration (write e.g. 10ms, 1.5s, 1m30s)`),
  DurationNeedsUnit: entry('MV0044', 'error', (p: { value: number }) =>
    `a duration needs a unit: write ${p.value}ms or ${p.value}s, not ${p.value}`),
  DurationTooLong: entry('MV0047', 'error', (p: { text: string; limit: string; why: string }) =>
    `${quoted(p.text.length > 40 ? `${p.text.slice(0, 37)}…` : p.text)} is longer than ${p.limit}, ${p.why}`),

  SchemaViolation: entry('MV0045', 'error', (p: { detail: string; schema: string }) => `${p.detail} (${p.schema} schema)`, ['IST0106']),
  DeprecatedField: entry('MV0046', 'warning', (p: { field: string; instead: string }) =>
    `${quoted(p.field)} is deprecated: ${p.instead}`, ['IST0002']),

  // Rules Istio enforces beyond the OpenAPI schemas its models carry (CRD CEL rules, istiod's webhook): 0050–0069.
  PercentageOutOfRange: entry('MV0050', 'error', (p: { value: number }) =>
    p.value > 0 && p.value < 0.0001
      ? `a percentage must be 0 or at least 0.0001, not ${p.value}: Istio refuses smaller shares`
      : `a percentage must be between 0 and 100, not ${p.value}: Istio refuses it`, ['IST0106']),
  NegativeValue: entry('MV0051', 'error', (p: { field: string; value: number; meaning: string }) =>
    `${p.field} must not be negative, not ${p.value}: Istio refuses it (${p.meaning})`, ['IST0106']),
  AbortStatusOutOfRange: entry('MV0052', 'error', (p: { status: number }) =>
    `httpStatus must be between 200 and 599, not ${p.status}: Istio and Envoy's fault filter refuse other codes`, ['IST0106']),
  PortLevelMtlsNeedsSelector: entry('MV0053', 'error', () =>
    'portLevelMtls needs a selector with matchLabels: Istio refuses port-level mTLS in a namespace- or mesh-wide PeerAuthentication ("portLevelMtls requires selector")',
  ['IST0106']),

  // Istio's CRDs: every google.protobuf.Duration has the CEL rule duration(self) >= duration('1ms').
  DurationBelowMinimum: entry('MV0054', 'error', (p: { text: string }) =>
    `${quoted(p.text)}: must be a valid duration greater than 1ms (Istio refuses shorter ones)`, ['IST0106']),

  // validateStringMatchRegexp: Istio compiles every match regex with Go's regexp (RE2) and refuses what fails.
  RegexRejected: entry('MV0055', 'error', (p: { where: string; error: string }) =>
    p.error.startsWith('regex is too large')
      ? `${quoted(p.where)}: ${p.error}`
      : `${quoted(p.where)}: ${p.error}; Istio uses RE2 style regex-based match (https://github.com/google/re2/wiki/Syntax)`, ['IST0106']),

  ServiceEntryRejected: entry('MV0056', 'error', (p: { reason: string }) =>
    `${p.reason}: Istio's validation rejects this ServiceEntry, so istiod never sees it (its hosts stay undeclared)`, ['IST0106']),
  InternalError: entry('MV0098', 'error', (p: { detail: string }) => `internal error while loading: ${p.detail}`),

  // The Simulation document: 0100–0199.
  DuplicateSimulation: entry('MV0100', 'error', (p: { first: string }) =>
    `only one Simulation document is allowed; ${p.first} came first and this one is ignored`),
  UnsupportedFlavor: entry('MV0101', 'error', (p: { flavor: string }) =>
    `flavor ${quoted(p.flavor)} is not supported (supported: istio, linkerd, istio-ambient)`),
  LatencyForm: entry('MV0102', 'error', (p: { detail: string }) =>
    `latency needs either {fixed} or {p50, p99}: ${p.detail}`),
  TrafficLoadForm: entry('MV0103', 'error', (p: { detail: string }) =>
    `traffic needs either rps and duration (open loop) or connections and requests (closed loop): ${p.detail}`),
  TimelineActionForm: entry('MV0104', 'error', () =>
    'a timeline entry needs exactly one of fail, recover, apply, delete or controlPlane'),
  FailureTargetForm: entry('MV0105', 'error', () => 'a failure target needs exactly one of workload or pod'),
  SlowNeedsDelay: entry('MV0106', 'error', () => 'mode slow needs a delay, e.g. delay: 2s'),
  DelayIgnored: entry('MV0107', 'warning', (p: { mode: string }) => `delay only applies to mode slow, not ${p.mode}`),
  InvalidHostPort: entry('MV0108', 'error', (p: { text: string }) =>
    `${quoted(p.text)} is not host[:port] (e.g. users:8080 or users.default.svc.cluster.local)`),
  ExternalCallsIgnored: entry('MV0110', 'warning', () =>
    'a service outside the mesh is simulated by its answers alone: its calls are ignored'),
  DuplicateTrafficName: entry('MV0109', 'error', (p: { name: string }) => `traffic name ${quoted(p.name)} is used twice`),
  InvalidExpectation: entry('MV0111', 'error', (p: { text: string; detail: string; at: number }) =>
    `expectation ${quoted(p.text)} is not understood at character ${p.at}: ${p.detail}`),

  // References between documents: 0200–0299.
  UnknownTrafficSource: entry('MV0200', 'error', (p: { name: string }) =>
    `no Deployment named ${quoted(p.name)} (use a Deployment name or "external")`),
  UnknownService: entry('MV0201', 'error', (p: { host: string; namespace: string }) =>
    `${quoted(p.host)} resolves to no Service when dialled from namespace ${p.namespace} (a host outside the cluster is written in full, e.g. api.example.com)`),
  UnknownServicePort: entry('MV0202', 'error', (p: { service: string; port: number; ports: number[] }) =>
    `Service ${p.service} has no port ${p.port} (ports: ${p.ports.join(', ') || 'none'})`),
  UnknownWorkload: entry('MV0203', 'error', (p: { name: string }) => `no Deployment named ${quoted(p.name)}`),
  UnknownPod: entry('MV0204', 'error', (p: { name: string }) => `no pod named ${quoted(p.name)}`),
  TrafficSourceWithoutPods: entry('MV0206', 'error', (p: { name: string }) =>
    `${quoted(p.name)} has no pods (replicas: 0), so nothing can send this traffic; scale it up or send from another workload`),
  AmbiguousWorkload: entry('MV0205', 'warning', (p: { name: string; namespaces: string[] }) =>
    `${quoted(p.name)} names Deployments in several namespaces (${p.namespaces.join(', ')}); this applies to all`),
  ExpectUnknownTraffic: entry('MV0207', 'error', (p: { name: string; known: string[]; suggestion?: string }) =>
    `expectation names no traffic ${quoted(p.name)}${didYouMean(p.suggestion)} (the Simulation's traffic: ${p.known.length ? p.known.join(', ') : 'none'})`),
  ExpectUnknownName: entry('MV0208', 'error', (p: { detail: string }) => `expectation: ${p.detail}`),
  ExpectNeverFails: entry('MV0209', 'error', (p: { name: string }) =>
    `expectation: the timeline never fails ${quoted(p.name)}, so "ejected within … of failing" has no failure to count from (add a fail entry for it to spec.timeline)`),

  // The control-plane compiler: 0300–0399 (what it had to ignore or replace).
  DurationReplaced: entry('MV0300', 'warning', (p: { value: string; fallback: string }) =>
    `${quoted(p.value)} is not a duration; ${p.fallback} is used instead`),
  VirtualServiceShadowed: entry('MV0301', 'warning', (p: { host: string; winner: string }) =>
    `${p.winner} is older and also routes ${p.host}; a sidecar uses one VirtualService per host, so this one is ignored for it`,
  ['IST0109', 'KIA1106']),
  DestinationServiceUnknown: entry('MV0302', 'warning', (p: { host: string }) =>
    `no service ${p.host}: requests routed there get 503 (NC, cluster not found)`, ['IST0101', 'KIA1101']),
  SubsetUndefined: entry('MV0303', 'warning', (p: { host: string; subset: string; cluster: string }) =>
    `no DestinationRule for ${p.host} defines subset ${quoted(p.subset)}: requests routed to cluster ${p.cluster} get 503 (NC, cluster not found)`,
  ['IST0101', 'KIA1107']),
  DestinationPortUnknown: entry('MV0304', 'warning', (p: { host: string; port: number; cluster: string }) =>
    `service ${p.host} has no port ${p.port}: requests routed to cluster ${p.cluster} get 503 (NC, cluster not found)`, ['IST0101']),
  DestinationRulePolicyIgnored: entry('MV0305', 'warning', (p: { host: string; winner: string }) =>
    `${p.winner} is older and also sets a top-level trafficPolicy for ${p.host}; DestinationRules for one host are merged and this trafficPolicy is ignored`),
  SubsetDuplicate: entry('MV0306', 'warning', (p: { host: string; subset: string; winner: string }) =>
    `subset ${quoted(p.subset)} of ${p.host} is already defined by ${p.winner}, which is older; this definition is ignored`,
  ['KIA0201']),
  RetryOnUnknown: entry('MV0307', 'warning', (p: { token: string }) =>
    `${quoted(p.token)} is not a retry condition Envoy knows (nor an HTTP status code); it is ignored`),
  RouteWithoutAction: entry('MV0308', 'warning', () =>
    'this rule has no route, redirect or directResponse; it produces no route'),
  AllWeightsZero: entry('MV0309', 'error', () =>
    'every destination has weight 0, so the route has no cluster to send to: Istio refuses it ("total destination weight = 0")', ['IST0106']),
  UnreachableRule: entry('MV0310', 'warning', (p: { catchAll: number }) =>
    `this rule can never match: spec.http[${p.catchAll}] before it matches every request`, ['IST0130']),
  UnsupportedLoadBalancer: entry('MV0311', 'info', (p: { what: string; used: string }) =>
    `${p.what} is not simulated; ${p.used} is used instead`),
  UnsupportedFault: entry('MV0312', 'info', (p: { what: string }) => `${p.what} is not simulated; this fault is ignored`),
  DestinationSubnetsNotSimulated: entry('MV0317', 'info', () =>
    "destinationSubnets is not compared: meshviz takes this match block as matching every destination address (the address a proxy sees is the Service's clusterIP, which the files carry only in a cluster export)"),
  PeerAuthenticationShadowed: entry('MV0313', 'warning', (p: { scope: string; winner: string }) =>
    `${p.winner} is an older ${p.scope} PeerAuthentication for the same workloads; only the oldest is used, this one is ignored`,
  ['KIA0002', 'KIA0003']),
  PeerAuthenticationRootSelector: entry('MV0314', 'warning', (p: { rootNamespace: string }) =>
    `a PeerAuthentication with a selector in the root namespace ${p.rootNamespace} is ignored`),
  PortLevelMtlsWithoutSelector: entry('MV0315', 'warning', () =>
    'portLevelMtls only applies to a PeerAuthentication with a selector; it is ignored'),
  RedirectCodeUnsupported: entry('MV0316', 'warning', (p: { status: number }) =>
    `redirect code ${p.status} is not supported (301, 302, 303, 307, 308); this rule produces no route`),
  // AuthorizationPolicy compilation (§7), merged from compile/authz/codes.ts: 0330–0339.
  AuthzCustomNotEnforced: entry('MV0330', 'warning', (p: { provider: string }) =>
    `action CUSTOM asks the external authorizer ${p.provider}, which meshviz does not simulate: this policy is not enforced`),
  AuthzTargetRefsSkipped: entry('MV0331', 'info', () =>
    'targetRefs attaches this policy to a waypoint or gateway; sidecars only apply selector policies, so meshviz skips it'),
  AuthzDryRun: entry('MV0332', 'info', () =>
    'istio.io/dry-run is set: Istio only logs what this policy would decide, so it is not enforced'),
  AuthzWhenKeyUnknown: entry('MV0333', 'warning', (p: { key: string }) =>
    `${quoted(p.key)} is not an attribute Istio knows: Istio skips this rule, so it never matches`),
  AuthzWhenKeyNotSimulated: entry('MV0334', 'warning', (p: { key: string }) =>
    `${p.key} is not simulated: meshviz treats this rule as never matching`),
  AuthzJwtNotSimulated: entry('MV0335', 'info', (p: { field: string }) =>
    `${p.field} comes from a JWT (RequestAuthentication), which meshviz does not simulate: it is never present, so values never match and not-values always do`),
  AuthzHttpFieldsOnTcpPort: entry('MV0337', 'warning', (p: { found: string; outcome: string }) =>
    `a selected workload serves a port the sidecars carry as TCP, where Envoy's network RBAC filter sees no HTTP (found: ${p.found}): ${p.outcome}`),
  AuthzInvalidValue: entry('MV0336', 'warning', (p: { value: string; expected: string; action: string }) =>
    p.action === 'ALLOW'
      ? `${quoted(p.value)} is not ${p.expected}: Istio skips this ALLOW rule, so it never matches`
      : `${quoted(p.value)} is not ${p.expected}: Istio drops the value from this ${p.action} rule, which makes the rule match more`),

  // Delegate VirtualServices: 0350–0359.
  DelegateNotFound: entry('MV0350', 'warning', (p: { delegate: string; why: string }) =>
    `delegate ${p.delegate} ${p.why}: istiod drops this rule ("delegate virtual service not found"), so requests it matched fall to the rules after it`),
  DelegateNested: entry('MV0351', 'error', () =>
    'delegate HTTP route cannot contain delegate: Istio refuses this VirtualService (one level of delegation only), so the rules delegating to it are dropped'),
  DelegateRootNotOnGateway: entry('MV0352', 'error', () =>
    'http delegate only applies to gateway: Istio refuses a VirtualService that delegates unless its gateways name a gateway'),
  DelegateMatchConflict: entry('MV0353', 'warning', (p: { delegate: string; rule: string }) =>
    `${p.delegate} ${p.rule} matches requests this rule does not (each of its match blocks must lie within one of the root's): istiod drops that delegate rule ("HTTPMatchRequests conflict")`),

  // Gateway API HTTPRoutes under Istio (GAMMA): 0360–0369.
  HttpRouteFilterNotSimulated: entry('MV0360', 'info', (p: { type: string }) =>
    `filter ${p.type} is not simulated (meshviz simulates RequestHeaderModifier and RequestRedirect): Istio applies it, meshviz routes this rule without it`),
  HttpRouteFilterUnknown: entry('MV0361', 'warning', (p: { type: string }) =>
    `filter type ${quoted(p.type)} is none of the Gateway API's HTTP filters: meshviz leaves this rule out; Istio routes only by filters it implements (see the HTTPRoute's status conditions on a cluster)`),
  HttpRouteOverVirtualService: entry('MV0362', 'warning', (p: { host: string; virtualService: string }) =>
    `an HTTPRoute and ${p.virtualService} both route ${p.host} for the mesh: meshviz uses the HTTPRoute's rules; on a cluster, keep one of the two`),
  // Gateway API Gateways (class istio) and the routes that attach to them, as istiod converts them: 0370–0379.
  GatewayListenerProtocolUnsupported: entry('MV0370', 'error', (p: { listener: string; protocol: string }) =>
    `listener ${p.listener}: protocol ${quoted(p.protocol)} is unsupported (istiod takes HTTP, HTTPS, TLS and TCP): the listener is not accepted (UnsupportedProtocol) and gets no server`),
  GatewayListenerTlsMissing: entry('MV0371', 'error', (p: { listener: string; protocol: string }) =>
    `listener ${p.listener}: protocol ${p.protocol} without a tls section: istiod creates no server for it, so nothing listens on its port`),
  GatewayListenerCertificateMissing: entry('MV0372', 'error', (p: { listener: string }) =>
    `listener ${p.listener}: tls mode Terminate needs certificateRefs (the Gateway API's rule for Terminate): the gateway has no certificate to end TLS with`),
  RouteNoMatchingParent: entry('MV0373', 'warning', (p: { parent: string; detail: string }) =>
    `parentRef ${p.parent}: ${p.detail}: the route is not accepted (NoMatchingParent, as istiod would put in its status) and routes nothing there`),
  RouteNotAllowedByListeners: entry('MV0374', 'warning', (p: { parent: string; detail: string }) =>
    `parentRef ${p.parent}: ${p.detail}: the route is not accepted (NotAllowedByListeners, as istiod would put in its status) and routes nothing there`),
  RouteNoMatchingListenerHostname: entry('MV0375', 'warning', (p: { parent: string; hostname: string }) =>
    `parentRef ${p.parent}: no hostname of the route matches the listener's hostname ${quoted(p.hostname)}: the route is not accepted (NoMatchingListenerHostname, as istiod would put in its status) and routes nothing there`),

  // Telemetry resources (telemetry.istio.io): 0340–0349.
  TelemetryProviderNotSimulated: entry('MV0340', 'info', (p: { provider: string }) =>
    `provider ${quoted(p.provider)} is not simulated: meshviz writes Prometheus metrics (prometheus), Envoy access logs (envoy) and OTLP traces; this entry is ignored`),
  TelemetryFieldNotSimulated: entry('MV0341', 'info', (p: { what: string }) => `${p.what}: not simulated, ignored`),
  TelemetryTagValueNotSimulated: entry('MV0342', 'warning', (p: { expression: string }) =>
    `tag value ${quoted(p.expression)} is not an expression meshviz evaluates (a quoted string, request.host, request.method, request.path, request.url_path, request.scheme, request.protocol, request.headers['name']); the tag is written as "unknown"`),
  TelemetryConflict: entry('MV0343', 'warning', (p: { namespace: string; used: string }) =>
    `more than one Telemetry without a selector in namespace ${quoted(p.namespace)}: Istio uses the oldest (${p.used}) and ignores this one`),

  // The analyzers (analyze/, one per file): 0400–0499.
  RouteHostNotFound: entry('MV0400', 'error', (p: { what: string; host: string }) =>
    `${p.what} host ${p.host} matches no Service in the scenario: requests routed there get 503 (NC, cluster not found)`,
  ['IST0101', 'KIA1101']),
  SubsetNotDefined: entry('MV0401', 'error', (p: { host: string; subset: string; defined: string }) =>
    `subset ${quoted(p.subset)} of ${p.host} is not defined by any DestinationRule (${p.defined}): requests routed there get 503 (NC, cluster not found)`,
  ['IST0101', 'KIA1107']),
  SubsetSelectsNoPods: entry('MV0402', 'warning', (p: { subset: string; labels: string; host: string; pods: number }) =>
    `subset ${quoted(p.subset)} (${p.labels}) selects no pod of ${p.host} (its ${p.pods} pod${p.pods === 1 ? ' has' : 's have'} other labels): requests routed to it get 503 (UH, no healthy upstream)`,
  ['KIA0203']),
  DestinationRuleHostNotFound: entry('MV0403', 'warning', (p: { host: string }) =>
    `host ${p.host} matches no Service in the scenario: this DestinationRule has no effect`, ['KIA0202']),
  RuleUnreachable: entry('MV0404', 'warning', (p: { reason: string }) => `this rule is never used: ${p.reason}`, ['IST0130']),
  MatchDuplicated: entry('MV0405', 'warning', (p: { earlier: string }) =>
    `this match is never used: ${p.earlier} already matches every request it matches`, ['IST0131']),
  ConflictingVirtualServices: entry('MV0406', 'error', (p: { host: string; others: string; winner: string }) =>
    `${p.others} also route${p.others.includes(' and ') ? '' : 's'} ${p.host} for the mesh: a sidecar uses one VirtualService per host (the oldest, ${p.winner}) and ignores the rest; merge them into one`,
  ['IST0109', 'KIA1106']),
  DestinationPortRequired: entry('MV0407', 'warning', (p: { host: string; ports: string }) =>
    `service ${p.host} has several ports (${p.ports}) and this destination names none: sidecars use the port the request came in on, gateways cannot tell; set destination.port.number`,
  ['IST0112']),
  WeightsNotHundred: entry('MV0408', 'warning', (p: { sum: number; shares: string }) =>
    `weights add up to ${p.sum}, not 100: Envoy sends each destination weight/${p.sum} of the requests (${p.shares})`),
  SingleDestinationWeight: entry('MV0409', 'info', (p: { weight: number }) =>
    `the only destination has weight ${p.weight}: with one destination the weight is ignored and it gets all requests`, ['KIA1104']),
  MtlsDisabledTowardStrict: entry('MV0410', 'error', (p: { mode: string; host: string; policy: string; pods: string }) =>
    `tls mode ${p.mode} makes sidecars call ${p.host} without Istio mTLS, but ${p.policy} requires it (STRICT) on ${p.pods}: those requests fail with 503 (upstream connect error, §6.1)`,
  ['IST0113', 'KIA0207', 'KIA0208']),
  StrictWithPlaintextCallers: entry('MV0411', 'error', (p: { workload: string; callers: string }) =>
    `STRICT mTLS on ${p.workload}, but ${p.callers} without a sidecar call it in plaintext: their connections are reset (curl's 000). Callers are read from the Simulation's calls and traffic; on a real cluster other callers may exist — run meshviz simulate to see who actually reaches it`),
  OutlierNeverEjects: entry('MV0412', 'warning', (p: { cluster: string; endpoints: number; percent: number }) =>
    `outlier detection can never eject: cluster ${p.cluster} has ${p.endpoints} endpoint${p.endpoints === 1 ? '' : 's'} and maxEjectionPercent ${p.percent} allows floor(${p.endpoints} × ${p.percent}%) = 0 ejections on Envoy ≥ 1.28 (§3.3); set maxEjectionPercent: 100`),
  RetryAmplification: entry('MV0413', 'warning', (p: { path: string; layers: string; worst: number; note: string }) =>
    `retries at ${p.layers} on the call path ${p.path}: when the last hop keeps failing, it receives up to ${p.worst} requests for one request at the entry${p.note}`),
  RetryNonIdempotent: entry('MV0414', 'warning', (p: { methods: string; conditions: string; why: string }) =>
    `retryOn ${p.conditions} retries requests the upstream may already have processed, and ${p.methods} is not idempotent (${p.why}): a retried ${p.methods} can run twice`),
  TimeoutBelowRetries: entry('MV0415', 'warning', (p: { timeout: string; tries: number; perTry: string; backoff: string; needed: string; outcome: string }) =>
    `timeout ${p.timeout} ends before the retries do: ${p.tries} tries × perTryTimeout ${p.perTry} plus up to ${p.backoff} of back-off take ${p.needed}; ${p.outcome} before the route answers 504 (UT)`),
  PrincipalsWithoutMtls: entry('MV0416', 'warning', (p: { field: string; workloads: string; mode: string; effect: string }) =>
    `${p.field} come from the peer certificate, but mTLS is ${p.mode} on ${p.workloads}: plaintext requests carry no identity, so ${p.effect}`,
  ['KIA0105']),
  SelectorMatchesNoWorkload: entry('MV0417', 'warning', (p: { labels: string; namespace: string }) =>
    `the selector (${p.labels}) matches no workload in namespace ${p.namespace}: this policy applies to nothing`,
  ['IST0127', 'KIA0004']),
  CallCycle: entry('MV0418', 'error', (p: { path: string; how: string; when: string }) =>
    `app calls go round in a cycle${p.when}: ${p.path} (${p.how}); every request to it would call on without end, so it cannot be simulated`),
  ExternalHostNotRegistered: entry('MV0420', 'warning', (p: { caller: string; address: string; tcp?: boolean }) =>
    `${p.caller} calls ${p.address}, which no ServiceEntry declares, and the mesh's outboundTrafficPolicy is REGISTRY_ONLY: its sidecar ${p.tcp ? 'resets the connection (no HTTP listener on that port: the catch-all TCP proxy goes to BlackHoleCluster, flag UH)' : 'answers 502 (route block_all)'} without sending anything; declare the host in a ServiceEntry`),
  SidecarHidesCalledHost: entry('MV0421', 'warning', (p: { sidecar: string; caller: string; address: string; effect: string }) =>
    `${p.sidecar} leaves ${p.address} out of ${p.caller}'s egress hosts, and ${p.caller} calls it: to its sidecar the host is unknown, so ${p.effect}`),
  GatewayNotFound: entry('MV0422', 'error', (p: { gateway: string }) =>
    `Referenced gateway not found: ${quoted(p.gateway)}: no gateway proxy takes these rules for it (a VirtualService naming only missing gateways routes nothing)`,
  ['IST0101']),
  GatewaySelectorMatchesNoPod: entry('MV0423', 'error', (p: { selector: string }) =>
    `Referenced selector not found: ${quoted(p.selector)}: no pod has these labels, so no gateway proxy listens with this Gateway's servers`,
  ['IST0101']),
  GatewaySelectsNoProxy: entry('MV0424', 'warning', (p: { selector: string; pods: string }) =>
    `the selector (${p.selector}) matches ${p.pods}, but none is a gateway proxy (an istio-proxy running "proxy router": the annotation inject.istio.io/templates: gateway, or Istio's gateway chart): a sidecar does not listen for Gateways, so this Gateway's servers exist nowhere`),
  VirtualServiceHostNotInGateway: entry('MV0425', 'warning', (p: { hosts: string[]; virtualService: string; gateway: string }) =>
    `one or more host [${p.hosts.join(' ')}] defined in VirtualService ${p.virtualService} not found in Gateway ${p.gateway}: the gateway has no virtual host for ${p.hosts.length === 1 ? 'it' : 'them'} and answers 404 (NR)`,
  ['IST0132']),
  GatewayOnlyVirtualServiceCalledFromMesh: entry('MV0426', 'warning', (p: { gateways: string; caller: string; host: string; external?: boolean }) =>
    `gateways lists ${p.gateways} and not mesh, so these rules apply at the gateway only; ${p.caller} calls ${p.host} from inside the mesh and its sidecar takes the default route instead${p.external ? ' — for this external host, straight out of the mesh, past the egress gateway' : ''} (add mesh to gateways, or a VirtualService for the mesh)`),
  MeshRouteToGatewayWithoutRoute: entry('MV0428', 'warning', (p: { host: string; gateway: string; port: number; why: string }) =>
    `the sidecars send ${p.host} to the gateway ${p.gateway}, ${p.why}: the gateway ${p.port > 0 ? `answers 404 (NR) on port ${p.port}` : 'refuses the connection'}; bind a VirtualService for ${p.host} to a Gateway that selects it, on the port the route names`),
  // MV0427 L4RulesOnSidecarsNotSimulated (tls and tcp rules for the sidecars kept, not simulated): retired, the sidecars' TCP proxies take them.
  ServiceEntryNotExported: entry('MV0429', 'warning', (p: { entry: string; caller: string; namespace: string; address: string; effect: string }) =>
    `${p.entry} is not exported to ${p.namespace} (exportTo), and ${p.caller} there calls ${p.address}: to its sidecar the host is unknown, so ${p.effect}`),
  ServiceEntryStaticWithoutEndpoints: entry('MV0430', 'warning', (p: { host: string }) =>
    `resolution STATIC with neither endpoints nor a workloadSelector: the cluster for ${p.host} has no endpoint, so every call to it fails (503 UH); list its endpoints, or use DNS to resolve the host`),
  L4RulesWithoutPort: entry('MV0432', 'warning', (p: { section: 'tls' | 'tcp'; ports: string }) =>
    p.section === 'tls'
      ? `tls rules choose a route by SNI on ports the sidecars proxy as TLS (protocol HTTPS or TLS), and these hosts have none (${p.ports}): the sidecars never use these rules`
      : `tcp rules route ports the sidecars proxy as plain TCP (protocol TCP, Mongo, Redis, MySQL), and these hosts have none (${p.ports}): the sidecars never use these rules (an HTTP port takes http rules, an HTTPS or TLS port tls rules)`),
  HttpRulesOnTcpPorts: entry('MV0433', 'warning', (p: { ports: string }) =>
    `every port of these hosts is one the sidecars proxy as TCP (${p.ports}): a TCP proxy parses no HTTP, so the sidecars never use these http rules (their timeouts, retries, faults and mirrors included); write tcp rules (tls rules for HTTPS and TLS ports), or name the port for HTTP`),
  ServiceEntryAddressesRequired: entry('MV0431', 'warning', (p: { port: number }) =>
    `ServiceEntry addresses are required for this protocol: port ${p.port} serves TCP (or no protocol) and the entry has no addresses, so without DNS auto-allocation its sidecars cannot tell its connections from another TCP service's on that port (meshviz still routes them by host)`,
  ['IST0134']),
  // MV0440 LocalityLbNotSimulated (distribute and failoverPriority kept, not simulated): retired, both are simulated.
  LocalityFailoverWithoutOutlier: entry('MV0441', 'warning', (p: { field: string }) =>
    `locality failover (${p.field}) needs outlier detection, and this policy has none: istiod gives every endpoint the same priority, so traffic never prefers the caller's locality nor fails over; add outlierDetection`),
  LocalityLbSettingInvalid: entry('MV0442', 'error', (p: { reason: string }) =>
    `${p.reason}: Istio's validation rejects this localityLbSetting`, ['IST0106']),
  DoubleTlsOrigination: entry('MV0445', 'warning', (p: { address: string; callers: string; serviceEntry: string }) =>
    `tls mode SIMPLE originates TLS toward ${p.address}, which ${p.serviceEntry} declares HTTPS/TLS and ${p.callers} call${p.callers.includes(',') ? '' : 's'} there already speaking TLS: the sidecar wraps TLS in TLS (double TLS) and the server's handshake fails; send plain HTTP and let the proxy originate, or drop the origination for that port`),
  AnalysisStopped: entry('MV0419', 'warning', (p: { check: string; comparisons: number; rest: string }) =>
    `the check of ${p.check} stopped after ${p.comparisons.toLocaleString('en-US')} comparisons: ${p.rest}`),

  // Linkerd (flavor: linkerd): loading and compiling 0600–0649, analysis 0650–0699.
  LinkerdKindIgnored: entry('MV0600', 'info', (p: { kind: string; flavor: string }) =>
    `${p.kind} is Linkerd configuration and this scenario's flavor is ${p.flavor}: ignored (set flavor: linkerd in the Simulation)`),
  LinkerdParentUnknown: entry('MV0601', 'warning', (p: { parent: string }) =>
    `parentRef ${quoted(p.parent)} names no Service of the mesh: the route applies to nothing`),
  LinkerdBackendUnknown: entry('MV0602', 'warning', (p: { backend: string }) =>
    `backendRef ${quoted(p.backend)} names no Service port of the mesh: requests routed to it fail (503)`),
  LinkerdParentNotService: entry('MV0603', 'warning', (p: { kind: string }) =>
    `parentRef of kind ${quoted(p.kind)} is not simulated: meshviz routes mesh traffic, whose parent is a Service`),
  LinkerdAnnotationInvalid: entry('MV0604', 'warning', (p: { annotation: string; value: string; expected: string }) =>
    `annotation ${p.annotation}: ${quoted(p.value)} is not ${p.expected}; Linkerd's policy controller refuses it and the setting does not apply`),
  LinkerdAnnotationUnknown: entry('MV0605', 'warning', (p: { annotation: string; suggestion?: string }) =>
    `annotation ${p.annotation} is not one Linkerd reads${didYouMean(p.suggestion)}`),
  ServiceProfileNameNotFqdn: entry('MV0606', 'warning', (p: { name: string }) =>
    `a ServiceProfile is named after the FQDN of its Service (such as web.default.svc.cluster.local); ${quoted(p.name)} names no Service, so it applies to nothing`),
  ServiceProfileConditionUnsupported: entry('MV0607', 'warning', (p: { what: string }) =>
    `${p.what} is not simulated: this ServiceProfile route is left out`),
  LinkerdTargetUnknown: entry('MV0608', 'warning', (p: { kind: string; name: string }) =>
    `${p.kind} ${quoted(p.name)} does not exist: this policy authorizes nothing`),
  IstioKindUnderLinkerd: entry('MV0610', 'info', (p: { kind: string }) =>
    `${p.kind} is Istio configuration and this scenario's flavor is linkerd: not applied`),
  LinkerdAccessLogInvalid: entry('MV0611', 'warning', (p: { value: string }) =>
    `config.linkerd.io/access-log is ${quoted(p.value)}, neither apache nor json: linkerd-proxy refuses it (Invalid LINKERD2_PROXY_ACCESS_LOG) and writes no access log`),
  ServiceProfileDisablesAnnotations: entry('MV0650', 'warning', (p: { profile: string; ignored: string[] }) =>
    `${p.profile} exists, so Linkerd uses it and ignores ${p.ignored.join(', ')}: their retries, timeouts and failure accrual do not apply`),

  // Istio ambient mode: 0700–0749 its compiler, 0750 on its analyzers (§11).
  AmbientHttpAttributesAtZtunnel: entry('MV0700', 'warning', (p: { found: string; outcome: string }) =>
    `ztunnel does not understand HTTP attributes (found: ${p.found}); only a waypoint can enforce them (attach the policy to it with targetRefs). ${p.outcome}`),
  AmbientActionAtZtunnel: entry('MV0701', 'warning', (p: { action: string }) =>
    `ztunnel does not support the ${p.action} action: the policy is not applied to this workload's traffic`, ['IST0171']),
  AmbientWaypointNotFound: entry('MV0702', 'error', (p: { label: string; waypoint: string; what: string }) =>
    `${p.label} names waypoint ${quoted(p.waypoint)}, and no Gateway of class istio-waypoint has that name: ${p.what} is not bound to a waypoint, so its L7 policy is not applied`, ['IST0171']),
  AmbientTargetNotFound: entry('MV0703', 'warning', (p: { target: string }) =>
    `targetRefs names ${p.target}, which does not exist: the policy applies to no traffic`),
  AmbientWaypointForUnknown: entry('MV0704', 'warning', (p: { value: string }) =>
    `istio.io/waypoint-for is ${quoted(p.value)}, which is none of service, workload, all, none: istiod keeps it, and it matches neither Service nor workload traffic, so nothing is sent through this waypoint`),
  AmbientWaypointTrafficType: entry('MV0705', 'warning', (p: { what: string; waypoint: string; traffic: string; waypointFor: string }) =>
    `${p.what} is bound to waypoint ${quoted(p.waypoint)}, whose istio.io/waypoint-for is ${p.waypointFor}: it does not take ${p.traffic} traffic (istiod: attempting to bind to traffic type "${p.traffic}" which the waypoint does not support), so that traffic goes straight to the pods and the waypoint's L7 policy and routes are not applied`),
  AmbientWorkloadWaypointBypassed: entry('MV0706', 'info', (p: { workload: string; waypoint: string }) =>
    `${p.workload}'s pods are bound to waypoint ${quoted(p.waypoint)} as a workload waypoint: ztunnel sends through it only traffic addressed to a pod's own IP, never a call addressed to a Service (which takes the Service's waypoint, or none); every call in this mesh addresses a Service, so none goes through it`),
  AmbientIngressWaypointGatewayRetries: entry('MV0707', 'info', (p: { waypoint: string }) =>
    `istio.io/ingress-use-waypoint: ingress gateways hand their requests for this traffic to waypoint ${quoted(p.waypoint)}, whose routes, retries and policies apply to them; meshviz does not simulate the gateway's own retries, route timeout or outlier detection around that hop (the gateway's route match, faults and weighted pick do apply)`),
  AmbientTrafficDistributionUnknown: entry('MV0708', 'warning', (p: { value: string }) =>
    `networking.istio.io/traffic-distribution ${quoted(p.value)} is not one istiod knows (PreferClose, PreferSameZone, PreferSameNode): it logs a warning and the ztunnels prefer no endpoint ("defaulting to any")`),
  AmbientTrafficDistributionAtWaypoint: entry('MV0709', 'info', (p: { waypoint: string }) =>
    `this Service's traffic distribution is simulated where ztunnels pick its endpoints; its traffic goes through waypoint ${quoted(p.waypoint)}, whose Envoy applies it as locality load balancing, which meshviz does not simulate for it: the waypoint picks among every endpoint`),
  AmbientRoutingWithoutWaypoint: entry('MV0750', 'warning', (p: { host: string; features: string }) =>
    `${p.host} is not bound to a waypoint (no istio.io/use-waypoint on the Service or its namespace): ambient pods reach it through ztunnel alone, which applies no L7 traffic management, so this resource's ${p.features} have no effect on their requests`),
  AmbientPolicyTargetWithoutWaypoint: entry('MV0751', 'warning', (p: { target: string }) =>
    `targetRefs attaches this policy to ${p.target}, which no waypoint serves: only a waypoint enforces targetRefs policies, so it has no effect`),
  AmbientZtunnelPolicyBypassedByWaypoint: entry('MV0752', 'info', (p: { services: string; waypoint: string }) =>
    `this policy is enforced by ztunnel on the selected pods, and traffic to ${p.services} arrives there from waypoint ${p.waypoint}, whose identity is what ztunnel sees: rules on the callers' principals or namespaces do not match that traffic (allow the waypoint's identity, or attach the policy to the waypoint)`),
  AmbientWaypointBypassedBySidecars: entry('MV0753', 'warning', (p: { callers: string; services: string; waypoint: string }) =>
    `this policy is enforced by waypoint ${p.waypoint}, and ${p.callers} call${p.callers.includes(' and ') ? '' : 's'} ${p.services} without passing it: a sidecar routes a call itself and sends it straight to the pods, and so does an ingress gateway unless the Service (or its namespace) has istio.io/ingress-use-waypoint: "true", so this policy does not apply to their calls (also select the pods with a policy their ztunnel enforces at L4, or move the callers to ambient)`),

  // Changes to a running mesh: 0500–0599.
  LiveWorkloadsChanged: entry('MV0500', 'error', (p: { what: string }) =>
    `a running mesh takes changes to Istio resources only, and this changes its workloads (${p.what}): open the files as a new scenario instead`),
  LiveNoSuchRoute: entry('MV0501', 'error', (p: { route: string }) => `there is no weighted route ${quoted(p.route)} in this mesh`),
  LiveNoSuchDocument: entry('MV0502', 'error', (p: { resource: string }) => `${p.resource} is not in the files`),
} as const;

export type DiagnosticName = keyof typeof catalog;

/** The parameters the message template of `name` needs (none for some entries). */
export type DiagnosticParams<N extends DiagnosticName> = Parameters<(typeof catalog)[N]['message']>;

/** Where a diagnostic points; every part is optional. */
export interface DiagnosticLocation {
  resource?: string;
  path?: string;
  source?: SourcePos;
  /** Overrides the catalog's default severity. */
  severity?: Severity;
}

/** Builds a Diagnostic from a catalog entry, its parameters and a location. */
export function diagnostic<N extends DiagnosticName>(
  name: N,
  at: DiagnosticLocation,
  ...params: DiagnosticParams<N>
): Diagnostic {
  const { code, severity, message } = catalog[name] as Entry<DiagnosticParams<N>>;
  const result: Diagnostic = { code, severity: at.severity ?? severity, message: message(...params) };
  if (at.resource !== undefined) result.resource = at.resource;
  if (at.path !== undefined && at.path !== '') result.path = at.path;
  if (at.source !== undefined) result.source = at.source;
  return result;
}
