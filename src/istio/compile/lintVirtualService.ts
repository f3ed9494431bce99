import {
  type Destination,
  type HTTPMatchRequest,
  type HTTPRoute,
  parseDuration,
  type VirtualService,
} from '../../model/index.ts';
import { COMPILE_CODES } from './codes.ts';
import { hostMatches } from './HostResolver.ts';
import type { RoutingContext } from './RoutingContext.ts';
import { resolveDestination } from './resolveDestination.ts';
import { parseRetryOn } from './toRetryPolicy.ts';
import { isCatchAll, toRouteMatch } from './toRouteMatch.ts';

/**
 * Compile-time findings about one VirtualService, each keyed to a field path:
 * destinations with no cluster behind them (unknown service, port or subset),
 * rules that can never match, rules without an action, values the compiler had
 * to replace. Route building itself stays silent; this is where it is said.
 */
export function lintVirtualService(ctx: RoutingContext, vs: VirtualService): void {
  const report = ctx.diagnostics.report.bind(ctx.diagnostics);
  const namespace = vs.metadata.namespace;
  const patterns = (vs.spec.hosts ?? []).map((h) => ctx.hosts.resolve(h, namespace));
  const served = ctx.services.all.filter((s) => patterns.some((p) => hostMatches(p, s.fqdn)));
  const servedPorts = [...new Set(served.flatMap((s) => s.service.ports.map((p) => p.port)))];

  const checkDestination = (destination: Destination, path: string, ports: number[]): void => {
    const host = ctx.hosts.resolve(destination.host, namespace);
    const service = ctx.services.get(host);
    if (!service) {
      report(COMPILE_CODES.destinationServiceUnknown, { host }, vs, `${path}.host`);
      return;
    }
    // Without a port being routed, only a destination whose port is known can be checked.
    const portKnown = destination.port?.number !== undefined || service.service.ports.length === 1;
    for (const listenPort of ports.length > 0 ? ports : portKnown ? [0] : []) {
      const resolved = resolveDestination(ctx, namespace, destination, listenPort);
      if (ctx.clusters[resolved.cluster]) continue;
      // One finding per field is enough, even when several routed ports miss.
      if (!service.service.ports.some((p) => p.port === resolved.port)) {
        const at = destination.port?.number !== undefined ? `${path}.port.number` : path;
        report(COMPILE_CODES.destinationPortUnknown, { host, port: resolved.port, cluster: resolved.cluster }, vs, at);
        return;
      }
      if (resolved.subset !== undefined) {
        report(COMPILE_CODES.subsetUndefined, { host, subset: resolved.subset, cluster: resolved.cluster }, vs, `${path}.subset`);
        return;
      }
    }
  };

  const rules = vs.spec.http ?? [];
  let catchAll: number | undefined;
  rules.forEach((rule, i) => {
    const at = `spec.http[${i}]`;
    if (catchAll !== undefined) report(COMPILE_CODES.unreachableRule, { catchAll }, vs, at);
    const ports = portsOf(rule, servedPorts);
    lintAction(ctx, vs, rule, at);
    (rule.route ?? []).forEach((d, j) => checkDestination(d.destination, `${at}.route[${j}].destination`, ports));
    if (rule.mirror) checkDestination(rule.mirror, `${at}.mirror`, ports);
    (rule.mirrors ?? []).forEach((m, k) => checkDestination(m.destination, `${at}.mirrors[${k}].destination`, ports));
    if (catchAll === undefined && matchesEverything(rule)) catchAll = i;
  });
}

function lintAction(ctx: RoutingContext, vs: VirtualService, rule: HTTPRoute, at: string): void {
  const report = ctx.diagnostics.report.bind(ctx.diagnostics);
  const duration = (value: string | undefined, path: string, fallback: string): void => {
    if (value !== undefined && parseDuration(value) === undefined) report(COMPILE_CODES.invalidDuration, { value, fallback }, vs, path);
  };
  if (!rule.redirect && !rule.directResponse && (rule.route ?? []).length === 0) {
    report(COMPILE_CODES.routeWithoutAction, {}, vs, at);
  }
  const code = rule.redirect?.redirectCode;
  if (code && ![301, 302, 303, 307, 308].includes(code)) {
    report(COMPILE_CODES.redirectCodeUnsupported, { status: code }, vs, `${at}.redirect.redirectCode`);
  }
  const route = rule.route ?? [];
  if (route.length > 1 && route.every((d) => (d.weight ?? 0) <= 0)) report(COMPILE_CODES.allWeightsZero, {}, vs, `${at}.route`);
  duration(rule.timeout, `${at}.timeout`, 'no timeout');
  duration(rule.retries?.perTryTimeout, `${at}.retries.perTryTimeout`, 'no per-try timeout');
  duration(rule.retries?.backoff, `${at}.retries.backoff`, 'the 25ms default');
  for (const token of parseRetryOn(rule.retries?.retryOn ?? '').unknown) {
    report(COMPILE_CODES.retryOnUnknown, { token }, vs, `${at}.retries.retryOn`);
  }
  const delay = rule.fault?.delay;
  if (delay && delay.fixedDelay === undefined) {
    report(COMPILE_CODES.unsupportedFault, { what: 'a delay without fixedDelay' }, vs, `${at}.fault.delay`);
  }
  duration(delay?.fixedDelay, `${at}.fault.delay.fixedDelay`, 'no delay');
  const abort = rule.fault?.abort;
  if (abort && abort.httpStatus === undefined) {
    report(COMPILE_CODES.unsupportedFault, { what: 'an abort without httpStatus (gRPC status)' }, vs, `${at}.fault.abort`);
  }
}

/** The service ports a rule can be routed on: its match ports when every block names one. */
function portsOf(rule: HTTPRoute, servedPorts: number[]): number[] {
  const matches = rule.match ?? [];
  if (matches.length === 0 || matches.some((m) => !m.port)) return servedPorts;
  return [...new Set(matches.map((m) => m.port as number))];
}

/** A catch-all for every proxy and port: no match list, or a block with no condition at all besides `/`. */
function matchesEverything(rule: HTTPRoute): boolean {
  const matches = rule.match ?? [];
  if (matches.length === 0) return true;
  const hasAction = rule.redirect !== undefined || rule.directResponse !== undefined || (rule.route ?? []).length > 0;
  return hasAction && matches.some(isUnconditional);
}

function isUnconditional(match: HTTPMatchRequest): boolean {
  const configTime =
    Boolean(match.port) ||
    Boolean(match.sourceNamespace) ||
    Object.keys(match.sourceLabels ?? {}).length > 0 ||
    (match.gateways ?? []).length > 0;
  return !configTime && isCatchAll(toRouteMatch(match));
}
