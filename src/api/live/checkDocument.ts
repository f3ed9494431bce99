import { replaceInFiles } from '../../istio/index.ts';
import type { DocRef, SourceFile } from '../../istio/index.ts';
import type { Severity } from '../../model/index.ts';
import { analyze } from '../analyze.ts';

/** A finding inside one document, for an editor: its line and column within the document (1-based). */
export interface DocumentFinding {
  line: number;
  col: number;
  code: string;
  severity: Severity;
  message: string;
}

/**
 * Analyzes the files with one document replaced, and keeps the findings
 * that point into that document (or, when the loader could not place a
 * finding, that name its resource). A document that is not in the files is
 * one error at its first line.
 */
export function checkDocument(files: SourceFile[], ref: DocRef, text: string): DocumentFinding[] {
  const body = text.endsWith('\n') ? text : `${text}\n`;
  const edited = replaceInFiles(files, ref, body);
  if (!edited) return [{ line: 1, col: 1, code: 'MV0502', severity: 'error', message: `${ref.kind}/${ref.namespace}/${ref.name} is not in the files` }];
  const index = edited.findIndex((f, i) => f !== files[i]);
  const file = edited[index] as SourceFile;
  const start = file.text.indexOf(body);
  const firstLine = start < 0 ? 1 : file.text.slice(0, start).split('\n').length;
  const lines = body.split('\n').length - 1;
  const resource = `${ref.kind}/${ref.namespace}/${ref.name}`;
  return analyze(edited).diagnostics.flatMap((d) => {
    if (d.source?.file === file.name && d.source.line >= firstLine && d.source.line < firstLine + lines) {
      return [{ line: d.source.line - firstLine + 1, col: d.source.col, code: d.code, severity: d.severity, message: d.message }];
    }
    if (!d.source && d.resource === resource) return [{ line: 1, col: 1, code: d.code, severity: d.severity, message: d.message }];
    return [];
  });
}
