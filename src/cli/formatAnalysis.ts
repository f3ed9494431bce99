import type { AnalyzeReport } from '../api/index.ts';
import { formatDiagnostic } from './formatDiagnostics.ts';
import { fitLine } from './table.ts';
import type { Layout } from './table.ts';

/**
 * One line per finding, `file:line:col  CODE  severity  message`, with its
 * istioctl / Kiali equivalents; cut to the terminal's width unless `-o wide`.
 */
export function formatAnalysis(report: AnalyzeReport, layout: Layout): string {
  const c = layout.colors;
  const paint = { error: c.red, warning: c.yellow, info: c.cyan };
  return report.diagnostics
    .map((d) => {
      const line = `${formatDiagnostic(d)}${d.equivalents.length ? `  [${d.equivalents.join(', ')}]` : ''}`;
      const fitted = layout.wide ? line : fitLine(line, layout.width);
      return fitted.replace(`  ${d.code}  ${d.severity}  `, `  ${d.code}  ${paint[d.severity](d.severity)}  `);
    })
    .join('\n');
}

/** The closing line: counts, or istioctl's "no issues". */
export function formatAnalysisSummary(report: AnalyzeReport): string {
  if (report.diagnostics.length === 0) return '✔ No validation issues found.';
  const infos = report.diagnostics.length - report.errors - report.warnings;
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(report.errors, 'error')}, ${plural(report.warnings, 'warning')}, ${plural(infos, 'info')}`;
}
