import fc from 'fast-check';
import { stringify } from 'yaml';

/**
 * Generated scenarios as manifests people write: Namespaces (with and
 * without injection labels), Deployments, StatefulSets and Pods, Services,
 * VirtualServices, DestinationRules, PeerAuthentications,
 * AuthorizationPolicies in every supported apiVersion, and a Simulation.
 * Names come from small pools so that references often resolve.
 */
const APPS = ['web', 'api', 'users', 'db'];
const NAMESPACES = ['default', 'shop'];
const durations = fc.constantFrom('250ms', '1s', '1.5s', '2s', '90s', '100us');

const namespaceDoc = fc.record({
  name: fc.constantFrom(...NAMESPACES, 'legacy'),
  labels: fc.constantFrom({}, { 'istio-injection': 'enabled' }, { 'istio-injection': 'disabled' }, { 'istio.io/rev': 'canary', team: 'a' }),
}).map(({ name, labels }) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } }));

const workloadDoc = fc.record({
  app: fc.constantFrom(...APPS),
  version: fc.constantFrom('v1', 'v2'),
  namespace: fc.constantFrom(...NAMESPACES),
  replicas: fc.nat({ max: 3 }),
  kind: fc.constantFrom('Deployment', 'StatefulSet', 'Pod'),
  inject: fc.constantFrom(undefined, 'true', 'false'),
  account: fc.constantFrom(undefined, 'svc-a', 'svc-b'),
}).map((w) => {
  const name = `${w.app}-${w.version}`;
  const labels = { app: w.app, version: w.version };
  const annotations = w.inject ? { 'sidecar.istio.io/inject': w.inject } : undefined;
  const podSpec = { ...(w.account ? { serviceAccountName: w.account } : {}), containers: [{ name: 'app', image: 'x', ports: [{ name: 'http', containerPort: 8080 }] }] };
  if (w.kind === 'Pod') return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: w.namespace, labels, annotations }, spec: podSpec };
  return {
    apiVersion: 'apps/v1', kind: w.kind, metadata: { name, namespace: w.namespace },
    spec: { replicas: w.replicas, template: { metadata: { labels, annotations }, spec: podSpec } },
  };
});

const serviceDoc = fc.record({
  app: fc.constantFrom(...APPS),
  namespace: fc.constant('shop'),
  ports: fc.constantFrom([{ name: 'http', port: 8080 }], [{ name: 'http', port: 80, targetPort: 'http' }, { name: 'grpc', port: 9090, protocol: 'TCP', appProtocol: 'grpc' }]),
}).map((s) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: s.app, namespace: s.namespace }, spec: { selector: { app: s.app }, ports: s.ports } }));

const match = fc.record({
  uri: fc.constantFrom(undefined, { prefix: '/api' }, { exact: '/' }, { regex: '/u/[0-9]+' }),
  headers: fc.constantFrom(undefined, { 'end-user': { exact: 'jason' } }),
  method: fc.constantFrom(undefined, { exact: 'POST' }),
}, { requiredKeys: [] });

const httpRoute = fc.record({
  name: fc.constantFrom(undefined, 'canary', 'jason'),
  match: fc.option(fc.array(match, { minLength: 1, maxLength: 2 }), { nil: undefined }),
  route: fc.array(fc.record({ destination: fc.record({ host: fc.constantFrom(...APPS), subset: fc.constantFrom(undefined, 'v1', 'v2') }, { requiredKeys: ['host'] }), weight: fc.constantFrom(undefined, 10, 50, 90) }, { requiredKeys: ['destination'] }), { minLength: 1, maxLength: 2 }),
  timeout: fc.option(durations, { nil: undefined }),
  retries: fc.option(fc.record({ attempts: fc.integer({ min: 0, max: 3 }), perTryTimeout: durations, retryOn: fc.constantFrom('5xx', 'connect-failure,refused-stream') }), { nil: undefined }),
  fault: fc.option(fc.record({ delay: fc.record({ fixedDelay: durations, percentage: fc.record({ value: fc.constantFrom(10, 100) }) }) }), { nil: undefined }),
}, { requiredKeys: ['route'] });

const istioVersion = fc.constantFrom('v1', 'v1beta1', 'v1alpha3');
const virtualServiceDoc = fc.record({ app: fc.constantFrom(...APPS), namespace: fc.constantFrom(...NAMESPACES), version: istioVersion, http: fc.array(httpRoute, { minLength: 1, maxLength: 3 }) })
  .map((v) => ({ apiVersion: `networking.istio.io/${v.version}`, kind: 'VirtualService', metadata: { name: v.app, namespace: v.namespace }, spec: { hosts: [v.app], http: v.http } }));

const trafficPolicy = fc.record({
  loadBalancer: fc.constantFrom({ simple: 'ROUND_ROBIN' }, { consistentHash: { httpHeaderName: 'x-user' } }),
  outlierDetection: fc.record({ consecutive5xxErrors: fc.integer({ min: 1, max: 5 }), interval: durations, baseEjectionTime: durations, maxEjectionPercent: fc.constantFrom(10, 100) }),
  connectionPool: fc.record({ tcp: fc.record({ maxConnections: fc.integer({ min: 1, max: 100 }) }), http: fc.record({ http1MaxPendingRequests: fc.integer({ min: 1, max: 10 }) }) }),
  tls: fc.constantFrom({ mode: 'ISTIO_MUTUAL' }, { mode: 'DISABLE' }),
}, { requiredKeys: [] });
const destinationRuleDoc = fc.record({ app: fc.constantFrom(...APPS), namespace: fc.constantFrom(...NAMESPACES), version: istioVersion, trafficPolicy: fc.option(trafficPolicy, { nil: undefined }) })
  .map((d) => ({
    apiVersion: `networking.istio.io/${d.version}`, kind: 'DestinationRule', metadata: { name: d.app, namespace: d.namespace },
    spec: { host: d.app, trafficPolicy: d.trafficPolicy, subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }] },
  }));

const securityVersion = fc.constantFrom('v1', 'v1beta1');
const peerAuthenticationDoc = fc.record({ namespace: fc.constantFrom(...NAMESPACES), version: securityVersion, mode: fc.constantFrom('STRICT', 'PERMISSIVE', 'DISABLE'), app: fc.constantFrom(undefined, ...APPS) })
  .map((p) => ({
    apiVersion: `security.istio.io/${p.version}`, kind: 'PeerAuthentication', metadata: { name: p.app ?? 'default', namespace: p.namespace },
    spec: { ...(p.app ? { selector: { matchLabels: { app: p.app } } } : {}), mtls: { mode: p.mode } },
  }));
const authorizationPolicyDoc = fc.record({ namespace: fc.constantFrom(...NAMESPACES), version: securityVersion, action: fc.constantFrom('ALLOW', 'DENY'), app: fc.constantFrom(...APPS) })
  .map((a) => ({
    apiVersion: `security.istio.io/${a.version}`, kind: 'AuthorizationPolicy', metadata: { name: `${a.app}-policy`, namespace: a.namespace },
    spec: { selector: { matchLabels: { app: a.app } }, action: a.action, rules: [{ from: [{ source: { principals: [`cluster.local/ns/${a.namespace}/sa/x`] } }], to: [{ operation: { methods: ['GET'], paths: ['/api/*'] } }] }] },
  }));

const simulationDoc = fc.record({
  seed: fc.nat({ max: 1000 }),
  latency: fc.constantFrom({ fixed: '5ms' }, { p50: '10ms', p99: '40ms' }),
  calls: fc.array(fc.record({ service: fc.constantFrom('api:8080', 'users', 'db.default'), path: fc.constantFrom('/', '/u/1'), timeout: fc.option(durations, { nil: undefined }), retries: fc.nat({ max: 2 }), method: fc.constantFrom('GET', 'POST') }), { maxLength: 2 }),
  traffic: fc.array(fc.constantFrom(
    { name: 'browse', from: 'external', to: 'web:8080', rps: 5, duration: '10s' },
    { name: 'load', from: 'web-v1', to: 'api:8080', connections: 2, requests: 10, start: '1s' },
  ), { maxLength: 2 }),
  timeline: fc.array(fc.constantFrom(
    { at: '2s', fail: { workload: 'users-v1', mode: '503' } },
    { at: '3s', fail: { workload: 'users-v1', mode: 'slow', delay: '2s' } },
    { at: '5s', recover: { workload: 'users-v1' } },
  ), { maxLength: 3 }),
}).map((s) => ({
  apiVersion: 'meshviz.dev/v1alpha1', kind: 'Simulation', metadata: { name: 'generated' },
  spec: { seed: s.seed, workloads: { 'api-v1': { latency: s.latency, errorRate: 0.01, calls: s.calls } }, traffic: [...new Map(s.traffic.map((t) => [t.name, t])).values()], timeline: s.timeline },
}));

/** Workloads and Services the Simulation's references rely on. */
const BASE = [
  ...['web', 'api', 'users'].map((app) => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `${app}-v1` },
    spec: { template: { metadata: { labels: { app, version: 'v1' } } } },
  })),
  ...APPS.map((app) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: app }, spec: { selector: { app }, ports: [{ name: 'http', port: 8080 }] } })),
];

/** A generated scenario as one multi-document YAML text. */
export const scenarioYaml = fc.tuple(
  fc.constant(BASE),
  fc.array(namespaceDoc, { maxLength: 2 }),
  fc.array(workloadDoc, { minLength: 1, maxLength: 5 }),
  fc.array(serviceDoc, { maxLength: 4 }),
  fc.array(virtualServiceDoc, { maxLength: 3 }),
  fc.array(destinationRuleDoc, { maxLength: 3 }),
  fc.array(peerAuthenticationDoc, { maxLength: 2 }),
  fc.array(authorizationPolicyDoc, { maxLength: 2 }),
  fc.option(simulationDoc, { nil: undefined }),
).map((parts) => parts.flat().filter((doc) => doc !== undefined).map((doc) => stringify(doc)).join('---\n'));
