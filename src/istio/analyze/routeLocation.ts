import type { RouteXds } from '../../model/index.ts';
import type { DiagnosticLocation } from '../catalog.ts';
import { locate, resourceRef } from '../locate.ts';
import type { AnalysisContext } from './AnalysisContext.ts';

/**
 * The VirtualService rule a compiled route came from, as a diagnostic
 * location, pointing at `field` of the rule when the rule sets it. Undefined
 * for default routes and for a rule without that field.
 */
export function routeLocation(ctx: AnalysisContext, route: RouteXds, field: 'retries' | 'timeout'): DiagnosticLocation | undefined {
  const origin = route.origin;
  if (origin.kind !== 'virtualService') return undefined;
  const vs = ctx.scenario.virtualServices.find((v) => resourceRef(v) === origin.resource);
  const rule = vs?.spec.http?.[origin.ruleIndex];
  if (!vs || !rule || rule[field] === undefined) return undefined;
  return locate(vs, `spec.http[${origin.ruleIndex}].${field}`);
}
