import {
  type Destination,
  type HTTPMatchRequest,
  type HTTPRoute,
  istioProtocolOf,
  isTcpProxied,
  isTlsProtocol,
  parseDuration,
  type ServicePort,
  type VirtualService,
} from '../../model/index.ts';
import { boundGateways, MESH_GATEWAY } from './gatewayBinding.ts';
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
      report('DestinationServiceUnknown', { resource: vs, path: `${path}.host` }, { host });
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
        report('DestinationPortUnknown', { resource: vs, path: at }, { host, port: resolved.port, cluster: resolved.cluster });
        return;
      }
      if (resolved.subset !== undefined) {
        report('SubsetUndefined', { resource: vs, path: `${path}.subset` }, { host, subset: resolved.subset, cluster: resolved.cluster });
        return;
      }
    }
  };

  const rules = vs.spec.http ?? [];
  let catchAll: number | undefined;
  rules.forEach((rule, i) => {
    const at = `spec.http[${i}]`;
    if (catchAll !== undefined) report('UnreachableRule', { resource: vs, path: at }, { catchAll });
    const ports = portsOf(rule, servedPorts);
    lintAction(ctx, vs, rule, at);
    (rule.route ?? []).forEach((d, j) => checkDestination(d.destination, `${at}.route[${j}].destination`, ports));
    if (rule.mirror) checkDestination(rule.mirror, `${at}.mirror`, ports);
    (rule.mirrors ?? []).forEach((m, k) => checkDestination(m.destination, `${at}.mirrors[${k}].destination`, ports));
    if (catchAll === undefined && matchesEverything(rule)) catchAll = i;
  });
  // tls and tcp rules: a gateway's TCP proxies (buildGatewayL4Routes) and the sidecars' (buildSidecarL4Route).
  for (const section of ['tls', 'tcp'] as const) {
    const l4 = vs.spec[section] ?? [];
    l4.forEach((rule, i) => {
      (rule.route ?? []).forEach((d, j) => checkDestination(d.destination, `spec.${section}[${i}].route[${j}].destination`, []));
      (rule.match ?? []).forEach((m, j) => {
        if ((m.destinationSubnets ?? []).length > 0) report('DestinationSubnetsNotSimulated', { resource: vs, path: `spec.${section}[${i}].match[${j}].destinationSubnets` });
      });
    });
  }
  if (boundGateways(vs).includes(MESH_GATEWAY)) lintSectionsForPorts(ctx, vs, served);
}

/**
 * The sidecars pick a section by the port's protocol (Istio src
 * pilot/pkg/networking/core/listener.go): http rules on HTTP ports, tls
 * rules on HTTPS and TLS ports, tcp rules on other TCP ports. A section
 * for which none of the hosts' ports qualifies is never used.
 */
function lintSectionsForPorts(ctx: RoutingContext, vs: VirtualService, served: ReadonlyArray<{ service: { ports: readonly ServicePort[] } }>): void {
  const ports = served.flatMap((s) => s.service.ports);
  if (ports.length === 0) return;
  const protocols = ports.map((p) => istioProtocolOf(p));
  const listed = [...new Set(ports.map((p, i) => `${p.port} ${protocols[i] === 'UnsupportedProtocol' ? 'unnamed' : protocols[i]}`))].join(', ');
  const report = ctx.diagnostics.report.bind(ctx.diagnostics);
  if ((vs.spec.http?.length ?? 0) > 0 && protocols.every(isTcpProxied)) report('HttpRulesOnTcpPorts', { resource: vs, path: 'spec.http' }, { ports: listed });
  if ((vs.spec.tls?.length ?? 0) > 0 && !protocols.some(isTlsProtocol)) report('L4RulesWithoutPort', { resource: vs, path: 'spec.tls' }, { section: 'tls', ports: listed });
  if ((vs.spec.tcp?.length ?? 0) > 0 && !protocols.some((p) => isTcpProxied(p) && !isTlsProtocol(p))) report('L4RulesWithoutPort', { resource: vs, path: 'spec.tcp' }, { section: 'tcp', ports: listed });
}

function lintAction(ctx: RoutingContext, vs: VirtualService, rule: HTTPRoute, at: string): void {
  const report = ctx.diagnostics.report.bind(ctx.diagnostics);
  const duration = (value: string | undefined, path: string, fallback: string): void => {
    if (value !== undefined && parseDuration(value) === undefined) report('DurationReplaced', { resource: vs, path: path }, { value, fallback });
  };
  if (!rule.redirect && !rule.directResponse && (rule.route ?? []).length === 0) {
    report('RouteWithoutAction', { resource: vs, path: at });
  }
  const code = rule.redirect?.redirectCode;
  if (code && ![301, 302, 303, 307, 308].includes(code)) {
    report('RedirectCodeUnsupported', { resource: vs, path: `${at}.redirect.redirectCode` }, { status: code });
  }
  const route = rule.route ?? [];
  if (route.length > 1 && route.every((d) => (d.weight ?? 0) <= 0)) report('AllWeightsZero', { resource: vs, path: `${at}.route` });
  duration(rule.timeout, `${at}.timeout`, 'no timeout');
  duration(rule.retries?.perTryTimeout, `${at}.retries.perTryTimeout`, 'no per-try timeout');
  duration(rule.retries?.backoff, `${at}.retries.backoff`, 'the 25ms default');
  for (const token of parseRetryOn(rule.retries?.retryOn ?? '').unknown) {
    report('RetryOnUnknown', { resource: vs, path: `${at}.retries.retryOn` }, { token });
  }
  const delay = rule.fault?.delay;
  if (delay && delay.fixedDelay === undefined) {
    report('UnsupportedFault', { resource: vs, path: `${at}.fault.delay` }, { what: 'a delay without fixedDelay' });
  }
  duration(delay?.fixedDelay, `${at}.fault.delay.fixedDelay`, 'no delay');
  const abort = rule.fault?.abort;
  if (abort && abort.httpStatus === undefined) {
    report('UnsupportedFault', { resource: vs, path: `${at}.fault.abort` }, { what: 'an abort without httpStatus (gRPC status)' });
  }
}

/** The service ports a rule can be routed on: its match ports when every block names one. */
function portsOf(rule: HTTPRoute, servedPorts: number[]): number[] {
  const matches = rule.match ?? [];
  if (matches.length === 0 || matches.some((m) => !m.port)) return servedPorts;
  return [...new Set(matches.map((m) => m.port as number))];
}

/** A catch-all for every proxy and port: no match list, or a block with no condition at all besides `/`. */
export function matchesEverything(rule: HTTPRoute): boolean {
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
