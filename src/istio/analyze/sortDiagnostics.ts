import type { Diagnostic } from '../../model/index.ts';

/**
 * Diagnostics in a stable order: by file (in the order the files were given),
 * line, column, code, then message; findings without a position last, by
 * resource. Exact duplicates are dropped.
 */
export function sortDiagnostics(diagnostics: readonly Diagnostic[], files: readonly string[]): Diagnostic[] {
  const fileIndex = new Map(files.map((name, index) => [name, index]));
  const seen = new Set<string>();
  const unique = diagnostics.filter((d) => {
    const key = JSON.stringify([d.code, d.source, d.resource, d.path, d.message]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const text = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return unique.sort((a, b) => {
    if (a.source && b.source) {
      const fa = fileIndex.get(a.source.file) ?? files.length;
      const fb = fileIndex.get(b.source.file) ?? files.length;
      return fa - fb || text(a.source.file, b.source.file) || a.source.line - b.source.line || a.source.col - b.source.col ||
        text(a.code, b.code) || text(a.message, b.message);
    }
    if (a.source || b.source) return a.source ? -1 : 1;
    return text(a.resource ?? '', b.resource ?? '') || text(a.code, b.code) || text(a.message, b.message);
  });
}
