import type { ExpectationResult } from '../api/index.ts';
import { fitLine } from './table.ts';
import type { Layout } from './table.ts';

/** `PASS  condition  (measured …)` per condition, then the totals; lines cut to the width unless `-o wide`. */
export function formatExpectations(results: readonly ExpectationResult[], layout: Layout): string {
  const c = layout.colors;
  const fit = (line: string): string => (layout.wide ? line : fitLine(line, layout.width));
  const lines = results.map((r) => {
    const at = layout.wide && r.source ? `  (${r.source.file}:${r.source.line}:${r.source.col})` : '';
    return fit(`${r.passed ? 'PASS' : 'FAIL'}  ${r.expectation}  measured ${r.measured}${at}`);
  });
  const failed = results.filter((r) => !r.passed).length;
  lines.push(`expectations: ${results.length - failed} passed, ${failed} failed`);
  return lines.join('\n').replace(/^(PASS|FAIL)(?=  )/gm, (word) => (word === 'PASS' ? c.green(word) : c.red(word)));
}
