import { compileSafeRegex } from '../../../model/index.ts';
import { isMapping } from '../describe.ts';
import type { Reporter } from '../Reporter.ts';

/** A DestinationRule's traffic policies: top level, per subset, per port. Paths with indices written as `[]`. */
export const TRAFFIC_POLICY = String.raw`spec(\.subsets\[\])?\.trafficPolicy(\.portLevelSettings\[\])?`;
const POOL = String.raw`(${TRAFFIC_POLICY}\.connectionPool|spec\.inboundConnectionPool|spec\.ingress\[\]\.connectionPool)`;

/**
 * One rule Istio enforces that the generated models leave out, for the
 * fields whose paths (indices written `[]`) match `path`. `check` reports
 * what is wrong with the field's `value` (`spec` is there for rules that
 * span fields) and returns whether it reported anything.
 */
export interface IstioRule {
  path: RegExp;
  check: (value: unknown, path: string, spec: Record<string, unknown>, reporter: Reporter) => boolean;
}

/**
 * Sources, read for each rule: istiod's validating webhook, which
 * `kubectl apply` goes through (istio/istio `pkg/config/validation/validation.go`,
 * the same functions `istioctl analyze` reports as IST0106), and the CEL
 * rules of the CRDs (istio/api `x-kubernetes-validations`).
 */
export const ISTIO_RULES: readonly IstioRule[] = [
  // validatePercentage (fault delay and abort): "percentage %v is neither 0.0, nor in range [0.0001, 100.0]".
  { path: /^spec\.http\[\]\.fault\.(delay|abort)\.percentage\.value$/, check: percentage(0.0001) },
  // validateHTTPRoute and validateHTTPMirrors: "mirror_percentage must have a max value of 100" / "a min value of 0".
  { path: /^spec\.http\[\](\.mirrorPercentage|\.mirrors\[\]\.percentage)\.value$/, check: percentage(0) },
  // validateOutlierDetection: ValidatePercent(MaxEjectionPercent), ValidatePercent(MinHealthPercent), "not in range 0..100".
  { path: new RegExp(`^${TRAFFIC_POLICY}\\.outlierDetection\\.(maxEjectionPercent|minHealthPercent)$`), check: percentage(0) },
  // validateWeight: "weight %d < 0". Weights need not add up to 100 any more: a destination gets weight/sum.
  {
    path: /^spec\.(http|tcp|tls)\[\]\.route\[\]\.weight$/,
    check: notNegative('a weight is a relative share of the traffic; 0 sends none'),
  },
  // validateHTTPRetry: "attempts cannot be negative".
  { path: /^spec\.http\[\]\.retries\.attempts$/, check: notNegative('write 0 to turn retries off') },
  // validateConnectionPool: "... must be non-negative". Istio reads 0 as unset, so 0 is allowed (no limit).
  {
    path: new RegExp(
      `^${POOL}\\.(http\\.(http1MaxPendingRequests|http2MaxRequests|maxRequestsPerConnection|maxRetries|maxConcurrentStreams)|tcp\\.maxConnections)$`,
    ),
    check: notNegative("0 or leaving it out means Istio's default, no limit"),
  },
  // validateHTTPStatus: "HTTP status %d is not in range 200-599". It lets 600 through by an off-by-one,
  // but Envoy's FaultAbort.http_status is `uint32 {gte: 200, lt: 600}` (envoy fault/v3/fault.proto), so 600 never works.
  { path: /^spec\.http\[\]\.fault\.abort\.httpStatus$/, check: abortStatus },
  // PeerAuthentication CRD: x-kubernetes-validations "portLevelMtls requires selector", rule
  // `(has(self.selector) && has(self.selector.matchLabels) && self.selector.matchLabels.size() > 0) || !has(self.portLevelMtls)`;
  // the webhook says "mesh/namespace peer authentication cannot have port level mTLS".
  { path: /^spec\.portLevelMtls$/, check: portLevelNeedsSelector },
  // validateHTTPRouteMatchRequest → validateStringMatchRegexp(m, "uri" | "scheme" | "method" | "authority" |
  // "headers" | "withoutHeaders" | "queryParams"): compiled with Go's regexp (RE2 syntax), at most 1024 characters.
  { path: /^spec\.http\[\]\.match\[\]\.(uri|scheme|method|authority)\.regex$/, check: re2Pattern },
  { path: /^spec\.http\[\]\.match\[\]\.(headers|withoutHeaders|queryParams)(\.[^.[]+|\[".*"\])\.regex$/, check: re2Pattern },
];

/** A percentage: 0 to 100, and (for Envoy's fractional percentages) 0 or at least `smallest`. */
function percentage(smallest: number): IstioRule['check'] {
  return (value, path, _spec, reporter) => {
    if (typeof value !== 'number') return false;
    if (value >= 0 && value <= 100 && !(value > 0 && value < smallest)) return false;
    reporter.report('PercentageOutOfRange', path, { value });
    return true;
  };
}

function notNegative(meaning: string): IstioRule['check'] {
  return (value, path, _spec, reporter) => {
    if (typeof value !== 'number' || value >= 0) return false;
    reporter.report('NegativeValue', path, { field: path.slice(path.lastIndexOf('.') + 1), value, meaning });
    return true;
  };
}

function abortStatus(value: unknown, path: string, _spec: Record<string, unknown>, reporter: Reporter): boolean {
  if (typeof value !== 'number' || (value >= 200 && value <= 599)) return false;
  reporter.report('AbortStatusOutOfRange', path, { status: value });
  return true;
}

function re2Pattern(value: unknown, path: string, _spec: Record<string, unknown>, reporter: Reporter): boolean {
  // `*` is Istio's spelling of "present" for a header match, not a pattern (see compile/toRouteMatch.ts).
  if (typeof value !== 'string' || value === '*') return false;
  const compiled = compileSafeRegex(value);
  if (compiled.ok) return false;
  const where = /\.match\[\d+\]\.([A-Za-z]+)/.exec(path)?.[1] ?? 'regex';
  reporter.report('RegexRejected', path, { where, error: compiled.error });
  return true;
}

function portLevelNeedsSelector(value: unknown, path: string, spec: Record<string, unknown>, reporter: Reporter): boolean {
  if (value === null || value === undefined) return false;
  const selector = spec['selector'];
  const labels = isMapping(selector) ? selector['matchLabels'] : undefined;
  if (isMapping(labels) && Object.keys(labels).length > 0) return false;
  reporter.report('PortLevelMtlsNeedsSelector', path);
  return true;
}
