import type { Diagnostic, HTTPRouteDestination, VirtualService } from '../../model/index.ts';
import type { Analyzer } from './Analyzer.ts';
import { finding } from './AnalysisContext.ts';

/**
 * Route weights that do not say what they seem to: several destinations whose
 * weights do not add up to 100 (Envoy sends each weight/sum, §2.4), and a
 * single destination with a weight, which is ignored (Kiali KIA1104). All
 * weights 0 is the compiler's MV0309.
 */
export const routeWeights: Analyzer = {
  name: 'routeWeights',
  run(ctx) {
    return ctx.scenario.virtualServices.flatMap(checkWeights);
  },
};

function checkWeights(vs: VirtualService): Diagnostic[] {
  return (vs.spec.http ?? []).flatMap((rule, i) => {
    const route = rule.route ?? [];
    const at = `spec.http[${i}].route`;
    const [only] = route;
    if (route.length === 1 && only?.weight !== undefined && only.weight !== 100) {
      return [finding('SingleDestinationWeight', vs, `${at}[0].weight`, { weight: only.weight })];
    }
    const sum = route.reduce((total, d) => total + (d.weight ?? 0), 0);
    if (route.length < 2 || sum === 100 || sum <= 0) return [];
    const shares = route.map((d) => `${label(d)} ${round((100 * (d.weight ?? 0)) / sum)}%`).join(', ');
    return [finding('WeightsNotHundred', vs, at, { sum, shares })];
  });
}

function label(d: HTTPRouteDestination): string {
  const host = d.destination.host.split('.')[0] ?? d.destination.host;
  return d.destination.subset ? `${host}/${d.destination.subset}` : host;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
