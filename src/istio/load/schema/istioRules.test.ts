import { describe, expect, it } from 'vitest';
import { loadScenario } from '../loadScenario.ts';

const load = (kind: string, spec: string, apiVersion = 'networking.istio.io/v1') =>
  loadScenario([{ name: 'x.yaml', text: `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: x}\nspec:\n${spec}` }]);
const findings = (kind: string, spec: string, apiVersion?: string) =>
  load(kind, spec, apiVersion).diagnostics.map((d) => `${d.source?.line}:${d.source?.col} ${d.code} ${d.path} ${d.message}`);
const route = (rule: string) => `  hosts: [a]\n  http:\n  - route: [{destination: {host: a}}]\n${rule}`;

describe('rules Istio enforces that the generated models leave out', () => {
  it('percentages of faults and mirrors are between 0 and 100, and fault shares are 0 or at least 0.0001', () => {
    const spec = route('    fault: {delay: {fixedDelay: 1s, percentage: {value: 100.5}}, abort: {httpStatus: 503, percentage: {value: 0.00001}}}\n    mirror: {host: b}\n    mirrorPercentage: {value: -1}\n');
    expect(findings('VirtualService', spec)).toEqual([
      '8:50 MV0050 spec.http[0].fault.delay.percentage.value a percentage must be between 0 and 100, not 100.5: Istio refuses it',
      '8:104 MV0050 spec.http[0].fault.abort.percentage.value a percentage must be 0 or at least 0.0001, not 0.00001: Istio refuses smaller shares',
      '10:24 MV0050 spec.http[0].mirrorPercentage.value a percentage must be between 0 and 100, not -1: Istio refuses it',
    ]);
    expect(findings('VirtualService', route('    mirrors: [{destination: {host: b}, percentage: {value: 0.00001}}]\n'))).toEqual([]);
  });

  it('outlier detection percentages are between 0 and 100, in every traffic policy', () => {
    const spec = '  host: a\n  trafficPolicy: {outlierDetection: {maxEjectionPercent: 120}}\n  subsets:\n  - name: v1\n    labels: {v: "1"}\n' +
      '    trafficPolicy:\n      portLevelSettings: [{port: {number: 80}, outlierDetection: {minHealthPercent: 101}}]\n';
    expect(findings('DestinationRule', spec)).toEqual([
      '6:38 MV0050 spec.trafficPolicy.outlierDetection.maxEjectionPercent a percentage must be between 0 and 100, not 120: Istio refuses it',
      '11:67 MV0050 spec.subsets[0].trafficPolicy.portLevelSettings[0].outlierDetection.minHealthPercent a percentage must be between 0 and 100, not 101: Istio refuses it',
    ]);
  });

  it('weights are not negative but need not add up to 100; retry attempts are not negative', () => {
    const spec = '  hosts: [a]\n  http:\n  - route: [{destination: {host: a}, weight: 150}, {destination: {host: b}, weight: -50}]\n    retries: {attempts: -1}\n' +
      '  tcp:\n  - route: [{destination: {host: a}, weight: -1}]\n';
    expect(findings('VirtualService', spec)).toEqual([
      '7:77 MV0051 spec.http[0].route[1].weight weight must not be negative, not -50: Istio refuses it (a weight is a relative share of the traffic; 0 sends none)',
      '8:15 MV0051 spec.http[0].retries.attempts attempts must not be negative, not -1: Istio refuses it (write 0 to turn retries off)',
      '10:38 MV0051 spec.tcp[0].route[0].weight weight must not be negative, not -1: Istio refuses it (a weight is a relative share of the traffic; 0 sends none)',
    ]);
  });

  it('connection pool limits are not negative; 0 means the default', () => {
    const spec = '  host: a\n  trafficPolicy:\n    connectionPool:\n      tcp: {maxConnections: -1}\n      http: {http2MaxRequests: 0, maxRetries: -3}\n';
    expect(findings('DestinationRule', spec)).toEqual([
      '8:13 MV0051 spec.trafficPolicy.connectionPool.tcp.maxConnections maxConnections must not be negative, not -1: Istio refuses it (0 or leaving it out means Istio\'s default, no limit)',
      '9:35 MV0051 spec.trafficPolicy.connectionPool.http.maxRetries maxRetries must not be negative, not -3: Istio refuses it (0 or leaving it out means Istio\'s default, no limit)',
    ]);
    expect(findings('Sidecar', '  inboundConnectionPool: {http: {http1MaxPendingRequests: -1}}\n')).toEqual([
      '5:3 MV0033 spec.inboundConnectionPool Sidecar inboundConnectionPool is kept but not simulated yet (egress hosts, workloadSelector and outboundTrafficPolicy are)',
      '5:34 MV0051 spec.inboundConnectionPool.http.http1MaxPendingRequests http1MaxPendingRequests must not be negative, not -1: Istio refuses it (0 or leaving it out means Istio\'s default, no limit)',
    ]);
  });

  it('an injected abort status is an HTTP status Envoy can send: 200 to 599', () => {
    expect(findings('VirtualService', route('    fault: {abort: {httpStatus: 600, percentage: {value: 10}}}\n'))).toEqual([
      '8:21 MV0052 spec.http[0].fault.abort.httpStatus httpStatus must be between 200 and 599, not 600: Istio and Envoy\'s fault filter refuse other codes',
    ]);
    expect(findings('VirtualService', route('    fault: {abort: {httpStatus: 200}}\n'))).toEqual([]);
  });

  it('portLevelMtls needs a selector with labels, in v1 and v1beta1', () => {
    for (const apiVersion of ['security.istio.io/v1', 'security.istio.io/v1beta1']) {
      expect(findings('PeerAuthentication', '  selector: {matchLabels: {}}\n  portLevelMtls: {8080: {mode: DISABLE}}\n', apiVersion)).toEqual([
        '6:3 MV0053 spec.portLevelMtls portLevelMtls needs a selector with matchLabels: Istio refuses port-level mTLS in a namespace- or mesh-wide PeerAuthentication ("portLevelMtls requires selector")',
      ]);
    }
    expect(findings('PeerAuthentication', '  selector: {matchLabels: {app: a}}\n  portLevelMtls: {8080: {mode: DISABLE}}\n', 'security.istio.io/v1')).toEqual([]);
  });

  it('leaves a resource that breaks a rule out, and a wrong type to the schema', () => {
    expect(load('VirtualService', route('    retries: {attempts: -1}\n')).scenario.virtualServices).toEqual([]);
    expect(findings('VirtualService', route('    retries: {attempts: "-1"}\n'))).toEqual([
      '8:15 MV0040 spec.http[0].retries.attempts expected an integer, got a string ("-1")',
    ]);
  });
  // Istio's CRDs give every google.protobuf.Duration the CEL rule duration(self) >= duration('1ms'),
  // "must be a valid duration greater than 1ms" (istio/tools cmd/protoc-gen-crd openapiGen.go).
  // An interval of 0s or 1ns once passed and made the simulation's outlier ticks throw.
  it('durations are at least 1ms, as the CRDs say, and at most what Go holds', () => {
    const spec = '  host: a\n  trafficPolicy: {outlierDetection: {interval: 0s, baseEjectionTime: 1ns}}\n  subsets:\n  - name: v1\n    labels: {v: "1"}\n' +
      `    trafficPolicy: {outlierDetection: {interval: 999us, baseEjectionTime: ${'9'.repeat(400)}s}}\n`;
    expect(findings('DestinationRule', spec)).toEqual([
      '6:38 MV0054 spec.trafficPolicy.outlierDetection.interval "0s": must be a valid duration greater than 1ms (Istio refuses shorter ones)',
      '6:52 MV0054 spec.trafficPolicy.outlierDetection.baseEjectionTime "1ns": must be a valid duration greater than 1ms (Istio refuses shorter ones)',
      '10:40 MV0054 spec.subsets[0].trafficPolicy.outlierDetection.interval "999us": must be a valid duration greater than 1ms (Istio refuses shorter ones)',
      `10:57 MV0047 spec.subsets[0].trafficPolicy.outlierDetection.baseEjectionTime "${'9'.repeat(37)}…" is longer than 2562047h47m16.854775807s, the longest duration Istio (Go's time.Duration) can hold`,
    ]);
    expect(findings('VirtualService', route('    timeout: 1ms\n    retries: {attempts: 2, perTryTimeout: 2562047h}\n'))).toEqual([]);
  });
  // istio/istio pkg/config/validation: validateStringMatchRegexp compiles with Go's regexp and says
  // "%q: %w; Istio uses RE2 style regex-based match (https://github.com/google/re2/wiki/Syntax)".
  it('match regexes are RE2: lookaround, backreferences and over-long patterns are refused in Istio\'s words', () => {
    const spec = '  hosts: [a]\n  http:\n  - match:\n    - uri: {regex: "/(?=x)"}\n    - headers: {end-user: {regex: "(a)\\\\1"}, x-ok: {regex: "*"}}\n' +
      `    - queryParams: {q: {regex: "${'a'.repeat(1025)}"}}\n    - uri: {regex: "/(a+)+b"}\n    route: [{destination: {host: a}}]\n`;
    expect(findings('VirtualService', spec)).toEqual([
      '8:13 MV0055 spec.http[0].match[0].uri.regex "uri": error parsing regexp: invalid or unsupported Perl syntax: `(?=`; Istio uses RE2 style regex-based match (https://github.com/google/re2/wiki/Syntax)',
      '9:28 MV0055 spec.http[0].match[1].headers.end-user.regex "headers": error parsing regexp: invalid escape sequence: `\\1`; Istio uses RE2 style regex-based match (https://github.com/google/re2/wiki/Syntax)',
      '10:25 MV0055 spec.http[0].match[2].queryParams.q.regex "queryParams": regex is too large, max length allowed is 1024',
    ]);
  });
});
