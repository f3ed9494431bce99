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
  });

  it('drops null fields as the API server does, and refuses null items', () => {
    const kept = loadScenario([{ name: 'x.yaml', text: 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: x}\nspec:\n  hosts: [a]\n  http:\n  - timeout: ~\n    route: [{destination: {host: a}}]\n' }]);
    expect(kept.diagnostics).toEqual([]);
    expect(kept.scenario.virtualServices[0]?.spec.http?.[0]).toEqual({ route: [{ destination: { host: 'a' } }] });
    expect(findings('networking.istio.io/v1', 'VirtualService', '  hosts: [a]\n  http: [~]\n')).toEqual(['6:10 MV0040 spec.http[0] expected a value, got nothing']);
  });
});
