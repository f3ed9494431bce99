import { describe, expect, it } from 'vitest';
import { loadScenario } from './loadScenario.ts';

const load = (...texts: string[]) => loadScenario(texts.map((text, i) => ({ name: `f${i}.yaml`, text })));
const codes = (text: string) => load(text).diagnostics.map((d) => `${d.code} ${d.resource ?? '-'} ${d.path ?? '-'}`);

function deployment(name: string, options: { ns?: string; replicas?: number; labels?: string; extra?: string } = {}): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
${options.ns ? `  namespace: ${options.ns}\n` : ''}spec:
${options.replicas === undefined ? '' : `  replicas: ${options.replicas}\n`}  template:
    metadata:
      labels: ${options.labels ?? `{app: ${name}}`}
${options.extra ?? ''}    spec:
      containers:
        - name: app
          ports: [{name: http, containerPort: 8080}, {name: admin, containerPort: 9901}]
---
`;
}

const namespace = (name: string, labels: string) =>
  `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n  labels: ${labels}\n---\n`;

describe('workloads and pods', () => {
  it('generates stable Kubernetes-style pod names, labels and IPs', () => {
    const first = load(deployment('users-v1', { replicas: 2, labels: '{app: users, version: v1}' }), deployment('db'));
    const again = load(deployment('users-v1', { replicas: 2, labels: '{version: v1, app: users}' }), deployment('db'));
    expect(first.diagnostics).toEqual([]);
    expect(again.scenario.pods).toEqual(first.scenario.pods);
    const [a, b, c] = first.scenario.pods;
    expect(a?.name).toMatch(/^users-v1-[b-z2-9]{10}-[b-z2-9]{5}$/);
    expect(b?.name.slice(0, -5)).toBe(a?.name.slice(0, -5));
    expect(b?.name).not.toBe(a?.name);
    const hash = a?.name.split('-')[2];
    expect(a?.labels).toEqual({ app: 'users', version: 'v1', 'pod-template-hash': hash });
    expect(first.scenario.pods.map((p) => `${p.workload} ${p.ip}`)).toEqual([
      'users-v1 10.244.0.2',
      'users-v1 10.244.0.3',
      'db 10.244.0.4',
    ]);
    expect(c).toMatchObject({ namespace: 'default', serviceAccount: 'default', sidecar: true });
  });

  it('changes the template hash when the template labels change', () => {
    const v1 = load(deployment('api', { labels: '{app: api, version: v1}' })).scenario.pods[0]?.name;
    const v2 = load(deployment('api', { labels: '{app: api, version: v2}' })).scenario.pods[0]?.name;
    expect(v1).not.toBe(v2);
  });

  it('defaults namespace, replicas and service account', () => {
    const { scenario } = load(deployment('web'), deployment('api', { ns: 'shop', replicas: 0 }));
    expect(scenario.workloads).toMatchObject([
      { name: 'web', namespace: 'default', replicas: 1, serviceAccount: 'default' },
      { name: 'api', namespace: 'shop', replicas: 0 },
    ]);
    expect(scenario.pods.map((p) => p.workload)).toEqual(['web']);
    expect(scenario.namespaces.map((ns) => ns.name)).toEqual(['default', 'shop']);
  });

  it('reads StatefulSets and bare Pods', () => {
    const { scenario, diagnostics } = load(`apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  replicas: 2
  template:
    metadata: {labels: {app: db}}
    spec: {serviceAccountName: db}
---
apiVersion: v1
kind: Pod
metadata: {name: debug, labels: {app: debug}}
spec: {serviceAccountName: tools}
`);
    expect(diagnostics).toEqual([]);
    expect(scenario.pods.map((p) => `${p.name} ${p.workload} ${p.serviceAccount}`)).toEqual([
      'db-0 db db',
      'db-1 db db',
      'debug debug tools',
    ]);
    expect(scenario.pods[1]?.labels).toEqual({ app: 'db', 'statefulset.kubernetes.io/pod-name': 'db-1' });
  });

  it('reports a bare Pod\'s labels once', () => {
    const result = load('apiVersion: v1\nkind: Pod\nmetadata: {name: p, labels: {tier: 1}}\n');
    expect(result.diagnostics.map((d) => d.code)).toEqual(['MV0029']);
    expect(result.scenario.pods[0]?.labels).toEqual({ tier: '1' });
  });

  it('caps replicas at the limit', () => {
    const result = load(deployment('big', { replicas: 5000 }));
    expect(result.diagnostics.map((d) => `${d.code} ${d.path}`)).toEqual(['MV0026 spec.replicas']);
    expect(result.scenario.pods).toHaveLength(1000);
  });
});

describe('sidecar injection', () => {
  const sidecars = (...texts: string[]) =>
    Object.fromEntries(load(...texts).scenario.workloads.map((w) => [w.name, w.sidecar]));
  const optOut = '      annotations: {sidecar.istio.io/inject: "false"}\n';
  const optIn = '      annotations: {sidecar.istio.io/inject: "true"}\n';

  it('assumes a namespace without a Namespace document is meshed', () => {
    expect(sidecars(deployment('a'), deployment('b', { extra: optOut }))).toEqual({ a: true, b: false });
  });

  it('follows the namespace label when there is a Namespace document', () => {
    expect(
      sidecars(
        namespace('on', '{istio-injection: enabled}'),
        namespace('rev', '{istio.io/rev: canary}'),
        namespace('off', '{team: x}'),
        deployment('a', { ns: 'on' }),
        deployment('b', { ns: 'rev' }),
        deployment('c', { ns: 'off' }),
        deployment('d', { ns: 'off', extra: optIn }),
        deployment('e', { ns: 'on', extra: optOut }),
      ),
    ).toEqual({ a: true, b: true, c: false, d: true, e: false });
  });

  it('lets a disabled namespace win over a pod that asks for injection, as Istio does', () => {
    expect(sidecars(namespace('x', '{istio-injection: disabled}'), deployment('a', { ns: 'x', extra: optIn }))).toEqual({
      a: false,
    });
  });

  it('prefers the pod label over the annotation and reads a Namespace from any file', () => {
    const labelled = deployment('a', { ns: 'x', labels: '{app: a, sidecar.istio.io/inject: "true"}', extra: optOut });
    expect(sidecars(labelled, namespace('x', '{}'))).toEqual({ a: true });
  });
});

describe('services', () => {
  const service = (ports: string) =>
    `apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: ${ports}\n`;

  it('resolves target ports: numbers, names of container ports, and the default', () => {
    const { scenario, diagnostics } = load(
      deployment('web'),
      service('[{port: 80, targetPort: http}, {port: 9000, targetPort: admin, protocol: TCP}, {name: grpc, port: 7070, appProtocol: grpc}, {port: 81, targetPort: 8081}]'),
    );
    expect(diagnostics).toEqual([]);
    expect(scenario.services[0]?.ports).toEqual([
      { port: 80, targetPort: 8080, protocol: 'TCP' },
      { port: 9000, targetPort: 9901, protocol: 'TCP' },
      { name: 'grpc', port: 7070, targetPort: 7070, protocol: 'TCP', appProtocol: 'grpc' },
      { port: 81, targetPort: 8081, protocol: 'TCP' },
    ]);
  });

  it('warns about a named target port no selected pod has, and uses the port', () => {
    const { scenario, diagnostics } = load(deployment('web'), service('[{port: 80, targetPort: metrics}]'));
    expect(diagnostics.map((d) => `${d.code} ${d.severity} ${d.resource} ${d.path}`)).toEqual([
      'MV0027 warning Service/default/web spec.ports[0].targetPort',
    ]);
    expect(scenario.services[0]?.ports[0]?.targetPort).toBe(80);
  });

  it('refuses ports out of range and unknown protocols', () => {
    expect(codes(service('[{port: 70000}, {port: 80, protocol: HTTP}]'))).toEqual([
      'MV0042 Service/default/web spec.ports[0].port',
      'MV0042 Service/default/web spec.ports[1].protocol',
    ]);
  });
});

describe('Istio resources', () => {
  const istio = (apiVersion: string, kind: string, spec: string) =>
    `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: users, namespace: shop}\nspec: ${spec}\n`;

  it.each(['v1', 'v1beta1', 'v1alpha3'])('accepts VirtualService and DestinationRule in networking.istio.io/%s', (v) => {
    const { scenario, diagnostics } = load(
      istio(`networking.istio.io/${v}`, 'VirtualService', '{hosts: [users], http: [{route: [{destination: {host: users}}]}]}'),
      istio(`networking.istio.io/${v}`, 'DestinationRule', '{host: users, subsets: [{name: v1, labels: {version: v1}}]}'),
    );
    expect(diagnostics).toEqual([]);
    expect(scenario.virtualServices).toMatchObject([
      { apiVersion: `networking.istio.io/${v}`, kind: 'VirtualService', order: 0, metadata: { name: 'users', namespace: 'shop' } },
    ]);
    expect(scenario.destinationRules[0]).toMatchObject({ order: 1, spec: { host: 'users' } });
  });

  it('accepts PeerAuthentication and AuthorizationPolicy in security.istio.io v1 and v1beta1', () => {
    const { scenario, diagnostics } = load(
      istio('security.istio.io/v1', 'PeerAuthentication', '{mtls: {mode: STRICT}}'),
      istio('security.istio.io/v1beta1', 'AuthorizationPolicy', '{action: DENY, rules: [{from: [{source: {namespaces: [x]}}]}]}'),
    );
    expect(diagnostics).toEqual([]);
    expect(scenario.peerAuthentications[0]?.spec).toEqual({ mtls: { mode: 'STRICT' } });
    expect(scenario.authorizationPolicies[0]?.spec.action).toBe('DENY');
  });

  it('leaves out a resource whose spec has the wrong types, and warns about unknown fields', () => {
    const result = load(
      istio('networking.istio.io/v1', 'DestinationRule', '{host: users, subests: [], trafficPolicy: {outlierDetection: {interval: 5, maxEjectionPercent: "100"}}}'),
      istio('networking.istio.io/v1', 'VirtualService', '{hosts: [users], http: [{timeout: soon}]}'),
    );
    expect(result.diagnostics.map((d) => `${d.code} ${d.path} ${d.message}`)).toEqual([
      'MV0041 spec.subests unknown field "subests" (did you mean "subsets"?)',
      'MV0044 spec.trafficPolicy.outlierDetection.interval a duration needs a unit: write 5ms or 5s, not 5',
      'MV0040 spec.trafficPolicy.outlierDetection.maxEjectionPercent expected an integer, got a string ("100")',
      'MV0043 spec.http[0].timeout "soon" is not a duration (write e.g. 10ms, 1.5s, 1m30s)',
    ]);
    expect(result.scenario.destinationRules).toEqual([]);
    expect(result.scenario.virtualServices).toEqual([]);
  });

  it('requires the host of a DestinationRule and the hosts of a VirtualService', () => {
    expect(codes(istio('networking.istio.io/v1', 'DestinationRule', '{subsets: []}'))).toEqual([
      'MV0020 DestinationRule/shop/users spec.host',
    ]);
    expect(codes('apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: x}\n')).toEqual([
      'MV0020 VirtualService/default/x spec',
    ]);
  });

  it('keeps other Istio kinds unsimulated, with an info', () => {
    const result = load(istio('networking.istio.io/v1', 'WorkloadEntry', '{address: 10.0.0.9}'));
    expect(result.diagnostics.map((d) => `${d.code} ${d.severity}`)).toEqual(['MV0023 info']);
    expect(result.scenario.otherResources).toMatchObject([{ kind: 'WorkloadEntry', spec: { address: '10.0.0.9' } }]);
  });
});

describe('kinds and metadata', () => {
  it('reports unknown kinds and unknown apiVersions, and skips them', () => {
    expect(codes('apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n')).toEqual(['MV0021 Widget/w kind']);
    const result = load('apiVersion: networking.istio.io/v2\nkind: VirtualService\nmetadata: {name: r}\nspec: {hosts: [r]}\n');
    expect(result.diagnostics.map((d) => `${d.code} ${d.severity} ${d.path} ${d.message}`)).toEqual([
      'MV0022 warning apiVersion VirtualService is not known in apiVersion networking.istio.io/v2 (supported: networking.istio.io/v1, networking.istio.io/v1beta1, networking.istio.io/v1alpha3): skipped',
    ]);
    expect(result.scenario.virtualServices).toEqual([]);
    expect(codes('apiVersion: v1\nkind: Deployment\nmetadata: {name: d}\n')).toEqual(['MV0022 Deployment/d apiVersion']);
  });

  it('notes Kubernetes kinds that do not affect the mesh', () => {
    expect(load('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n').diagnostics).toMatchObject([
      { code: 'MV0024', severity: 'info', message: 'ConfigMap does not affect the mesh: ignored' },
    ]);
  });

  it('requires kind, apiVersion and metadata.name', () => {
    expect(codes('metadata: {name: x}\n')).toEqual(['MV0020 - apiVersion', 'MV0020 - kind']);
    expect(codes('apiVersion: v1\nkind: Service\nmetadata: {namespace: x}\n')).toEqual(['MV0020 - metadata.name']);
    expect(codes('apiVersion: v1\nkind: Service\n')).toEqual(['MV0020 - metadata']);
  });

  it('lets a later document with the same name win, and says so', () => {
    const result = load(deployment('web', { replicas: 1 }), deployment('web', { replicas: 2 }));
    expect(result.diagnostics.map((d) => `${d.code} ${d.resource} ${d.message}`)).toEqual([
      'MV0025 Deployment/default/web same name as Deployment/default/web (f0.yaml:1) defined earlier; the later one wins',
    ]);
    expect(result.scenario.workloads.map((w) => w.replicas)).toEqual([2]);
  });

  it('warns about invalid names and non-string labels', () => {
    expect(codes('apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: Web_1, labels: {on: true}}\n')).toEqual([
      'MV0028 ServiceAccount/default/Web_1 metadata.name',
      'MV0029 ServiceAccount/default/Web_1 metadata.labels.on',
    ]);
  });
});
