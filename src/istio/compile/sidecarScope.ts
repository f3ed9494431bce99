import { oldestFirst, type OutboundTrafficPolicy, type Scenario, type Sidecar } from '../../model/index.ts';
import { hostMatches } from './HostResolver.ts';
import { matchesLabels } from '../../model/index.ts';
import type { RouteSource } from './RoutingContext.ts';

/** What one Sidecar resource lets a workload's proxy see. */
export interface SidecarScope {
  /** `Sidecar/namespace/name`. */
  resource: string;
  sidecar: Sidecar;
  /** The Sidecar's own `outboundTrafficPolicy`, else the mesh's. */
  mode: OutboundTrafficPolicy;
  /** Whether a service port (its host, the namespace it is declared in, the port) is in the egress hosts. */
  sees(host: string, namespace: string, port: number): boolean;
}

/**
 * The Sidecar resource that applies to a workload, as istiod picks it
 * (Istio src `pilot/pkg/model/push_context.go`, `initSidecarScopes` and
 * `doGetSidecarScope`): in the workload's namespace, oldest first, one whose
 * `workloadSelector` matches its labels, else one without a selector; else
 * the selector-less Sidecar of the root namespace, applied as if it were in
 * the workload's namespace; else none (every service is visible).
 */
export function createSidecarScopes(scenario: Scenario): ((source: RouteSource) => SidecarScope | undefined) | undefined {
  if (scenario.sidecars.length === 0) return undefined;
  const sorted = [...scenario.sidecars].sort(oldestFirst);
  const root = sorted.find((s) => s.metadata.namespace === scenario.mesh.rootNamespace && !s.spec.workloadSelector);
  const cache = new Map<string, SidecarScope | undefined>();
  return (source) => {
    const inNamespace = sorted.filter((s) => s.metadata.namespace === source.namespace);
    const chosen =
      inNamespace.find((s) => s.spec.workloadSelector && matchesLabels(s.spec.workloadSelector.labels ?? {}, source.labels)) ??
      inNamespace.find((s) => !s.spec.workloadSelector) ??
      root;
    if (!chosen) return undefined;
    const key = `${chosen.metadata.namespace}/${chosen.metadata.name}@${source.namespace}`;
    if (!cache.has(key)) cache.set(key, toScope(chosen, source.namespace, scenario.mesh.outboundTrafficPolicy));
    return cache.get(key);
  };
}

interface HostImport {
  /** `*`, or a namespace. */
  namespace: string;
  host: string;
  excluded: boolean;
}

/**
 * Egress hosts as istiod reads them (Istio src `pilot/pkg/model/sidecar.go`):
 * `namespace/dnsName`, `.` for the Sidecar's namespace (the workload's, for
 * the root namespace's default), `*` for any; a `~` prefix excludes. No
 * `egress` means `*\/*`. A listener with a port applies to that port only.
 */
function toScope(sidecar: Sidecar, namespace: string, meshMode: OutboundTrafficPolicy): SidecarScope {
  const listeners = (sidecar.spec.egress?.length ? sidecar.spec.egress : [{ hosts: ['*/*'] }]).map((listener) => ({
    port: listener.port?.number,
    imports: (listener.hosts ?? []).flatMap((text): HostImport[] => {
      if (text.split('/').length !== 2) return [];
      const [rawNs, host] = text.toLowerCase().split('/') as [string, string];
      const excluded = rawNs.startsWith('~');
      const ns = excluded ? rawNs.slice(1) || '*' : rawNs;
      return [{ namespace: ns === '.' ? namespace : ns, host, excluded }];
    }),
  }));
  return {
    resource: `Sidecar/${sidecar.metadata.namespace}/${sidecar.metadata.name}`,
    sidecar,
    mode: sidecar.spec.outboundTrafficPolicy?.mode ?? meshMode,
    sees(host, serviceNamespace, port) {
      return listeners.some((listener) => {
        if (listener.port !== undefined && listener.port !== port) return false;
        const inScope = (i: HostImport) => (i.namespace === '*' || i.namespace === serviceNamespace) && hostMatches(i.host, host);
        if (listener.imports.some((i) => i.excluded && inScope(i))) return false;
        return listener.imports.some((i) => !i.excluded && inScope(i));
      });
    },
  };
}
