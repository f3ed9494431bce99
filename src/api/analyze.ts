import type { Diagnostic } from '../model/index.ts';
import { analyzeFiles, equivalentsOf } from '../istio/index.ts';
import type { SourceFile } from '../istio/index.ts';

/** A finding as `meshviz analyze` reports it: the diagnostic plus its istioctl / Kiali equivalents. */
export interface AnalyzedDiagnostic extends Diagnostic {
  equivalents?: string[];
}

export interface AnalyzeReport {
  /** Sorted by file, line, column, code. */
  diagnostics: AnalyzedDiagnostic[];
  errors: number;
  warnings: number;
}

/** Load, compile and analyze files the way `istioctl analyze` does; never throws. */
export function analyze(files: SourceFile[]): AnalyzeReport {
  const { diagnostics } = analyzeFiles(files);
  const withEquivalents = diagnostics.map((d): AnalyzedDiagnostic => {
    const equivalents = equivalentsOf(d.code);
    return equivalents.length > 0 ? { ...d, equivalents: [...equivalents] } : d;
  });
  return {
    diagnostics: withEquivalents,
    errors: diagnostics.filter((d) => d.severity === 'error').length,
    warnings: diagnostics.filter((d) => d.severity === 'warning').length,
  };
}
