import { stringify } from 'yaml';
import type { ConfigChange, Reconfigure } from '../engine/index.ts';
import { compileMesh, loadScenario } from '../istio/index.ts';
import type { SourceFile } from '../istio/index.ts';
import type { MeshXds, Scenario } from '../model/index.ts';

const EDITABLE = new Set(['VirtualService', 'DestinationRule', 'PeerAuthentication', 'AuthorizationPolicy', 'Telemetry']);

/**
 * The control plane for timeline `apply`/`delete`: keeps the user's files
 * plus the changes so far, and on each change loads and compiles the whole
 * set again through the one loading path. Workloads stay as they were: only
 * Istio resources may change mid-run. `compiled` is told each scenario
 * and the config compiled from it.
 */
export function createReconfigure(files: SourceFile[], initial: Scenario, compiled?: (scenario: Scenario, xds: MeshXds) => void): Reconfigure {
  const applied: SourceFile[] = [];
  const deleted: Array<ConfigChange & { kind: 'delete' }> = [];
  return (change) => {
    const kind = change.kind === 'apply' ? String(change.document['kind']) : change.resource.kind;
    if (!EDITABLE.has(kind)) return { error: `only ${[...EDITABLE].join(', ')} can change during a run, not ${kind}` };
    const nextApplied = change.kind === 'apply' ? [...applied, { name: `timeline ${change.path}`, text: stringify(plain(change.document)) }] : applied;
    const nextDeleted = change.kind === 'delete' ? [...deleted, change] : deleted;
    const loaded = loadScenario([...files, ...nextApplied]);
    const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0) return { error: errors.map((d) => `${d.code} ${d.message}${d.path ? ` (${d.path})` : ''}`).join('; ') };
    const scenario = withoutDeleted(loaded.scenario, nextDeleted);
    if (change.kind === 'delete' && countIstio(scenario) === countIstio(withoutDeleted(loaded.scenario, deleted))) {
      return { error: `there is no ${kind}/${change.resource.namespace}/${change.resource.name} to delete` };
    }
    applied.splice(0, applied.length, ...nextApplied);
    deleted.splice(0, deleted.length, ...nextDeleted);
    const running = { ...scenario, pods: initial.pods, workloads: initial.workloads };
    const xds = compileMesh(running).xds;
    compiled?.(running, xds);
    return { xds };
  };
}

function withoutDeleted(scenario: Scenario, deleted: Array<ConfigChange & { kind: 'delete' }>): Scenario {
  const keep = <R extends { kind: string; metadata: { name: string; namespace: string } }>(list: R[]): R[] =>
    list.filter((r) => !deleted.some((d) => d.resource.kind === r.kind && d.resource.name === r.metadata.name && d.resource.namespace === r.metadata.namespace));
  return {
    ...scenario,
    virtualServices: keep(scenario.virtualServices),
    destinationRules: keep(scenario.destinationRules),
    peerAuthentications: keep(scenario.peerAuthentications),
    authorizationPolicies: keep(scenario.authorizationPolicies),
    otherResources: scenario.otherResources.filter((r) => r.kind !== 'Telemetry' || keep([r]).length > 0),
  };
}

function countIstio(s: Scenario): number {
  return s.virtualServices.length + s.destinationRules.length + s.peerAuthentications.length + s.authorizationPolicies.length + s.otherResources.filter((r) => r.kind === 'Telemetry').length;
}

/** The loader hands out null-prototype maps; YAML output wants ordinary objects. */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}
