import { MAX_GO_DURATION_TEXT, MICROS_PER_MS, parseDuration } from '../../../model/index.ts';
import { describe, isMapping } from '../describe.ts';
import { fieldPath, indexPath } from '../fieldPath.ts';
import type { Reporter } from '../Reporter.ts';
import { ISTIO_RULES, TRAFFIC_POLICY as POLICY } from './istioRules.ts';

/**
 * Durations in the specs meshviz simulates. Istio's CRDs check them with CEL
 * rules (`x-kubernetes-validations`), which the generated models do not carry,
 * so they are checked here. Paths with indices written as `[]`.
 */
const DURATIONS = new RegExp(
  '^(' +
    [
      String.raw`spec\.http\[\]\.(timeout|retries\.(perTryTimeout|backoff)|fault\.delay\.(fixedDelay|exponentialDelay))`,
      `${POLICY}\\.outlierDetection\\.(interval|baseEjectionTime)`,
      `${POLICY}\\.connectionPool\\.(tcp\\.(connectTimeout|maxConnectionDuration|idleTimeout|tcpKeepalive\\.(time|interval))|http\\.idleTimeout)`,
      `${POLICY}\\.loadBalancer\\.(warmupDurationSecs|warmup\\.duration|consistentHash\\.httpCookie\\.ttl)`,
    ].join('|') +
    ')$',
);

/** Fields the CRDs still accept but Istio has replaced, and what to write instead. */
const DEPRECATED: ReadonlyArray<{ path: RegExp; instead: string }> = [
  {
    path: new RegExp(`^${POLICY}\\.outlierDetection\\.consecutiveErrors$`),
    instead: 'write consecutive5xxErrors or consecutiveGatewayErrors (mesh-semantics §3.5); meshviz ignores it',
  },
  { path: /^spec\.http\[\]\.mirrorPercent$/, instead: 'write mirrorPercentage: {value: N}; meshviz ignores it' },
  {
    // The CRD still accepts it, undocumented; nothing in istiod reads it (Istio src pilot/: no reference to SourceSubnet at 86c9f01).
    path: /^spec\.tcp\[\]\.match\[\]\.sourceSubnet$/,
    instead: 'istiod does not read it, so this match block takes connections from every source; restrict by sourceLabels or sourceNamespace',
  },
  { path: /^spec\.http\[\]\.fault\.delay\.percent$/, instead: 'write percentage: {value: N}' },
  {
    path: new RegExp(`^${POLICY}\\.loadBalancer\\.consistentHash\\.minimumRingSize$`),
    instead: 'write ringHash: {minimumRingSize: N}',
  },
];

/**
 * The checks on an Istio spec that the CRD schema in the models cannot make:
 * durations, the ranges and cross-field rules of `ISTIO_RULES`, deprecated
 * fields, and null items in sequences (which Kubernetes refuses). Errors are
 * recorded in the reporter's `errorPaths`, so the schema check does not
 * report them a second time. Returns whether the spec is usable.
 */
export function checkIstioFields(spec: unknown, reporter: Reporter): boolean {
  let ok = true;
  const walk = (value: unknown, path: string, pattern: string): void => {
    if (DURATIONS.test(pattern) && value !== null && value !== undefined) {
      if (!checkDuration(value, path, reporter)) ok = false;
      return;
    }
    for (const rule of ISTIO_RULES) if (rule.path.test(pattern) && isMapping(spec) && rule.check(value, path, spec, reporter)) ok = false;
    const deprecated = DEPRECATED.find((rule) => rule.path.test(pattern));
    if (deprecated) reporter.report('DeprecatedField', path, { field: path.slice(path.lastIndexOf('.') + 1), instead: deprecated.instead });
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        if (item === null) {
          reporter.report('WrongType', indexPath(path, i), { expected: 'a value', actual: describe(item) });
          ok = false;
        } else {
          walk(item, indexPath(path, i), `${pattern}[]`);
        }
      });
    } else if (isMapping(value)) {
      for (const [key, item] of Object.entries(value)) walk(item, fieldPath(path, key), fieldPath(pattern, key));
    }
  };
  walk(spec, 'spec', 'spec');
  return ok;
}

function checkDuration(value: unknown, path: string, reporter: Reporter): boolean {
  if (typeof value === 'number') {
    reporter.report('DurationNeedsUnit', path, { value });
    return false;
  }
  if (typeof value !== 'string') {
    reporter.report('WrongType', path, { expected: 'a duration such as 2s', actual: describe(value) });
    return false;
  }
  const micros = parseDuration(value);
  if (micros === undefined) {
    reporter.report('InvalidDuration', path, { text: value });
    return false;
  }
  if (micros === Infinity) {
    reporter.report('DurationTooLong', path, { text: value, limit: MAX_GO_DURATION_TEXT, why: "the longest duration Istio (Go's time.Duration) can hold" });
    return false;
  }
  if (micros < MICROS_PER_MS) {
    reporter.report('DurationBelowMinimum', path, { text: value });
    return false;
  }
  return true;
}
