import type { Flavor, Scenario } from '../../model/index.ts';
import { exportScenario } from '../../istio/index.ts';
import type { SourceFile } from '../../istio/index.ts';
import { ApiError } from '../ApiError.ts';
import { translateFromLinkerd } from './translateFromLinkerd.ts';
import { translateToAmbient } from './translateToAmbient.ts';
import { translateToLinkerd } from './translateToLinkerd.ts';
import type { Translation } from './translateToLinkerd.ts';

/** The flavors a scenario written for `from` can be run under: its own, and those `translateScenario` translates it to. */
export function flavorsFrom(from: Flavor): Flavor[] {
  return from === 'istio-ambient' ? ['istio-ambient'] : ['istio', 'linkerd', 'istio-ambient'];
}

/**
 * The scenario as `flavor` configures it (what `meshviz compare` runs):
 * Istio → Linkerd, Istio → ambient, Linkerd → Istio, and Linkerd → ambient
 * through Istio, each with what was carried over and what was not.
 */
export function translateScenario(scenario: Scenario, flavor: Flavor): Translation {
  const from = scenario.simulation.flavor;
  if (from === flavor) return { scenario, translated: [], notTranslated: [] };
  if (from === 'istio' && flavor === 'linkerd') return translateToLinkerd(scenario);
  if (from === 'istio' && flavor === 'istio-ambient') return translateToAmbient(scenario);
  if (from === 'linkerd' && flavor === 'istio') return translateFromLinkerd(scenario);
  if (from === 'linkerd' && flavor === 'istio-ambient') {
    // Through Istio: Linkerd's config as Istio's, then the sidecars as ambient's ztunnels and waypoints.
    const istio = translateFromLinkerd(scenario);
    const ambient = translateToAmbient(istio.scenario);
    return { scenario: ambient.scenario, translated: [...istio.translated, ...ambient.translated], notTranslated: [...istio.notTranslated, ...ambient.notTranslated] };
  }
  throw new ApiError(`compare translates Istio and Linkerd scenarios to other flavors; this scenario's flavor is ${from}`, `compare it with --flavors ${from}, or start from the Istio or Linkerd version of the scenario`);
}

/** `translateScenario` written out as one YAML file (what the visualizer loads to run the scenario under another mesh). */
export function translatedFiles(scenario: Scenario, flavor: Flavor): { files: SourceFile[]; translated: string[]; notTranslated: string[] } {
  const t = translateScenario(scenario, flavor);
  return { files: [{ name: `${scenario.simulation.name || 'scenario'}.${flavor}.yaml`, text: exportScenario(t.scenario) }], translated: t.translated, notTranslated: t.notTranslated };
}
