import type { Diagnostic, SourcePos } from '../../model/index.ts';
import { diagnostic, type DiagnosticName, type DiagnosticParams } from '../catalog.ts';
import { parentPath } from './fieldPath.ts';

/** Source positions of the fields of one document, keyed by field path. */
export type Positions = Record<string, SourcePos>;

/**
 * Reports diagnostics about one document (or one file) into a shared list,
 * pointing each at the field path it concerns and at that field's place in
 * the YAML. A path with no recorded position falls back to its nearest
 * ancestor that has one, so "missing field spec.host" points at `spec`.
 */
export class Reporter {
  /** `Kind/namespace/name` once the document's metadata is known. */
  resource: string | undefined;
  /** Field paths that already have an error, so a later check does not report them again. */
  readonly errorPaths = new Set<string>();

  constructor(
    private readonly sink: Diagnostic[],
    readonly file: string,
    private readonly positions: Positions,
    private readonly fallback: SourcePos,
  ) {}

  /** A reporter for findings about a whole file (no field positions). */
  static forFile(sink: Diagnostic[], file: string): Reporter {
    return new Reporter(sink, file, Object.create(null) as Positions, { file, line: 1, col: 1 });
  }

  report<N extends DiagnosticName>(name: N, path: string, ...params: DiagnosticParams<N>): void {
    const at = { path, source: this.sourceOf(path), ...(this.resource ? { resource: this.resource } : {}) };
    const found = diagnostic(name, at, ...params);
    if (found.severity === 'error') this.errorPaths.add(path);
    this.sink.push(found);
  }

  /** Like `report`, at an exact source position (YAML parser findings). */
  reportAt<N extends DiagnosticName>(name: N, source: SourcePos, ...params: DiagnosticParams<N>): void {
    this.sink.push(diagnostic(name, { source }, ...params));
  }

  sourceOf(path: string): SourcePos {
    for (let p: string | undefined = path; p !== undefined; p = parentPath(p)) {
      const pos = this.positions[p];
      if (pos) return pos;
    }
    return this.fallback;
  }
}
