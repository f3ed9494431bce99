import { safeRegexMatches } from '../../model/index.ts';
import type { Diagnostic, HTTPRoute, StringMatch, VirtualService } from '../../model/index.ts';
import { parseRetryOn } from '../compile/toRetryPolicy.ts';
import { resourceRef } from '../locate.ts';
import type { Analyzer } from './Analyzer.ts';
import { finding } from './AnalysisContext.ts';
import { allHops, type Hop } from './callPaths.ts';
import { listText } from './destinationsOf.ts';

/** Methods a retry can run twice with different results (RFC 9110 §9.2.2: not idempotent). */
const NON_IDEMPOTENT = ['POST', 'PATCH'];

/** Conditions that fire after the upstream may already have handled the request (§1.2); connect-failure and refused-stream do not. */
const AFTER_PROCESSING = ['5xx', 'gateway-error', 'reset', 'retriable-4xx', 'retriable-status-codes', 'retriable-headers'];

/**
 * Retries on conditions such as `5xx` for POST and PATCH: Envoy does not look
 * at the method, so a request the upstream already processed (and then failed
 * or reset) is sent again. Non-idempotent methods come from the rule's own
 * `match.method`, or from the Simulation's calls and traffic that take the rule.
 */
export const retryNonIdempotent: Analyzer = {
  name: 'retryNonIdempotent',
  run(ctx) {
    const hops = allHops(ctx);
    return ctx.scenario.virtualServices.flatMap((vs) =>
      (vs.spec.http ?? []).flatMap((rule, i) => check(vs, rule, i, hops)),
    );
  },
};

function check(vs: VirtualService, rule: HTTPRoute, index: number, hops: Hop[]): Diagnostic[] {
  const retries = rule.retries;
  if (!retries?.retryOn || (retries.attempts ?? 0) <= 0) return [];
  const parsed = parseRetryOn(retries.retryOn);
  const conditions = [
    ...parsed.retryOn.filter((c) => AFTER_PROCESSING.includes(c) && (c !== 'retriable-status-codes' || parsed.statusCodes.length > 0)),
    ...parsed.statusCodes.map(String),
  ].filter((c) => c !== 'retriable-status-codes');
  if (conditions.length === 0) return [];
  const matched = NON_IDEMPOTENT.filter((m) => (rule.match ?? []).some((block) => block.method && methodMatches(block.method, m)));
  const ref = resourceRef(vs);
  const senders = hops.filter(
    (hop) =>
      NON_IDEMPOTENT.includes(hop.request.method.toUpperCase()) &&
      hop.routes.some((r) => r.origin.kind === 'virtualService' && r.origin.resource === ref && r.origin.ruleIndex === index),
  );
  const methods = [...new Set([...matched, ...senders.map((h) => h.request.method.toUpperCase())])].sort();
  if (methods.length === 0) return [];
  const why = matched.length > 0
    ? `this rule matches method ${listText(matched)}`
    : `${listText([...new Set(senders.map((h) => h.caller))].sort())} send${senders.length === 1 ? 's' : ''} it through this rule in the Simulation`;
  return [finding('RetryNonIdempotent', vs, `spec.http[${index}].retries.retryOn`, { methods: listText(methods), conditions: conditions.join(','), why })];
}

function methodMatches(match: StringMatch, method: string): boolean {
  if (match.exact !== undefined) return match.exact.toUpperCase() === method;
  if (match.prefix !== undefined) return method.startsWith(match.prefix.toUpperCase());
  if (match.regex !== undefined) return safeRegexMatches(match.regex, method);
  return false;
}
