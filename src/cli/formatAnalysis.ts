import type { AnalyzeReport } from '../api/index.ts';
import { formatDiagnostic } from './formatDiagnostics.ts';

/** One line per finding, `file:line:col  CODE  severity  message`, with its istioctl / Kiali equivalents. */
export function formatAnalysis(report: AnalyzeReport): string {
  return report.diagnostics
    .map((d) => `${formatDiagnostic(d)}${d.equivalents ? `  [${d.equivalents.join(', ')}]` : ''}`)
    .join('\n');
}

/** The closing line: counts, or istioctl's "no issues". */
export function formatAnalysisSummary(report: AnalyzeReport): string {
  if (report.diagnostics.length === 0) return '✔ No validation issues found.';
  const infos = report.diagnostics.length - report.errors - report.warnings;
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(report.errors, 'error')}, ${plural(report.warnings, 'warning')}, ${plural(infos, 'info')}`;
}
