import { type DestinationRule, type LocalityLbSetting, parseDuration, type TrafficPolicy } from '../../model/index.ts';
import type { CompileContext } from './CompileContext.ts';
import type { PolicyComponents } from './mergeTrafficPolicy.ts';

/**
 * Compile-time findings about one DestinationRule: policy features the
 * simulator does not model and values it had to replace, each at its field
 * path (top level, port level, subsets). The cluster builder stays silent.
 */
export function lintDestinationRule(ctx: CompileContext, rule: DestinationRule): void {
  const lintPolicy = (policy: TrafficPolicy | undefined, at: string): void => {
    if (!policy) return;
    lintComponents(ctx, rule, policy, at);
    policy.portLevelSettings?.forEach((setting, i) => lintComponents(ctx, rule, setting, `${at}.portLevelSettings[${i}]`));
  };
  lintPolicy(rule.spec.trafficPolicy, 'spec.trafficPolicy');
  rule.spec.subsets?.forEach((subset, i) => lintPolicy(subset.trafficPolicy, `spec.subsets[${i}].trafficPolicy`));
}

function lintComponents(ctx: CompileContext, rule: DestinationRule, policy: PolicyComponents, at: string): void {
  const report = ctx.diagnostics.report.bind(ctx.diagnostics);
  const duration = (value: string | undefined, path: string, fallback: string): void => {
    if (value !== undefined && parseDuration(value) === undefined) report('DurationReplaced', { resource: rule, path: path }, { value, fallback });
  };
  const lb = policy.loadBalancer;
  if (lb?.simple === 'PASSTHROUGH') {
    report('UnsupportedLoadBalancer', { resource: rule, path: `${at}.loadBalancer.simple` }, { what: 'PASSTHROUGH', used: 'LEAST_REQUEST' });
  }
  const hash = lb?.consistentHash;
  if (hash?.maglev) {
    report('UnsupportedLoadBalancer', { resource: rule, path: `${at}.loadBalancer.consistentHash.maglev` }, { what: 'Maglev', used: 'RING_HASH' });
  }
  if (hash && hash.httpHeaderName === undefined) {
    report('UnsupportedLoadBalancer', { resource: rule, path: `${at}.loadBalancer.consistentHash` }, { what: 'consistent hashing on anything but an HTTP header', used: 'a random hash per request' });
  }
  const locality = lb?.localityLbSetting;
  if (locality) lintLocality(locality, (path, reason) => report('LocalityLbSettingInvalid', { resource: rule, path: `${at}.loadBalancer.localityLbSetting${path}` }, { reason }));
  // Failover and failoverPriority need outlier detection; distribute does not, and replaces both (applyLocalityLoadBalancer).
  if (locality && locality.enabled !== false && locality.distribute === undefined && !policy.outlierDetection && !rule.spec.trafficPolicy?.outlierDetection) {
    for (const field of ['failover', 'failoverPriority'] as const) {
      if (locality[field] !== undefined) report('LocalityFailoverWithoutOutlier', { resource: rule, path: `${at}.loadBalancer.localityLbSetting.${field}` }, { field });
    }
  }
  duration(policy.connectionPool?.tcp?.connectTimeout, `${at}.connectionPool.tcp.connectTimeout`, 'the 10s default');
  duration(policy.outlierDetection?.interval, `${at}.outlierDetection.interval`, 'the 10s default');
  duration(policy.outlierDetection?.baseEjectionTime, `${at}.outlierDetection.baseEjectionTime`, 'the 30s default');
}

const TOPOLOGY = ['topology.kubernetes.io/region', 'topology.kubernetes.io/zone', 'topology.istio.io/subzone'];

/**
 * Istio's checks of a `localityLbSetting` (Istio src
 * `pkg/config/validation/agent/validation.go` `ValidateLocalityLbSetting`),
 * each reported at its field: `distribute` and `failover` together; a
 * `failover` beside a `failoverPriority` naming a topology label; a
 * `distribute` weight outside 1–100 or a `to` not summing to 100; a
 * `failover` between the same region, or naming a zone or a wildcard.
 */
export function lintLocality(locality: LocalityLbSetting, report: (path: string, reason: string) => void): void {
  if ((locality.distribute?.length ?? 0) > 0 && (locality.failover?.length ?? 0) > 0) {
    report('', "can not simultaneously specify 'distribute' and 'failover'");
    return;
  }
  const topology = (locality.failover?.length ?? 0) > 0 ? locality.failoverPriority?.find((l) => TOPOLOGY.includes(l)) : undefined;
  if (topology !== undefined) report('.failoverPriority', `can not simultaneously set 'failover' and topology label '${topology}' in 'failoverPriority'`);
  locality.distribute?.forEach((d, i) => {
    const weights = Object.values(d.to ?? {});
    if (weights.some((w) => w < 1 || w > 100)) report(`.distribute[${i}].to`, 'locality weight must be in range [1, 100]');
    else if (weights.reduce((a, b) => a + b, 0) !== 100) report(`.distribute[${i}].to`, `total locality weight ${weights.reduce((a, b) => a + b, 0)} != 100`);
  });
  locality.failover?.forEach((f, i) => {
    if (f.from === f.to) report(`.failover[${i}]`, 'locality lb failover settings must specify different regions');
    else if (`${f.from ?? ''}${f.to ?? ''}`.includes('/')) report(`.failover[${i}]`, 'locality lb failover only specify region');
    else if (`${f.from ?? ''}${f.to ?? ''}`.includes('*')) report(`.failover[${i}]`, "locality lb failover region should not contain '*' wildcard");
  });
}
