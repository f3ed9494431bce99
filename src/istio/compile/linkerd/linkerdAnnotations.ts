import { suggest, type FailureAccrualXds, type Micros, type ObjectMeta, type Resource } from '../../../model/index.ts';
import type { DiagnosticSink } from '../DiagnosticSink.ts';

/** The annotations Linkerd's policy controller reads on a Service or an HTTPRoute (§10.1, §10.2, §10.4). */
export const RETRY_HTTP = 'retry.linkerd.io/http';
export const RETRY_LIMIT = 'retry.linkerd.io/limit';
export const RETRY_TIMEOUT = 'retry.linkerd.io/timeout';
export const RETRY_GRPC = 'retry.linkerd.io/grpc';
export const TIMEOUT_REQUEST = 'timeout.linkerd.io/request';
export const TIMEOUT_RESPONSE = 'timeout.linkerd.io/response';
export const TIMEOUT_IDLE = 'timeout.linkerd.io/idle';
export const ACCRUAL = 'balancer.linkerd.io/failure-accrual';
const ACCRUAL_PREFIX = 'balancer.linkerd.io/failure-accrual-consecutive-';
export const ACCRUAL_MAX_FAILURES = `${ACCRUAL_PREFIX}max-failures`;
export const ACCRUAL_MIN_PENALTY = `${ACCRUAL_PREFIX}min-penalty`;
export const ACCRUAL_MAX_PENALTY = `${ACCRUAL_PREFIX}max-penalty`;
export const ACCRUAL_JITTER = `${ACCRUAL_PREFIX}jitter-ratio`;

const KNOWN = [RETRY_HTTP, RETRY_LIMIT, RETRY_TIMEOUT, RETRY_GRPC, TIMEOUT_REQUEST, TIMEOUT_RESPONSE, TIMEOUT_IDLE, ACCRUAL, ACCRUAL_MAX_FAILURES, ACCRUAL_MIN_PENALTY, ACCRUAL_MAX_PENALTY, ACCRUAL_JITTER];
const LINKERD_PREFIXES = ['retry.linkerd.io/', 'timeout.linkerd.io/', 'balancer.linkerd.io/'];

/** The annotations of this list a resource carries: what a ServiceProfile would silently switch off. */
export function policyAnnotationsOn(meta: ObjectMeta): string[] {
  return KNOWN.filter((name) => name in meta.annotations && name !== RETRY_GRPC);
}

/** Retries, timeouts and failure accrual as annotations say them, with what was wrong reported. */
export interface AnnotationPolicy {
  retry?: { statuses: Array<[number, number]>; limit: number; timeout: Micros };
  timeouts: { request?: Micros; response?: Micros };
  accrual?: FailureAccrualXds;
}

export interface AnnotationSite {
  meta: ObjectMeta;
  diagnostics: DiagnosticSink;
  /** The document, for the annotations' positions. */
  resourceOf: Resource<unknown>;
}

/**
 * Reads Linkerd's annotations the way its policy controller parses them
 * (linkerd2 `policy-controller/k8s/index/src/outbound/index.rs`:
 * `parse_http_retry`, `parse_timeouts`, `parse_accrual_config`): a value it
 * would refuse is reported and the setting left out.
 */
export function readAnnotations(site: AnnotationSite): AnnotationPolicy {
  const a = site.meta.annotations;
  for (const name of Object.keys(a)) {
    if (LINKERD_PREFIXES.some((p) => name.startsWith(p)) && !KNOWN.includes(name) && !name.startsWith('balancer.alpha.linkerd.io/')) {
      const suggestion = suggest(name, KNOWN);
      site.diagnostics.report('LinkerdAnnotationUnknown', { resource: site.resourceOf, path: annotationPath(name) }, { annotation: name, ...(suggestion ? { suggestion } : {}) });
    }
  }
  const bad = (annotation: string, expected: string): undefined => {
    site.diagnostics.report('LinkerdAnnotationInvalid', { resource: site.resourceOf, path: annotationPath(annotation) }, { annotation, value: a[annotation] ?? '', expected });
    return undefined;
  };
  const duration = (annotation: string): Micros | undefined => {
    const text = a[annotation];
    if (text === undefined) return undefined;
    return parseLinkerdDuration(text) ?? bad(annotation, 'a duration Linkerd reads (a whole number and one of ms, s, m, h, d)');
  };
  const out: AnnotationPolicy = { timeouts: {} };
  const request = duration(TIMEOUT_REQUEST);
  const response = duration(TIMEOUT_RESPONSE);
  if (request) out.timeouts.request = request;
  if (response) out.timeouts.response = response;
  const retry = readRetry(a, duration, bad);
  if (retry) out.retry = retry;
  const accrual = readAccrual(a, duration, bad);
  if (accrual) out.accrual = accrual;
  return out;
}

type Read = (annotation: string) => Micros | undefined;
type Bad = (annotation: string, expected: string) => undefined;

function readRetry(a: Record<string, string>, duration: Read, bad: Bad): AnnotationPolicy['retry'] {
  const limitText = a[RETRY_LIMIT];
  let limit: number | undefined;
  if (limitText !== undefined) {
    limit = /^\d+$/.test(limitText) && Number(limitText) <= 65535 ? Number(limitText) : bad(RETRY_LIMIT, 'a whole number from 0 to 65535');
    if (limit === 0) limit = undefined;
  }
  const timeout = duration(RETRY_TIMEOUT) || undefined;
  const httpText = a[RETRY_HTTP];
  const statuses = httpText === undefined ? undefined : parseStatusConditions(httpText);
  if (httpText !== undefined && !statuses) bad(RETRY_HTTP, 'a comma list of 5xx, gateway-error, a status or a range such as 500-504 (no spaces)');
  if (limit === undefined && timeout === undefined && statuses === undefined) return undefined;
  return { statuses: statuses ?? [], limit: limit ?? 1, timeout: timeout ?? 0 };
}

/** `5xx` → 500–599, `gateway-error` → 502–504, `503`, `500-504`; any other token refuses the whole list, as Linkerd does. */
export function parseStatusConditions(text: string): Array<[number, number]> | undefined {
  const out: Array<[number, number]> = [];
  const code = (s: string): number | undefined => (/^\d+$/.test(s) && Number(s) >= 100 && Number(s) < 600 ? Number(s) : undefined);
  for (const cond of text.split(',')) {
    const lower = cond.toLowerCase();
    if (lower === '5xx') out.push([500, 599]);
    else if (lower === 'gateway-error') out.push([502, 504]);
    else if (code(cond) !== undefined) out.push([code(cond) as number, code(cond) as number]);
    else {
      const dash = cond.indexOf('-');
      const lo = dash < 0 ? undefined : code(cond.slice(0, dash));
      const hi = dash < 0 ? undefined : code(cond.slice(dash + 1));
      if (lo === undefined || hi === undefined || lo > hi) return undefined;
      out.push([lo, hi]);
    }
  }
  return out;
}

function readAccrual(a: Record<string, string>, duration: Read, bad: Bad): FailureAccrualXds | undefined {
  const mode = a[ACCRUAL];
  if (mode === undefined) return undefined;
  if (mode !== 'consecutive') return bad(ACCRUAL, 'consecutive (the mode meshviz simulates)');
  const failuresText = a[ACCRUAL_MAX_FAILURES];
  const maxFailures = failuresText === undefined ? 7 : /^\d+$/.test(failuresText) && Number(failuresText) <= 4_294_967_295 ? Number(failuresText) : bad(ACCRUAL_MAX_FAILURES, 'a whole number');
  const minPenalty = a[ACCRUAL_MIN_PENALTY] === undefined ? 1_000_000 : duration(ACCRUAL_MIN_PENALTY);
  const maxPenalty = a[ACCRUAL_MAX_PENALTY] === undefined ? 60_000_000 : duration(ACCRUAL_MAX_PENALTY);
  const jitterText = a[ACCRUAL_JITTER];
  const jitterRatio = jitterText === undefined ? 0.5 : Number.isFinite(Number(jitterText)) && jitterText.trim() !== '' && Number(jitterText) >= 0 && Number(jitterText) <= 100 ? Math.fround(Number(jitterText)) : bad(ACCRUAL_JITTER, 'a number from 0 to 100');
  if (maxFailures === undefined || minPenalty === undefined || maxPenalty === undefined || jitterRatio === undefined) return undefined;
  if (minPenalty > maxPenalty) return bad(ACCRUAL_MIN_PENALTY, `at most the max penalty (${a[ACCRUAL_MAX_PENALTY] ?? '60s'})`);
  if (maxPenalty === 0) return bad(ACCRUAL_MAX_PENALTY, 'above zero');
  return { maxFailures, minPenalty, maxPenalty, jitterRatio };
}

/** Linkerd's annotation durations: a whole number and one unit (`parse_duration` in the policy controller); `0` alone is zero. */
export function parseLinkerdDuration(text: string): Micros | undefined {
  const match = /^(\d+)(ms|s|m|h|d)?$/.exec(text.trim());
  if (!match) return undefined;
  const magnitude = Number(match[1]);
  const unit = match[2];
  if (unit === undefined) return magnitude === 0 ? 0 : undefined;
  const ms = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[unit] as number;
  const micros = magnitude * ms * 1000;
  return Number.isSafeInteger(micros) ? micros : undefined;
}

function annotationPath(name: string): string {
  return `metadata.annotations[${JSON.stringify(name)}]`;
}
