import { readFileSync } from 'node:fs';
import { DestinationRule, VirtualService } from '@kubernetes-models/istio/networking.istio.io/v1';
import { AuthorizationPolicy, PeerAuthentication } from '@kubernetes-models/istio/security.istio.io/v1';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { exportScenario, loadScenario } from '../../src/istio/index.ts';
import { scenarioYaml } from './scenarioArbitrary.ts';

/** Istio's CRD schemas as `@kubernetes-models/istio` generates them from crd-all.gen.yaml. */
const MODELS: Record<string, (doc: never) => { validate(): void }> = {
  'networking.istio.io/v1 VirtualService': (doc) => new VirtualService(doc),
  'networking.istio.io/v1 DestinationRule': (doc) => new DestinationRule(doc),
  'security.istio.io/v1 PeerAuthentication': (doc) => new PeerAuthentication(doc),
  'security.istio.io/v1 AuthorizationPolicy': (doc) => new AuthorizationPolicy(doc),
};

/** Validates every Istio document of an export; returns what was checked. */
function validateIstio(yaml: string): string[] {
  const checked: string[] = [];
  for (const doc of parseAllDocuments(yaml) as Array<{ toJS(): Record<string, unknown> }>) {
    const value = doc.toJS();
    const group = String(value['apiVersion']);
    if (!group.includes('istio.io')) continue;
    const model = MODELS[`${group} ${String(value['kind'])}`];
    expect(model, `${group} ${String(value['kind'])} should be exported as v1`).toBeDefined();
    model?.(value as never).validate();
    checked.push(`${String(value['kind'])}/${String((value['metadata'] as { name: string }).name)}`);
  }
  return checked;
}

const fixture = (path: string) => ({ name: path, text: readFileSync(new URL(`../${path}`, import.meta.url), 'utf8') });

describe('exported Istio resources are valid against Istio CRD schemas', () => {
  it('for the built-in scenarios and the Bookinfo samples in v1beta1 and v1alpha3', () => {
    const files = [
      fixture('../scenarios/bookinfo.yaml'),
      fixture('../scenarios/default.yaml'),
    ];
    for (const file of files) expect(validateIstio(exportScenario(loadScenario([file]).scenario, { sources: [file] })).length).toBeGreaterThan(0);
    const older = ['fixtures/bookinfo/bookinfo.yaml', 'fixtures/bookinfo/destination-rule-all.yaml', 'fixtures/bookinfo/virtual-service-reviews-test-v2.yaml']
      .map(fixture)
      .map((f) => ({ ...f, text: f.text.replace(/networking\.istio\.io\/v1\b/g, 'networking.istio.io/v1alpha3') }));
    expect(validateIstio(exportScenario(loadScenario(older).scenario, { sources: older }))).toEqual([
      'VirtualService/reviews', 'DestinationRule/productpage', 'DestinationRule/reviews', 'DestinationRule/ratings', 'DestinationRule/details',
    ]);
  });

  it('for generated scenarios', () => {
    fc.assert(
      fc.property(scenarioYaml, (text) => {
        const loaded = loadScenario([{ name: 'g.yaml', text }]);
        fc.pre(!loaded.diagnostics.some((d) => d.severity === 'error'));
        validateIstio(exportScenario(loaded.scenario));
      }),
      { numRuns: 50 },
    );
  }, 60_000);
});
