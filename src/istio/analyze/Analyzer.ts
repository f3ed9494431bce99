import type { Diagnostic, Flavor } from '../../model/index.ts';
import type { DiagnosticName } from '../catalog.ts';
import type { AnalysisContext } from './AnalysisContext.ts';

/**
 * One check over the whole scenario, in the spirit of istioctl's analyzers
 * and Kiali's checkers: pure, one per file, every finding keyed to a field
 * path of the resource concerned.
 */
export interface Analyzer {
  /** The file's name: how tests and `--json` readers refer to it. */
  name: string;
  /** The flavors whose config it judges; absent: Istio's, sidecars and ambient (the resources it reads are Istio's). */
  flavors?: readonly Flavor[];
  /** Compiler findings this analyzer states in its own terms; `analyze` shows only the analyzer's. */
  replaces?: readonly DiagnosticName[];
  run(ctx: AnalysisContext): Diagnostic[];
}
