import { clusterName, EXTERNAL, type Pod, type RouteXds, type SourcePos } from '../../model/index.ts';
import { resolveServiceAddress } from '../compile/resolveServiceAddress.ts';
import type { AnalysisContext } from './AnalysisContext.ts';
import { routeCandidates, type StaticRequest } from './routeCandidates.ts';

/** One call from a caller to a service, with everything the retry analyzers weigh. */
export interface Hop {
  /** A workload name, or `external`. */
  caller: string;
  /** The service's FQDN and port. */
  host: string;
  port: number;
  request: StaticRequest;
  /** The caller app's own retries for this call (0 for generated traffic). */
  appRetries: number;
  /** Where the call is written in the Simulation document, and its field path there. */
  appSource?: SourcePos;
  appPath?: string;
  /** The routes the caller's sidecar may take; empty without a sidecar. */
  routes: RouteXds[];
  /** Workloads the request can land on. */
  next: string[];
}

const MAX_DEPTH = 10;
const MAX_PATHS = 500;

/**
 * Every call path the Simulation document describes, from each traffic entry
 * (and from each workload with calls that no traffic reaches) down through
 * the apps' calls to a workload that calls nothing more. Routing is taken
 * from the compiled config; a cycle or depth 10 ends a path.
 */
export function callPaths(ctx: AnalysisContext): Hop[][] {
  const { scenario } = ctx;
  const paths: Hop[][] = [];
  const reached = new Set<string>();
  const walk = (path: Hop[], hop: Hop): void => {
    if (paths.length >= MAX_PATHS) return;
    const current = [...path, hop];
    const onward = hop.next.filter((w) => !current.some((h) => h.caller === w) && current.length < MAX_DEPTH);
    onward.forEach((w) => reached.add(w));
    const children = onward.flatMap((w) => callsOf(ctx, w));
    if (children.length === 0) paths.push(current);
    for (const child of children) walk(current, child);
  };
  for (const traffic of scenario.simulation.traffic) {
    const hop = makeHop(ctx, traffic.from, traffic.host, traffic.port, traffic, 0, undefined);
    if (hop) walk([], hop);
  }
  for (const workload of scenario.workloads) {
    if (reached.has(workload.name)) continue;
    for (const hop of callsOf(ctx, workload.name)) walk([], hop);
  }
  return paths;
}

/** The calls a workload's app makes, each with where the caller's sidecar may send it. */
export function callsOf(ctx: AnalysisContext, workload: string): Hop[] {
  const app = ctx.scenario.simulation.workloads[workload];
  return (app?.calls ?? []).flatMap((call, index) => {
    const hop = makeHop(ctx, workload, call.host, call.port, call, call.retries, call.source);
    if (hop) hop.appPath = `spec.workloads.${workload}.calls[${index}]`;
    return hop ?? [];
  });
}

function makeHop(
  ctx: AnalysisContext,
  caller: string,
  dialled: string,
  port: number | undefined,
  request: StaticRequest,
  appRetries: number,
  appSource: SourcePos | undefined,
): Hop | undefined {
  const pod: Pod | undefined = ctx.scenario.pods.find((p) => p.workload === caller);
  const namespace = caller === EXTERNAL ? 'default' : (pod?.namespace ?? 'default');
  const target = resolveServiceAddress(ctx.scenario, namespace, dialled, port);
  if (!target) return undefined;
  const proxy = pod?.sidecar ? ctx.xds.proxies[pod.name] : undefined;
  const virtualHost = proxy?.virtualHosts[`${target.host}:${target.port}`];
  const routes = virtualHost ? routeCandidates(virtualHost.routes, request) : [];
  const clusters = routes.length > 0
    ? routes.flatMap((r) => (r.action.kind === 'route' ? r.action.clusters.map((c) => ctx.clusters[c.cluster]) : []))
    : [ctx.clusters[clusterName(target.port, undefined, target.host)]];
  // An ORIGINAL_DST cluster (PassthroughCluster) reaches only what the address dialled names.
  const address = `${target.host}:${target.port}`;
  const reached = (c: (typeof clusters)[number]) => (c?.originalDestination ? c.endpoints.filter((e) => e.dialled === address) : (c?.endpoints ?? []));
  const pods = new Set(clusters.flatMap((c) => reached(c).map((e) => e.pod)));
  const next = [...new Set(ctx.scenario.pods.filter((p) => pods.has(p.name)).map((p) => p.workload))];
  const hop: Hop = { caller, host: target.host, port: target.port, request, appRetries, routes, next };
  if (appSource) hop.appSource = appSource;
  return hop;
}

/** Every distinct hop of every call path. */
export function allHops(ctx: AnalysisContext): Hop[] {
  return [...new Set(callPaths(ctx).flat())];
}
