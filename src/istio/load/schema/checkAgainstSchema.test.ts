import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../loadScenario.ts';

const findings = (apiVersion: string, kind: string, spec: string, metadata = '{name: x}') =>
  loadScenario([{ name: 'x.yaml', text: `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: ${metadata}\nspec:\n${spec}` }])
    .diagnostics.map((d) => `${d.source?.line}:${d.source?.col} ${d.code} ${d.path} ${d.message}`);

describe('Istio resources against the CRD schemas of @kubernetes-models/istio', () => {
  it.each(['v1', 'v1beta1', 'v1alpha3'])('reports unknown fields with a suggestion from the schema (networking %s)', (version) => {
    expect(findings(`networking.istio.io/${version}`, 'DestinationRule', '  host: a\n  trafficPolicy:\n    outlierDetectionn: {}\n    outlierDetection: {consecutive5xxErrorz: 1}\n')).toEqual([
      '7:5 MV0041 spec.trafficPolicy.outlierDetectionn unknown field "outlierDetectionn" (did you mean "outlierDetection"?)',
      '8:24 MV0041 spec.trafficPolicy.outlierDetection.consecutive5xxErrorz unknown field "consecutive5xxErrorz" (did you mean "consecutive5xxErrors"?)',
    ]);
  });

  it('reports unknown metadata fields from the ObjectMeta schema, and leaves maps alone', () => {
    expect(findings('security.istio.io/v1beta1', 'PeerAuthentication', '  mtls: {mode: STRICT}\n', '{name: x, lables: {a: b}, labels: {anything.goes/here: ok}}')).toEqual([
      '3:21 MV0041 metadata.lables unknown field "lables" (did you mean "labels"?)',
    ]);
  });

  it('keeps fields the CRD preserves unknown (EnvoyFilter patches) without complaint', () => {
    const patch = '  configPatches:\n  - applyTo: HTTP_FILTER\n    patch: {operation: INSERT_BEFORE, value: {name: x, typed_config: {"@type": y, whatever: 1}}}\n';
    expect(findings('networking.istio.io/v1alpha3', 'EnvoyFilter', patch)).toEqual(['1:1 MV0023 undefined EnvoyFilter is kept but not simulated yet']);
  });

  it('maps schema errors to types, enums with suggestions, ranges and exclusive fields, and leaves the resource out', () => {
    const spec = '  hosts: [a]\n  http:\n  - match: [{uri: {exact: /a, regex: /b}}]\n    route:\n    - destination: {host: a}\n      weight: "50"\n    fault: {abort: {httpStatus: 500, grpcStatus: UNAVAILABLE}}\n';
    const result = loadScenario([{ name: 'x.yaml', text: `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: x}\nspec:\n${spec}` }]);
    expect(result.diagnostics.map((d) => `${d.code} ${d.path} ${d.message}`)).toEqual([
      'MV0045 spec.http[0].match[0].uri only one of exact, regex may be set here (Istio CRD schema)',
      'MV0040 spec.http[0].route[0].weight expected an integer, got a string ("50")',
      'MV0045 spec.http[0].fault.abort only one of httpStatus, grpcStatus may be set here (Istio CRD schema)',
    ]);
    expect(result.scenario.virtualServices).toEqual([]);
    expect(findings('security.istio.io/v1', 'AuthorizationPolicy', '  action: ALOW\n')).toEqual([
      '5:3 MV0042 spec.action expected one of ALLOW, DENY, AUDIT, CUSTOM, got a string ("ALOW") (did you mean "ALLOW"?)',
    ]);
  });

  it('checks durations (CEL rules the models do not carry) and deprecated fields', () => {
    expect(findings('networking.istio.io/v1', 'DestinationRule', '  host: a\n  trafficPolicy:\n    outlierDetection: {consecutiveErrors: 5, interval: 10}\n')).toEqual([
      '7:24 MV0046 spec.trafficPolicy.outlierDetection.consecutiveErrors "consecutiveErrors" is deprecated: write consecutive5xxErrors or consecutiveGatewayErrors (mesh-semantics §3.5); meshviz ignores it',
      '7:46 MV0044 spec.trafficPolicy.outlierDetection.interval a duration needs a unit: write 10ms or 10s, not 10',
    ]);
    // The CRD accepts a tcp match's sourceSubnet, but nothing in istiod reads it.
    expect(findings('networking.istio.io/v1', 'VirtualService', '  hosts: [db]\n  tcp:\n  - match: [{sourceSubnet: 10.0.0.0/8}]\n    route: [{destination: {host: db}}]\n')).toEqual([
      '7:14 MV0046 spec.tcp[0].match[0].sourceSubnet "sourceSubnet" is deprecated: istiod does not read it, so this match block takes connections from every source; restrict by sourceLabels or sourceNamespace',
    ]);
  });

  it('drops null fields as the API server does, and refuses null items', () => {
    const kept = loadScenario([{ name: 'x.yaml', text: 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: x}\nspec:\n  hosts: [a]\n  http:\n  - timeout: ~\n    route: [{destination: {host: a}}]\n' }]);
    expect(kept.diagnostics).toEqual([]);
    expect(kept.scenario.virtualServices[0]?.spec.http?.[0]).toEqual({ route: [{ destination: { host: 'a' } }] });
    expect(findings('networking.istio.io/v1', 'VirtualService', '  hosts: [a]\n  http: [~]\n')).toEqual(['6:10 MV0040 spec.http[0] expected a value, got nothing']);
  });
});

describe('Kubernetes kinds against their OpenAPI schemas from kubernetes-models', () => {
  const all = (text: string) =>
    loadScenario([{ name: 'k.yaml', text }]).diagnostics.map((d) => `${d.source?.line}:${d.source?.col} ${d.code} ${d.path} ${d.message}`);

  it('reports typos in Deployments and Services with a suggestion, at their place', () => {
    const deployment = '  replica: 3\n  selectr: {matchLabels: {app: web}}\n  template:\n    spec:\n      containers: [{name: web, ports: [{containerPorts: 8080}]}]\n';
    expect(findings('apps/v1', 'Deployment', deployment)).toEqual([
      '5:3 MV0041 spec.replica unknown field "replica" (did you mean "replicas"?)',
      '6:3 MV0041 spec.selectr unknown field "selectr" (did you mean "selector"?)',
      '9:40 MV0020 spec.template.spec.containers[0].ports[0].containerPort required field "containerPort" is missing',
      '9:41 MV0041 spec.template.spec.containers[0].ports[0].containerPorts unknown field "containerPorts" (did you mean "containerPort"?)',
    ]);
    expect(findings('v1', 'Service', '  selector: {app: web}\n  ports: [{port: 80, targetport: 8080}]\n')).toEqual([
      '6:22 MV0041 spec.ports[0].targetport unknown field "targetport" (did you mean "targetPort"?)',
    ]);
  });

  it('leaves free-form maps alone: labels, annotations, selectors, node selectors, resource limits', () => {
    const spec = '  selector: {matchLabels: {app: web, zone.io/x: a}}\n  template:\n    metadata: {labels: {anything: goes}, annotations: {sidecar.istio.io/inject: "true"}}\n' +
      '    spec:\n      nodeSelector: {disk: ssd}\n      containers: [{name: web, resources: {limits: {cpu: 0.5, memory: 128Mi}}}]\n';
    expect(findings('apps/v1', 'Deployment', spec, '{name: web, labels: {a.b/c: d}, annotations: {note: free text}}')).toEqual([]);
    expect(findings('v1', 'Namespace', '  {}\n', '{name: shop, labels: {istio-injection: enabled}}')).toEqual([]);
  });

  it('accepts what kubectl prints (status, managedFields, null timestamps) and meshviz sketches without selector or containers', () => {
    const printed = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  creationTimestamp: null\n  uid: 0b5e\n  resourceVersion: "7"\n' +
      '  managedFields: [{manager: kubectl, operation: Update, fieldsV1: {"f:spec": {"f:replicas": {}}}}]\nspec:\n  selector: {matchLabels: {app: web}}\n' +
      '  strategy: {rollingUpdate: {maxSurge: 25%}}\n  template:\n    metadata: {creationTimestamp: null, labels: {app: web}}\n' +
      '    spec: {containers: [{name: web, image: web, resources: {}}]}\nstatus: {replicas: 1, conditions: [{type: Available, status: "True"}]}\n';
    expect(all(printed)).toEqual([]);
    expect(all('apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n  template:\n    metadata: {labels: {app: db}}\n')).toEqual([]);
  });

  it('maps schema errors to types, enums and formats, and does not repeat what the readers reported', () => {
    const spec = '  replicas: "3"\n  template:\n    spec:\n      containers:\n      - image: web\n        imagePullPolicy: Allways\n' +
      '        readinessProbe: {httpGet: {port: true}}\n        ports: [{containerPort: 8080, hostPort: 3000000000}]\n';
    expect(findings('apps/v1', 'Deployment', spec)).toEqual([
      '5:3 MV0040 spec.replicas expected an integer, got a string ("3")',
      '9:9 MV0020 spec.template.spec.containers[0].name required field "name" is missing',
      '10:9 MV0042 spec.template.spec.containers[0].imagePullPolicy expected one of Always, IfNotPresent, Never, got a string ("Allways") (did you mean "Always"?)',
      '11:36 MV0040 spec.template.spec.containers[0].readinessProbe.httpGet.port expected a string or an integer, got a boolean (true)',
      '12:39 MV0045 spec.template.spec.containers[0].ports[0].hostPort a number (3000000000) is not a valid int32 (Kubernetes API schema)',
    ]);
  });

  it('checks the items of a kind: List like documents of their own', () => {
    const list = 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ServiceAccount\n  metadata: {name: web}\n  automountServiceAccountTokn: false\n';
    expect(all(list)).toEqual(['7:3 MV0041 automountServiceAccountTokn unknown field "automountServiceAccountTokn" (did you mean "automountServiceAccountToken"?)']);
  });

  it('never throws on any spec, whatever the readers and the schema make of it', () => {
    const key = fc.constantFrom('spec', 'template', 'containers', 'ports', 'selector', 'matchLabels', 'targetPort', 'name', 'labels', 'resources', '__proto__', 'x');
    const tree = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, fc.anything({ maxDepth: 2 }), fc.dictionary(key, tie('node'), { maxKeys: 4 }), fc.array(tie('node'), { maxLength: 3 })),
    })).node;
    const kind = fc.constantFrom(['apps/v1', 'Deployment'], ['apps/v1', 'StatefulSet'], ['v1', 'Pod'], ['v1', 'Service'], ['v1', 'Namespace'], ['v1', 'ServiceAccount']);
    fc.assert(
      fc.property(kind, tree, ([apiVersion, kind], spec) => {
        const { diagnostics } = loadScenario([{ name: 'k.yaml', text: stringify({ apiVersion, kind, metadata: { name: 'x' }, spec }) }]);
        expect(diagnostics.filter((d) => d.code === 'MV0098')).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
