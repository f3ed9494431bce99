import type { RouteXds, Scenario, MeshXds, TrafficSpec } from '../../model/index.ts';
import { routeLabel } from './routeLabel.ts';

export interface ProbeOptions {
  /** Also one probe per VirtualService route match each source's sidecar has, with a request made to match it. */
  routes: boolean;
  /** Requests per probe (default 100), sent at 20 per second. */
  requests?: number;
  /** Only these sources (workload names, or `external`). */
  from?: ReadonlySet<string>;
  /** Only these services (`fqdn`). */
  to?: ReadonlySet<string>;
}

/**
 * Traffic that asks every source what the mesh does with its calls: from
 * every workload with pods (and `external`) to every port of every Service
 * but its own, `GET /`; with `routes`, also a request shaped to match each
 * route of the source's sidecar (its exact or prefix path, its method, its
 * exact or prefix headers; a regex match is left to the traffic that
 * reaches it).
 */
export function probeTraffic(scenario: Scenario, xds: MeshXds, options: ProbeOptions): TrafficSpec[] {
  const requests = options.requests ?? 100;
  const load = { kind: 'open' as const, rps: 20, duration: Math.ceil((requests / 20) * 1_000_000) };
  const probes: TrafficSpec[] = [];
  const sources = [...new Set(scenario.workloads.filter((w) => scenario.pods.some((p) => p.workload === w.name && p.namespace === w.namespace)).map((w) => w.name)), 'external'];
  for (const from of sources) {
    if (options.from && !options.from.has(from)) continue;
    const workload = scenario.workloads.find((w) => w.name === from);
    const pod = scenario.pods.find((p) => p.workload === from);
    const proxy = pod ? xds.proxies[pod.name] : undefined;
    for (const service of scenario.services) {
      const host = `${service.name}.${service.namespace}.svc.${scenario.mesh.clusterDomain}`;
      if (options.to && !options.to.has(host)) continue;
      const own = workload !== undefined && workload.namespace === service.namespace && Object.entries(service.selector).length > 0 && Object.entries(service.selector).every(([k, v]) => workload.labels[k] === v);
      if (own) continue;
      for (const { port } of service.ports) {
        const base = { from, host, port, method: 'GET', headers: {}, load, start: 0 };
        probes.push({ ...base, name: `${from} → ${service.name}:${port} /`, path: '/' });
        if (!options.routes || !proxy) continue;
        const seen = new Set(['GET / {}']);
        for (const route of proxy.virtualHosts[`${host}:${port}`]?.routes ?? []) {
          const request = requestFor(route);
          const key = request && `${request.method} ${request.path} ${JSON.stringify(request.headers)}`;
          if (!request || !key || seen.has(key)) continue;
          seen.add(key);
          probes.push({ ...base, ...request, name: `${from} → ${service.name}:${port} ${routeLabel(route)}` });
        }
      }
    }
  }
  return probes;
}

/** A request the route's match accepts, or undefined when one cannot be written down simply (a regex, a query parameter). */
function requestFor(route: RouteXds): { path: string; method: string; headers: Record<string, string> } | undefined {
  if (route.origin.kind !== 'virtualService') return undefined;
  const { path, headers, queryParams } = route.match;
  if (queryParams.length > 0 || path?.kind === 'regex') return undefined;
  const out = { path: path?.value || '/', method: 'GET', headers: {} as Record<string, string> };
  for (const h of headers) {
    if (h.invert) continue;
    if (h.matcher.kind === 'regex') return undefined;
    if (h.name === ':method') out.method = h.matcher.value;
    else if (!h.name.startsWith(':')) out.headers[h.name] = h.matcher.value;
  }
  return out;
}
