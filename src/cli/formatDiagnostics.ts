import type { SourcePos } from '../model/index.ts';

/** What a diagnostic line needs (a loader diagnostic, or an analyze finding with `null` for what it lacks). */
export interface DiagnosticLike {
  code: string;
  severity: string;
  message: string;
  resource?: string | null;
  path?: string | null;
  source?: SourcePos | null;
}

/** `file:line:col  CODE  severity  message`, the shape `istioctl analyze` users know. */
export function formatDiagnostic(d: DiagnosticLike): string {
  const at = d.source ? `${d.source.file}:${d.source.line}:${d.source.col}` : d.resource ?? '-';
  const where = d.resource && d.source ? ` (${d.resource}${d.path ? ` ${d.path}` : ''})` : d.path ? ` (${d.path})` : '';
  return `${at}  ${d.code}  ${d.severity}  ${d.message}${where}`;
}
