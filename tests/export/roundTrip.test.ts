import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../src/model/index.ts';
import { exportedApiVersion, exportScenario, loadScenario } from '../../src/istio/index.ts';
import { scenarioYaml } from './scenarioArbitrary.ts';

/**
 * The model a scenario file gives, minus what depends on where things were
 * written (source positions, document order numbers) and with Istio
 * apiVersions as export writes them (v1). Namespaces compare as a set:
 * export writes Namespace documents only for namespaces with labels.
 */
function comparable(scenario: Scenario): unknown {
  const plain = JSON.parse(
    JSON.stringify(scenario, (key, value: unknown) => (key === 'source' || key === 'positions' || key === 'order' ? undefined : value)),
  ) as Scenario;
  for (const list of [plain.virtualServices, plain.destinationRules, plain.peerAuthentications, plain.authorizationPolicies, plain.otherResources]) {
    for (const resource of list) resource.apiVersion = exportedApiVersion(resource);
  }
  plain.namespaces.sort((a, b) => (a.name < b.name ? -1 : 1));
  return plain;
}

function roundTrip(name: string, text: string): { before: unknown; after: unknown; exported: string } {
  const loaded = loadScenario([{ name, text }]);
  const exported = exportScenario(loaded.scenario, { sources: [{ name, text }] });
  const reloaded = loadScenario([{ name: 'exported.yaml', text: exported }]);
  // Nothing new to say about the export: warnings the input had (an ambiguous name) may remain.
  const before = new Set(loaded.diagnostics.map((d) => d.code));
  expect(reloaded.diagnostics.filter((d) => d.severity === 'error' || !before.has(d.code))).toEqual([]);
  return { before: comparable(loaded.scenario), after: comparable(reloaded.scenario), exported };
}

describe('load → export → load', () => {
  it.each(['default', 'bookinfo', 'linkerd', 'ambient'])('gives the same model for the built-in %s scenario', (builtIn) => {
    const text = readFileSync(new URL(`../../scenarios/${builtIn}.yaml`, import.meta.url), 'utf8');
    const { before, after } = roundTrip(`${builtIn}.yaml`, text);
    expect(after).toEqual(before);
  });

  it('keeps the mesh config’s localityLbSetting (written into the Simulation’s mesh) and ServiceEntry endpoints', () => {
    const text = ['examples/locality/mesh.yaml', 'examples/locality/simulation.yaml', 'examples/egress/mesh.yaml']
      .map((path) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8'))
      .concat('apiVersion: v1\nkind: ConfigMap\nmetadata: { name: istio, namespace: istio-system }\ndata:\n  mesh: |\n    localityLbSetting: { failover: [{ from: us-east, to: us-west }] }')
      .join('\n---\n');
    const { before, after, exported } = roundTrip('mixed.yaml', text);
    expect(after).toEqual(before);
    expect((after as Scenario).mesh.localityLbSetting).toEqual({ failover: [{ from: 'us-east', to: 'us-west' }] });
    expect(exported).toContain('localityLbSetting:');
  });

  it.each(['examples/canary/podinfo.yaml', 'examples/canary/rollouts-demo.yaml'])('keeps the Flagger Canary and the Argo Rollout of %s: the same rollouts, documents and all', (path) => {
    const text = readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
    const { before, after, exported } = roundTrip(path, text);
    expect(after).toEqual(before);
    const kind = path.includes('podinfo') ? 'Canary' : 'Rollout';
    expect(exported).toContain(`apiVersion: ${kind === 'Canary' ? 'flagger.app/v1beta1' : 'argoproj.io/v1alpha1'}\nkind: ${kind}\n`);
    const rollouts = (after as Scenario)[kind === 'Canary' ? 'rollouts' : 'argoRollouts'];
    expect(rollouts).toHaveLength(1);
    expect(rollouts[0]?.document?.kind).toBe(kind);
  });

  it('gives the same model for generated scenarios, and exporting again changes nothing', () => {
    fc.assert(
      fc.property(scenarioYaml, (text) => {
        const loaded = loadScenario([{ name: 'g.yaml', text }]);
        fc.pre(!loaded.diagnostics.some((d) => d.severity === 'error'));
        const { before, after, exported } = roundTrip('g.yaml', text);
        expect(after).toEqual(before);
        const again = exportScenario(loadScenario([{ name: 'exported.yaml', text: exported }]).scenario);
        expect(again).toBe(exportScenario(loadScenario([{ name: 'exported.yaml', text: exported }]).scenario, { sources: [] }));
      }),
      { numRuns: 100 },
    );
  }, 60_000);
});

