import type { CaseResult, RouteTestReport } from '../api/index.ts';
import { fitLine } from './table.ts';
import type { Layout } from './table.ts';

/** A pass/fail line per case (with why), the rules no case exercised, and the totals; lines cut to the width unless `-o wide`. */
export function formatRouteTests(report: RouteTestReport, layout: Layout): string {
  const c = layout.colors;
  const fit = (line: string): string => (layout.wide ? line : fitLine(line, layout.width));
  const lines = report.cases.flatMap((k) => [caseLine(k, fit, layout), ...k.failures.map((f) => fit(`      ${f}`))]);
  const { exercised, total, percent, unexercised } = report.coverage;
  lines.push('', `coverage: ${exercised} of ${total} VirtualService rule matches exercised (${percent}%)`);
  for (const rule of unexercised) {
    const at = rule.source ? `${rule.source.file}:${rule.source.line}:${rule.source.col}` : '-';
    lines.push(fit(`  not exercised: ${at}  ${rule.resource} ${rule.path}${rule.name ? ` (${rule.name})` : ''}`));
  }
  lines.push(`${report.passed} passed, ${report.failed} failed`);
  return lines.join('\n').replace(/^(PASS|FAIL)(?=  )/gm, (word) => (word === 'PASS' ? c.green(word) : c.red(word)));
}

function caseLine(k: CaseResult, fit: (line: string) => string, layout: Layout): string {
  const o = k.observed;
  const seen = o ? ` → ${o.status} in ${formatMs(o.durationMs)} from ${o.host ?? '?'}${o.subset ? ` subset ${o.subset}` : ''} via ${o.rule}` : '';
  return fit(`${k.passed ? 'PASS' : 'FAIL'}  ${k.name}${seen}${layout.wide ? `  (${k.at})` : ''}`);
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10}s` : `${Math.round(ms * 10) / 10}ms`;
}
