import type { Diagnostic, Expectation, Scenario, Severity, SourcePos } from '../model/index.ts';
import { analyzeFiles, catalog, equivalentsOf, readExpectFile, sortDiagnostics } from '../istio/index.ts';
import type { LoadOptions, SourceFile } from '../istio/index.ts';
import { resolveExpectations } from './expect/resolveExpectations.ts';

/**
 * A finding as `meshviz analyze` reports it: every field on every entry
 * (`null` where a diagnostic has no resource, path or position), with its
 * istioctl / Kiali equivalents (empty when neither has the check).
 */
export interface AnalyzedDiagnostic {
  code: string;
  severity: Severity;
  message: string;
  /** `Kind/namespace/name`. */
  resource: string | null;
  /** A field path such as `spec.http[0].route[1].destination.subset`. */
  path: string | null;
  source: SourcePos | null;
  equivalents: string[];
}

export interface AnalyzeReport {
  /** Sorted by file, line, column, code. */
  diagnostics: AnalyzedDiagnostic[];
  errors: number;
  warnings: number;
}

/**
 * Load, compile and analyze files the way `istioctl analyze` does, and
 * check the names in the conditions (the Simulation's `expect:` and
 * `expectFile`'s) as a run resolves them — the same resolver, so analyze
 * and simulate agree on what a name means; never throws.
 */
export function analyze(files: SourceFile[], options: LoadOptions = {}, expectFile?: SourceFile): AnalyzeReport {
  const analyzed = analyzeFiles(files, options);
  const fromFile = expectFile ? readExpectFile(expectFile) : { expectations: [], diagnostics: [] };
  const diagnostics = sortDiagnostics([...analyzed.diagnostics, ...fromFile.diagnostics, ...expectationNames(analyzed.scenario, [...analyzed.scenario.simulation.expect, ...fromFile.expectations])], [...files.map((f) => f.name), ...(expectFile ? [expectFile.name] : [])]);
  return {
    diagnostics: diagnostics.map((d) => ({
      code: d.code,
      severity: d.severity,
      message: d.message,
      resource: d.resource ?? null,
      path: d.path ?? null,
      source: d.source ?? null,
      equivalents: [...equivalentsOf(d.code)],
    })),
    errors: diagnostics.filter((d) => d.severity === 'error').length,
    warnings: diagnostics.filter((d) => d.severity === 'warning').length,
  };
}

function expectationNames(scenario: Scenario, expectations: readonly Expectation[]): Diagnostic[] {
  try {
    return resolveExpectations(scenario, expectations).diagnostics;
  } catch (error) {
    // A scenario that did not load may hold what the resolver never sees in a run: say so rather than throw.
    const detail = error instanceof Error ? error.message : String(error);
    return [{ code: catalog.InternalError.code, severity: 'error', message: `internal error while resolving the expectations' names: ${detail}` }];
  }
}
