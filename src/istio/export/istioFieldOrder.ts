/**
 * Field order of the Istio API messages meshviz writes, as declared in
 * Istio's protos (`networking/v1alpha3/virtual_service.proto`,
 * `destination_rule.proto`, `security/v1beta1/*.proto`), so exported specs
 * read like the reference docs. Each type lists its fields and the type of
 * the fields that hold messages; `{ map: T }` is a map whose values are T.
 * Fields not listed come after the known ones, sorted; map keys are sorted.
 */
type Child = string | { map: string };

interface MessageOrder {
  fields: readonly string[];
  children?: Readonly<Record<string, Child>>;
}

const STRING_MATCH: MessageOrder = { fields: ['exact', 'prefix', 'regex'] };
const PORT_TRAFFIC = ['port', 'loadBalancer', 'connectionPool', 'outlierDetection', 'tls'];
const POLICY_CHILDREN = {
  loadBalancer: 'LoadBalancerSettings',
  connectionPool: 'ConnectionPoolSettings',
  outlierDetection: 'OutlierDetection',
  tls: 'ClientTLSSettings',
  port: 'PortSelector',
};

export const ISTIO_TYPES: Readonly<Record<string, MessageOrder>> = {
  VirtualService: { fields: ['hosts', 'gateways', 'http', 'tls', 'tcp', 'exportTo'], children: { http: 'HTTPRoute' } },
  HTTPRoute: {
    fields: ['name', 'match', 'route', 'redirect', 'directResponse', 'delegate', 'rewrite', 'timeout', 'retries', 'fault',
      'mirror', 'mirrors', 'mirrorPercentage', 'corsPolicy', 'headers'],
    children: {
      match: 'HTTPMatchRequest', route: 'HTTPRouteDestination', retries: 'HTTPRetry', fault: 'HTTPFaultInjection',
      mirror: 'Destination', mirrors: 'HTTPMirrorPolicy', mirrorPercentage: 'Percent', redirect: 'HTTPRedirect',
      directResponse: 'HTTPDirectResponse',
    },
  },
  HTTPMatchRequest: {
    fields: ['name', 'uri', 'scheme', 'method', 'authority', 'headers', 'port', 'sourceLabels', 'gateways', 'queryParams',
      'ignoreUriCase', 'withoutHeaders', 'sourceNamespace', 'statPrefix'],
    children: {
      uri: 'StringMatch', scheme: 'StringMatch', method: 'StringMatch', authority: 'StringMatch',
      headers: { map: 'StringMatch' }, queryParams: { map: 'StringMatch' }, withoutHeaders: { map: 'StringMatch' },
    },
  },
  HTTPRouteDestination: { fields: ['destination', 'weight', 'headers'], children: { destination: 'Destination' } },
  Destination: { fields: ['host', 'subset', 'port'], children: { port: 'PortSelector' } },
  PortSelector: { fields: ['number'] },
  HTTPRetry: { fields: ['attempts', 'perTryTimeout', 'retryOn', 'retryRemoteLocalities', 'retryIgnorePreviousHosts', 'backoff'] },
  HTTPFaultInjection: { fields: ['delay', 'abort'], children: { delay: 'Delay', abort: 'Abort' } },
  Delay: { fields: ['fixedDelay', 'exponentialDelay', 'percentage', 'percent'], children: { percentage: 'Percent' } },
  Abort: { fields: ['httpStatus', 'grpcStatus', 'http2Error', 'percentage'], children: { percentage: 'Percent' } },
  HTTPMirrorPolicy: { fields: ['destination', 'percentage'], children: { destination: 'Destination', percentage: 'Percent' } },
  HTTPRedirect: { fields: ['uri', 'authority', 'port', 'derivePort', 'scheme', 'redirectCode'] },
  HTTPDirectResponse: { fields: ['status', 'body'] },
  Percent: { fields: ['value'] },
  StringMatch: STRING_MATCH,

  DestinationRule: {
    fields: ['host', 'trafficPolicy', 'subsets', 'exportTo', 'workloadSelector'],
    children: { trafficPolicy: 'TrafficPolicy', subsets: 'Subset' },
  },
  TrafficPolicy: {
    fields: [...PORT_TRAFFIC.slice(1), 'portLevelSettings', 'tunnel', 'proxyProtocol', 'retryBudget'],
    children: { ...POLICY_CHILDREN, portLevelSettings: 'PortTrafficPolicy' },
  },
  PortTrafficPolicy: { fields: PORT_TRAFFIC, children: POLICY_CHILDREN },
  Subset: { fields: ['name', 'labels', 'trafficPolicy'], children: { trafficPolicy: 'TrafficPolicy' } },
  LoadBalancerSettings: { fields: ['simple', 'consistentHash', 'localityLbSetting', 'warmupDurationSecs', 'warmup'] },
  ConnectionPoolSettings: { fields: ['tcp', 'http'], children: { tcp: 'TcpSettings', http: 'HttpSettings' } },
  TcpSettings: { fields: ['maxConnections', 'connectTimeout', 'tcpKeepalive', 'maxConnectionDuration', 'idleTimeout'] },
  HttpSettings: {
    fields: ['http1MaxPendingRequests', 'http2MaxRequests', 'maxRequestsPerConnection', 'maxRetries', 'idleTimeout',
      'h2UpgradePolicy', 'useClientProtocol', 'maxConcurrentStreams'],
  },
  OutlierDetection: {
    fields: ['splitExternalLocalOriginErrors', 'consecutiveLocalOriginFailures', 'consecutiveGatewayErrors',
      'consecutive5xxErrors', 'consecutiveErrors', 'interval', 'baseEjectionTime', 'maxEjectionPercent', 'minHealthPercent'],
  },
  ClientTLSSettings: {
    fields: ['mode', 'clientCertificate', 'privateKey', 'caCertificates', 'credentialName', 'subjectAltNames', 'sni',
      'insecureSkipVerify', 'caCrl'],
  },

  PeerAuthentication: { fields: ['selector', 'mtls', 'portLevelMtls'], children: { selector: 'WorkloadSelector' } },
  AuthorizationPolicy: {
    fields: ['selector', 'targetRef', 'targetRefs', 'action', 'provider', 'rules'],
    children: { selector: 'WorkloadSelector', rules: 'Rule' },
  },
  WorkloadSelector: { fields: ['matchLabels'] },
  Rule: { fields: ['from', 'to', 'when'], children: { from: 'RuleFrom', to: 'RuleTo', when: 'Condition' } },
  RuleFrom: { fields: ['source'], children: { source: 'Source' } },
  RuleTo: { fields: ['operation'], children: { operation: 'Operation' } },
  Source: {
    fields: ['principals', 'notPrincipals', 'requestPrincipals', 'notRequestPrincipals', 'namespaces', 'notNamespaces',
      'serviceAccounts', 'notServiceAccounts', 'ipBlocks', 'notIpBlocks', 'remoteIpBlocks', 'notRemoteIpBlocks'],
  },
  Operation: { fields: ['hosts', 'notHosts', 'ports', 'notPorts', 'methods', 'notMethods', 'paths', 'notPaths'] },
  Condition: { fields: ['key', 'values', 'notValues'] },
};

/** Sort rank of `key` in a message of `type`: its proto position, else after every known field. */
export function fieldRank(type: string | undefined, key: string): number {
  const index = type ? (ISTIO_TYPES[type]?.fields.indexOf(key) ?? -1) : -1;
  return index < 0 ? Number.MAX_SAFE_INTEGER : index;
}

/** What a field of a message holds: a message type, a map of them, or nothing known. */
export function childOf(type: string | undefined, key: string): Child | undefined {
  return type ? ISTIO_TYPES[type]?.children?.[key] : undefined;
}

/** Keys in canonical order: known fields in proto order, then the rest sorted. */
export function orderedKeys(type: string | undefined, keys: readonly string[]): string[] {
  return [...keys].sort((a, b) => fieldRank(type, a) - fieldRank(type, b) || (a < b ? -1 : a > b ? 1 : 0));
}

/** A plain value with every mapping's keys in canonical order (arrays keep theirs). */
export function orderValue(value: unknown, type: string | undefined): unknown {
  if (Array.isArray(value)) return value.map((item) => orderValue(item, type));
  if (typeof value !== 'object' || value === null) return value;
  const object = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of orderedKeys(type, Object.keys(object))) {
    const child = childOf(type, key);
    out[key] = typeof child === 'object' ? orderMap(object[key], child.map) : orderValue(object[key], child);
  }
  return out;
}

function orderMap(value: unknown, type: string): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const object = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(object).sort()) out[key] = orderValue(object[key], type);
  return out;
}
