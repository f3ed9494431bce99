import type { Scenario } from '../../model/index.ts';
import { DiagnosticSink } from './DiagnosticSink.ts';
import { createHostResolver, type HostResolver } from './HostResolver.ts';
import { type DestinationRuleIndex, indexDestinationRules } from './indexDestinationRules.ts';
import { indexPeerAuthentications, type PeerAuthenticationIndex } from './indexPeerAuthentications.ts';
import { buildServiceIndex, type ServiceIndex } from './ServiceIndex.ts';

/** Everything the compile steps share: the scenario, its indexes and the diagnostics sink. */
export interface CompileContext {
  scenario: Scenario;
  hosts: HostResolver;
  services: ServiceIndex;
  destinationRules: DestinationRuleIndex;
  peerAuthentications: PeerAuthenticationIndex;
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
    diagnostics,
  };
}
