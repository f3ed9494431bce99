import type { Diagnostic } from '../model/index.ts';
import { exportScenario, loadScenario } from '../istio/index.ts';
import type { SourceFile } from '../istio/index.ts';

export type ExportResult = { ok: true; yaml: string; diagnostics: Diagnostic[] } | { ok: false; diagnostics: Diagnostic[] };

/**
 * Loads files and writes the scenario back as canonical YAML (comments from
 * the files kept where the YAML allows). A scenario with errors is not
 * exported: resources left out by the loader would silently disappear.
 */
export function exportFiles(files: SourceFile[]): ExportResult {
  const { scenario, diagnostics } = loadScenario(files);
  if (diagnostics.some((d) => d.severity === 'error')) return { ok: false, diagnostics };
  return { ok: true, yaml: exportScenario(scenario, { sources: files }), diagnostics };
}
