import type { Scenario } from '../../model/index.ts';
import { DiagnosticSink } from './DiagnosticSink.ts';
import { createHostResolver, type HostResolver } from './HostResolver.ts';
import { type DestinationRuleIndex, indexDestinationRules } from './indexDestinationRules.ts';
import { indexPeerAuthentications, type PeerAuthenticationIndex } from './indexPeerAuthentications.ts';
import type { RouteSource } from './RoutingContext.ts';
import { buildServiceIndex, type ServiceIndex } from './ServiceIndex.ts';
import { createSidecarScopes, type SidecarScope } from './sidecarScope.ts';

/** Everything the compile steps share: the scenario, its indexes and the diagnostics sink. */
export interface CompileContext {
  scenario: Scenario;
  hosts: HostResolver;
  services: ServiceIndex;
  destinationRules: DestinationRuleIndex;
  peerAuthentications: PeerAuthenticationIndex;
  /** The Sidecar resource scoping a workload's egress; `undefined` when the scenario has none. */
  sidecarScope: ((source: RouteSource) => SidecarScope | undefined) | undefined;
  diagnostics: DiagnosticSink;
}

export function createCompileContext(scenario: Scenario): CompileContext {
  const diagnostics = new DiagnosticSink();
  const hosts = createHostResolver(scenario);
  return {
    scenario,
    hosts,
    services: buildServiceIndex(scenario, hosts),
    destinationRules: indexDestinationRules(scenario.destinationRules, hosts, diagnostics),
    peerAuthentications: indexPeerAuthentications(
      scenario.peerAuthentications,
      scenario.mesh.rootNamespace,
      diagnostics,
    ),
    sidecarScope: createSidecarScopes(scenario),
    diagnostics,
  };
}
