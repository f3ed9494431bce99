import type { CaseResult, RouteTestReport } from '../api/index.ts';

/** A pass/fail line per case (with why), the rules no case exercised, and the totals. */
export function formatRouteTests(report: RouteTestReport): string {
  const lines = report.cases.flatMap((c) => [caseLine(c), ...c.failures.map((f) => `      ${f}`)]);
  const { exercised, total, percent, unexercised } = report.coverage;
  lines.push('', `coverage: ${exercised} of ${total} VirtualService rule matches exercised (${percent}%)`);
  for (const rule of unexercised) {
    const at = rule.source ? `${rule.source.file}:${rule.source.line}:${rule.source.col}` : '-';
    lines.push(`  not exercised: ${at}  ${rule.resource} ${rule.path}${rule.name ? ` (${rule.name})` : ''}`);
  }
  lines.push(`${report.passed} passed, ${report.failed} failed`);
  return lines.join('\n');
}

function caseLine(c: CaseResult): string {
  const o = c.observed;
  const seen = o ? ` → ${o.status} in ${formatMs(o.durationMs)} from ${o.host ?? '?'}${o.subset ? ` subset ${o.subset}` : ''} via ${o.rule}` : '';
  return `${c.passed ? 'PASS' : 'FAIL'}  ${c.name}${seen}`;
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10}s` : `${Math.round(ms * 10) / 10}ms`;
}
