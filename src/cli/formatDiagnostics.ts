import type { Diagnostic } from '../model/index.ts';

/** `file:line:col  CODE  severity  message`, the shape `istioctl analyze` users know. */
export function formatDiagnostic(d: Diagnostic): string {
  const at = d.source ? `${d.source.file}:${d.source.line}:${d.source.col}` : d.resource ?? '-';
  const where = d.resource && d.source ? ` (${d.resource}${d.path ? ` ${d.path}` : ''})` : d.path ? ` (${d.path})` : '';
  return `${at}  ${d.code}  ${d.severity}  ${d.message}${where}`;
}
