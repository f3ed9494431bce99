import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeFiles, catalog } from '../../src/istio/index.ts';

/**
 * Each manifest in tests/fixtures/broken/ is analyzed together with
 * base/mesh.yaml (a small healthy mesh) and must produce exactly these
 * findings: position in the broken file, code, severity, field path.
 */
const DIR = new URL('../fixtures/broken/', import.meta.url);
const read = (name: string): string => readFileSync(new URL(name, DIR), 'latin1');

const EXPECTED: Record<string, string[]> = {
  'abort-status-out-of-range.yaml': [
    '13:9 MV0052 error spec.http[0].fault.abort.httpStatus',
  ],
  'alias-bomb.yaml': [
    '2:1 MV0007 error -',
  ],
  'analysis-stopped.yaml': [
    '65:5 MV0419 warning spec.http[1]',
  ],
  'binary.yaml': [
    '1:8 MV0002 error -',
  ],
  'call-cycle.yaml': [
    '11:9 MV0418 error spec.workloads.api.calls[0]',
    '17:9 MV0418 error spec.workloads.db.calls[0]',
  ],
  'conflicting-virtual-services.yaml': [
    '6:11 MV0406 error spec.hosts[0]',
    '15:11 MV0406 error spec.hosts[0]',
  ],
  'deprecated-field.yaml': [
    '10:7 MV0046 warning spec.trafficPolicy.outlierDetection.consecutiveErrors',
  ],
  'destination-subnets-not-simulated.yaml': [
    '16:14 MV0317 info spec.tcp[0].match[0].destinationSubnets',
  ],
  'destination-port-required.yaml': [
    '18:7 MV0407 warning spec.http[0].route[0].destination',
  ],
  'destination-rule-host-not-found.yaml': [
    '6:3 MV0403 warning spec.host',
  ],
  'duration-below-minimum.yaml': [
    '12:7 MV0054 error spec.trafficPolicy.outlierDetection.interval',
    '13:7 MV0054 error spec.trafficPolicy.outlierDetection.baseEjectionTime',
  ],
  'double-tls-origination.yaml': [
    '20:13 MV0445 warning spec.trafficPolicy.portLevelSettings[0].tls.mode',
  ],
  'duplicate-key.yaml': [
    '7:3 MV0006 error -',
  ],
  'empty.yaml': [
    '1:1 MV0004 info -',
  ],
  'external-host-not-registered.yaml': [
    '18:9 MV0420 warning spec.workloads.api.calls[0].service',
  ],
  'egress-gateway-without-route.yaml': [
    '41:16 MV0428 warning spec.http[0].route[0].destination',
  ],
  'gateway-only-called-from-mesh.yaml': [
    '24:3 MV0426 warning spec.gateways',
  ],
  'gateway-references.yaml': [
    '23:14 MV0422 error spec.gateways[0]',
    '23:22 MV0425 warning spec.gateways[1]',
  ],
  'gateway-selector.yaml': [
    '7:3 MV0423 error spec.selector',
    '14:3 MV0424 warning spec.selector',
  ],
  'http-rules-on-tcp-port.yaml': [
    '15:3 MV0433 warning spec.http',
  ],
  'invalid-duration.yaml': [
    '10:5 MV0043 error spec.http[0].timeout',
    '11:28 MV0044 error spec.http[0].retries.perTryTimeout',
  ],
  'l4-route-destinations.yaml': [
    '18:28 MV0400 error spec.tcp[0].route[0].destination.host',
    '19:42 MV0401 error spec.tcp[1].route[0].destination.subset',
    '22:28 MV0400 error spec.tls[0].route[0].destination.host',
  ],
  'locality-failover-without-outlier.yaml': [
    '11:9 MV0441 warning spec.trafficPolicy.loadBalancer.localityLbSetting.failover',
  ],
  'locality-lb-setting-invalid.yaml': [
    '12:13 MV0442 error spec.trafficPolicy.loadBalancer.localityLbSetting.distribute[0].to',
  ],
  'match-duplicated.yaml': [
    '14:7 MV0405 warning spec.http[1].match[0]',
    '18:5 MV0404 warning spec.http[2]',
  ],
  'mtls-disabled-toward-strict.yaml': [
    '14:11 MV0410 error spec.trafficPolicy.tls.mode',
  ],
  'negative-value.yaml': [
    '13:7 MV0051 error spec.http[0].route[1].weight',
    '15:7 MV0051 error spec.http[0].retries.attempts',
    '24:13 MV0051 error spec.trafficPolicy.connectionPool.tcp.maxConnections',
  ],
  'outlier-never-ejects.yaml': [
    '8:5 MV0412 warning spec.trafficPolicy.outlierDetection',
  ],
  'percentage-out-of-range.yaml': [
    '14:22 MV0050 error spec.http[0].fault.abort.percentage.value',
    '16:24 MV0050 error spec.http[0].mirrorPercentage.value',
    '26:7 MV0050 error spec.trafficPolicy.outlierDetection.maxEjectionPercent',
  ],
  'port-level-mtls-needs-selector.yaml': [
    '8:3 MV0053 error spec.portLevelMtls',
  ],
  'principals-without-mtls.yaml': [
    '13:9 MV0416 warning spec.rules[0].from[0].source.principals',
  ],
  'proto-key.yaml': [
    '7:3 MV0010 warning -',
  ],
  'retry-amplification.yaml': [
    '22:9 MV0413 warning spec.workloads.web.calls[0]',
  ],
  'retry-non-idempotent.yaml': [
    '15:7 MV0414 warning spec.http[0].retries.retryOn',
  ],
  'route-host-not-found.yaml': [
    '9:21 MV0400 error spec.http[0].route[0].destination.host',
    '10:14 MV0400 error spec.http[0].mirror.host',
  ],
  'regex-rejected.yaml': [
    '11:13 MV0055 error spec.http[0].match[0].uri.regex',
  ],
  'rule-unreachable.yaml': [
    '10:5 MV0404 warning spec.http[1]',
  ],
  'schema-violation-kubernetes.yaml': [
    '16:9 MV0042 error spec.template.spec.containers[0].imagePullPolicy',
    '17:50 MV0040 error spec.template.spec.containers[0].readinessProbe.httpGet.port',
    '18:51 MV0045 error spec.template.spec.containers[0].ports[0].hostPort',
  ],
  'schema-violation.yaml': [
    '9:20 MV0042 error spec.trafficPolicy.loadBalancer.simple',
    '18:7 MV0045 error spec.http[0].match[0].uri',
    '21:7 MV0045 error spec.http[0].route[0].weight',
  ],
  'selector-matches-no-workload.yaml': [
    '7:5 MV0417 warning spec.selector.matchLabels',
  ],
  'service-entry-addresses-required.yaml': [
    '7:11 MV0431 warning spec.ports[0]',
  ],
  'service-entry-not-exported.yaml': [
    '10:3 MV0429 warning spec.exportTo',
  ],
  'service-entry-rejected.yaml': [
    '7:11 MV0056 error spec.hosts[0]',
  ],
  'service-entry-static-without-endpoints.yaml': [
    '9:3 MV0430 warning spec.resolution',
  ],
  'sidecar-hides-called-host.yaml': [
    '21:3 MV0421 warning spec.egress',
  ],
  'single-destination-weight.yaml': [
    '10:7 MV0409 info spec.http[0].route[0].weight',
  ],
  'strict-with-plaintext-callers.yaml': [
    '18:10 MV0411 error spec.mtls.mode',
  ],
  'subset-not-defined.yaml': [
    '9:34 MV0401 error spec.http[0].route[0].destination.subset',
  ],
  'subset-selects-no-pods.yaml': [
    '9:5 MV0402 warning spec.subsets[0].labels',
  ],
  'tcp-rules-on-sidecars.yaml': [
    '8:3 MV0432 warning spec.tcp',
  ],
  'tcp-rule-unreachable.yaml': [
    '17:5 MV0404 warning spec.tcp[1]',
  ],
  'timeout-below-retries.yaml': [
    '10:5 MV0415 warning spec.http[0].timeout',
  ],
  'unknown-api-version.yaml': [
    '2:1 MV0022 warning apiVersion',
  ],
  'unknown-field-kubernetes.yaml': [
    '8:3 MV0041 warning spec.replica',
    '17:52 MV0020 error spec.template.spec.containers[0].ports[1].containerPort',
    '17:66 MV0041 warning spec.template.spec.containers[0].ports[1].contanerPort',
    '24:36 MV0041 warning spec.ports[0].targetport',
  ],
  'unknown-field.yaml': [
    '9:5 MV0041 warning spec.trafficPolicy.outlierDetectionn',
    '19:7 MV0041 warning spec.trafficPolicy.outlierDetection.consecutive5xxErrorz',
  ],
  'unknown-kind.yaml': [
    '3:1 MV0021 warning kind',
  ],
  'weights-not-hundred.yaml': [
    '8:5 MV0408 warning spec.http[0].route',
  ],
  'wrong-type.yaml': [
    '10:7 MV0040 error spec.http[0].route[0].weight',
    '16:10 MV0042 error spec.mtls.mode',
  ],
  'service-profile-disables-annotations.yaml': [
    // The base mesh's DestinationRule is Istio's: under flavor linkerd it is reported and not applied.
    'base/mesh.yaml:76:1 MV0610 info -',
    '6:3 MV0650 warning metadata.name',
  ],
  'yaml-syntax.yaml': [
    '5:1 MV0005 error -',
  ],
};

function findings(name: string): string[] {
  const base = { name: 'base/mesh.yaml', text: read('base/mesh.yaml') };
  const { diagnostics } = analyzeFiles([base, { name, text: read(name) }]);
  return diagnostics.map((d) => {
    const file = d.source?.file === name ? '' : `${d.source?.file}:`;
    return `${file}${d.source?.line}:${d.source?.col} ${d.code} ${d.severity} ${d.path ?? '-'}`;
  });
}

describe('deliberately broken manifests', () => {
  it('the base mesh alone is clean', () => {
    expect(analyzeFiles([{ name: 'base/mesh.yaml', text: read('base/mesh.yaml') }]).diagnostics).toEqual([]);
  });

  const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort();
  it('every broken manifest has its expectation', () => {
    expect(files).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(files)('%s', (name) => {
    expect(findings(name)).toEqual(EXPECTED[name]);
  });

  it('covers every analyzer code and every Istio rule beyond the schema (MV0050–0069) with a fixture', () => {
    const produced = new Set(Object.values(EXPECTED).flat().map((line) => line.split(' ')[1]));
    const covered = Object.values(catalog).map((e) => e.code).filter((code) => code.startsWith('MV04') || code.startsWith('MV065') || /^MV00[56]\d$/.test(code));
    expect(covered.filter((code) => !produced.has(code))).toEqual([]);
  });
});
