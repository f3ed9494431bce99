import type { Severity, SourcePos } from '../model/index.ts';
import { analyzeFiles, equivalentsOf } from '../istio/index.ts';
import type { LoadOptions, SourceFile } from '../istio/index.ts';

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

/** Load, compile and analyze files the way `istioctl analyze` does; never throws. */
export function analyze(files: SourceFile[], options: LoadOptions = {}): AnalyzeReport {
  const { diagnostics } = analyzeFiles(files, options);
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
