import { backoffWindows, formatDuration, parseDuration, retryBackoff, type Diagnostic, type HTTPRoute, type Micros, type VirtualService } from '../../model/index.ts';
import type { Analyzer } from './Analyzer.ts';
import { finding } from './AnalysisContext.ts';

/**
 * A route timeout shorter than the retries it covers: the route timeout runs
 * across every try and back-off (§1.3), so with `timeout` < tries ×
 * `perTryTimeout` + back-off, the last tries never happen and the client gets
 * 504 UT. Back-off is counted at its upper bound, the jitter window the
 * proxy draws each retry's wait from (`backoffWindows`, §1.4).
 */
/** More than the retries it takes any back-off window to reach its max (10 × base: five doublings). */
const DISTINCT_WINDOWS = 64;

export const timeoutBelowRetries: Analyzer = {
  name: 'timeoutBelowRetries',
  run(ctx) {
    return ctx.scenario.virtualServices.flatMap((vs) => (vs.spec.http ?? []).flatMap((rule, i) => check(vs, rule, i)));
  },
};

function check(vs: VirtualService, rule: HTTPRoute, index: number): Diagnostic[] {
  const timeout = duration(rule.timeout);
  const perTry = duration(rule.retries?.perTryTimeout);
  const attempts = rule.retries?.attempts ?? 0;
  if (!timeout || !perTry || attempts <= 0) return [];
  // The windows grow to the back-off's max within a few retries and stay there, so the first few are
  // worked out one by one and the rest counted (attempts: 1000000000 once built a billion-entry array).
  const waits = backoffWindows(retryBackoff(duration(rule.retries?.backoff)), Math.min(attempts, DISTINCT_WINDOWS));
  const last = waits.at(-1) ?? 0;
  const tries = 1 + attempts;
  const backoff = waits.reduce((a, b) => a + b, 0) + (attempts - waits.length) * last;
  const needed = tries * perTry + backoff;
  if (timeout >= needed) return [];
  let fit = 0;
  let spent = 0;
  while (fit < Math.min(tries, waits.length) && spent + perTry <= timeout) {
    spent += perTry + (waits[fit] ?? 0);
    fit += 1;
  }
  if (fit === waits.length && fit < tries && spent + perTry <= timeout) {
    fit += Math.min(tries - fit, Math.floor((timeout - perTry - spent) / (perTry + last)) + 1);
  }
  const outcome = `when tries run to their per-try timeout, only ${fit} fit${fit === 1 ? 's' : ''} and try ${fit + 1} is cut short`;
  return [
    finding('TimeoutBelowRetries', vs, `spec.http[${index}].timeout`, {
      timeout: formatDuration(timeout),
      tries,
      perTry: formatDuration(perTry),
      backoff: formatDuration(backoff),
      needed: formatDuration(needed),
      outcome,
    }),
  ];
}

function duration(text: string | undefined): Micros | undefined {
  return text === undefined ? undefined : parseDuration(text);
}
