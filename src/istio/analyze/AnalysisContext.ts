import type { ClusterXds, Diagnostic, MeshXds, Resource, Scenario } from '../../model/index.ts';
import { diagnostic, type DiagnosticName, type DiagnosticParams } from '../catalog.ts';
import { buildClusters } from '../compile/buildClusters.ts';
import { createCompileContext, type CompileContext } from '../compile/CompileContext.ts';
import { compileMesh } from '../compile/compileMesh.ts';
import type { IndexedService } from '../compile/ServiceIndex.ts';
import { locate } from '../locate.ts';

/**
 * What every analyzer reads: the scenario, the compiled per-proxy config, and
 * the control plane's own indexes (host resolution, services and their pods,
 * merged DestinationRules, PeerAuthentication precedence), so an analyzer
 * judges the config exactly as the compiler built it.
 */
export interface AnalysisContext extends Pick<CompileContext, 'hosts' | 'services' | 'destinationRules' | 'peerAuthentications'> {
  scenario: Scenario;
  xds: MeshXds;
  /** Every outbound cluster of the mesh (the same for every sidecar), by name. */
  clusters: Record<string, ClusterXds>;
  /** The service a host written in a resource of `namespace` names, if the scenario has it. */
  serviceFor(host: string, namespace: string): IndexedService | undefined;
  /** Whether a host is declared by a ServiceEntry (so "no Service" is not a mistake). */
  isServiceEntryHost(host: string): boolean;
  /** The Sidecar resource scoping a workload's egress (`undefined` when the scenario has none). */
  sidecarScope: CompileContext['sidecarScope'];
}

export function createAnalysisContext(scenario: Scenario, xds: MeshXds = compileMesh(scenario).xds): AnalysisContext {
  const base = createCompileContext(scenario);
  const entryHosts = new Set(scenario.serviceEntries.flatMap((r) => r.spec.hosts ?? []).map((h) => h.toLowerCase()));
  return {
    scenario,
    xds,
    clusters: buildClusters(base).clusters,
    hosts: base.hosts,
    services: base.services,
    destinationRules: base.destinationRules,
    peerAuthentications: base.peerAuthentications,
    serviceFor: (host, namespace) => base.services.get(base.hosts.resolve(host, namespace)),
    isServiceEntryHost: (host) => entryHosts.has(host.toLowerCase()),
    sidecarScope: base.sidecarScope,
  };
}

/** A finding about a field of a resource, built from the catalog. */
export function finding<N extends DiagnosticName>(
  name: N,
  resource: Resource<unknown>,
  path: string | undefined,
  ...params: DiagnosticParams<N>
): Diagnostic {
  return diagnostic(name, locate(resource, path), ...params);
}
