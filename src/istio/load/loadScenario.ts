import type { Diagnostic, Scenario } from '../../model/index.ts';
import { diagnostic } from '../catalog.ts';
import { assembleScenario, emptyScenario } from './assembleScenario.ts';
import { DEFAULT_MAX_FILE_BYTES, readYamlFile, utf8Length, type RawDocument } from './readYamlFile.ts';

/** One input file: its name (used in diagnostics) and its text, decoded as UTF-8. */
export interface SourceFile {
  name: string;
  text: string;
}

/** The scenario (possibly empty) and every finding; callers treat any `error` as fatal. */
export interface LoadResult {
  scenario: Scenario;
  diagnostics: Diagnostic[];
}

export interface LoadOptions {
  /** Files larger than this many UTF-8 bytes are refused (default 5 MiB). */
  maxFileBytes?: number;
  /** Files past this many UTF-8 bytes in all are refused (default 32 MiB). */
  maxTotalBytes?: number;
  /** The file whose Simulation document the scenario takes; the other files' are left aside (`diff --traffic FILE`). */
  simulationFile?: string;
}

/** The most one scenario may be in all: parsing costs about 35 times the text in memory (32 MiB ≈ 1.1 GB). */
export const DEFAULT_MAX_TOTAL_BYTES = 32 * 1024 * 1024;

/**
 * Loads a scenario from multi-document YAML files: Kubernetes and Istio
 * manifests as users have them, plus an optional `Simulation` document.
 * Never throws: whatever is wrong with the input becomes a diagnostic with a
 * stable code, the resource, the field path and the file position.
 */
export function loadScenario(files: SourceFile[], options: LoadOptions = {}): LoadResult {
  const diagnostics: Diagnostic[] = [];
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const maxTotalBytes = options.maxTotalBytes ?? DEFAULT_MAX_TOTAL_BYTES;
  try {
    const documents: RawDocument[] = [];
    let total = 0;
    for (const file of files) {
      total += file.text.length > maxTotalBytes ? file.text.length : utf8Length(file.text);
      if (total > maxTotalBytes) {
        diagnostics.push(diagnostic('TotalTooLarge', { source: { file: file.name, line: 1, col: 1 } }, { bytes: total, limit: maxTotalBytes }));
        break;
      }
      try {
        documents.push(...readYamlFile(file, maxFileBytes, diagnostics));
      } catch (error) {
        diagnostics.push(internalError(error, file.name));
      }
    }
    const scenario = assembleScenario(documents, diagnostics, options.simulationFile);
    return { scenario, diagnostics: inReadingOrder(diagnostics, files) };
  } catch (error) {
    diagnostics.push(internalError(error));
    return { scenario: emptyScenario(), diagnostics };
  }
}

/** Sorts findings as a reader meets them: by file (in the order given), line, column. */
function inReadingOrder(diagnostics: Diagnostic[], files: SourceFile[]): Diagnostic[] {
  const fileIndex = new Map(files.map((file, index) => [file.name, index]));
  const key = (d: Diagnostic): [number, number, number] =>
    d.source ? [fileIndex.get(d.source.file) ?? files.length, d.source.line, d.source.col] : [files.length + 1, 0, 0];
  return diagnostics
    .map((d) => ({ d, k: key(d) }))
    .sort((a, b) => a.k[0] - b.k[0] || a.k[1] - b.k[1] || a.k[2] - b.k[2])
    .map(({ d }) => d);
}

/** A bug in meshviz, not in the input: reported like any finding so callers still never see a throw. */
function internalError(error: unknown, file?: unknown): Diagnostic {
  const detail = error instanceof Error ? error.message : String(error);
  const source = typeof file === 'string' ? { source: { file, line: 1, col: 1 } } : {};
  return diagnostic('InternalError', source, { detail });
}
