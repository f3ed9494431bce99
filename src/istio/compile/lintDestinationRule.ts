import { type DestinationRule, parseDuration, type TrafficPolicy } from '../../model/index.ts';
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
  if (locality && locality.enabled !== false) {
    for (const field of ['distribute', 'failoverPriority'] as const) {
      if (locality[field] !== undefined) report('LocalityLbNotSimulated', { resource: rule, path: `${at}.loadBalancer.localityLbSetting.${field}` }, { field });
    }
    if (locality.failover !== undefined && !policy.outlierDetection && !rule.spec.trafficPolicy?.outlierDetection) {
      report('LocalityFailoverWithoutOutlier', { resource: rule, path: `${at}.loadBalancer.localityLbSetting.failover` });
    }
  }
  duration(policy.connectionPool?.tcp?.connectTimeout, `${at}.connectionPool.tcp.connectTimeout`, 'the 10s default');
  duration(policy.outlierDetection?.interval, `${at}.outlierDetection.interval`, 'the 10s default');
  duration(policy.outlierDetection?.baseEjectionTime, `${at}.outlierDetection.baseEjectionTime`, 'the 30s default');
}
