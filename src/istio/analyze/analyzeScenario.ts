import type { Diagnostic, MeshXds, Scenario } from '../../model/index.ts';
import { catalog, type DiagnosticName } from '../catalog.ts';
import { compileMesh } from '../compile/compileMesh.ts';
import { loadScenario, type LoadOptions, type SourceFile } from '../load/loadScenario.ts';
import { createAnalysisContext } from './AnalysisContext.ts';
import type { Analyzer } from './Analyzer.ts';
import { ANALYZERS } from './analyzers.ts';
import { sortDiagnostics } from './sortDiagnostics.ts';

/** Runs the analyzers over a loaded scenario (compiled here unless `xds` is given). */
export function analyzeScenario(scenario: Scenario, xds?: MeshXds, analyzers: readonly Analyzer[] = ANALYZERS): Diagnostic[] {
  const ctx = createAnalysisContext(scenario, xds);
  const flavor = scenario.simulation.flavor;
  return analyzers.filter((a) => (a.flavors ?? ['istio', 'istio-ambient']).includes(flavor)).flatMap((analyzer) => analyzer.run(ctx));
}

export interface AnalysisResult {
  scenario: Scenario;
  /** Sorted: by file, line, column, code. */
  diagnostics: Diagnostic[];
}

/**
 * What `meshviz analyze` reports, like `istioctl analyze` on files: the
 * loader's findings (YAML, CRD schemas, unknown fields and kinds), the
 * compiler's (what it had to ignore or replace) and every analyzer's. Where
 * an analyzer restates a compiler finding in its own terms, only the
 * analyzer's is kept. Never throws.
 */
export function analyzeFiles(files: SourceFile[], options: LoadOptions = {}): AnalysisResult {
  const loaded = loadScenario(files, options);
  const names = files.map((f) => f.name);
  try {
    const compiled = compileMesh(loaded.scenario);
    const replaced = new Set<string>(ANALYZERS.flatMap((a) => (a.replaces ?? []).map((name: DiagnosticName) => catalog[name].code)));
    const found = [
      ...loaded.diagnostics,
      ...compiled.diagnostics.filter((d) => !replaced.has(d.code)),
      ...analyzeScenario(loaded.scenario, compiled.xds),
    ];
    return { scenario: loaded.scenario, diagnostics: sortDiagnostics(found, names) };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    const internal: Diagnostic = { code: catalog.InternalError.code, severity: 'error', message: `internal error while analyzing: ${detail}` };
    return { scenario: loaded.scenario, diagnostics: sortDiagnostics([...loaded.diagnostics, internal], names) };
  }
}

/** The `istioctl analyze` / Kiali codes a catalog code corresponds to, if any. */
export function equivalentsOf(code: string): readonly string[] {
  const entry = Object.values(catalog).find((e) => e.code === code) as { equivalents?: readonly string[] } | undefined;
  return entry?.equivalents ?? [];
}
