import { markdownTable } from 'markdown-table';
import type { DiffChange, DiffReport, DiffRow } from '../api/index.ts';
import { fitLine } from './table.ts';
import type { Layout } from './table.ts';

const FIELD: Record<DiffChange['field'], string> = {
  route: 'route',
  answers: 'answers',
  ok: 'usable answers (1xx–3xx)',
  subsets: 'subset',
  mtls: 'mTLS on the wire',
  authz: 'authorization',
  p50Ms: 'p50',
  p99Ms: 'p99',
  requests: 'requests',
};

/** The headline: how many rows changed and how many break, and what traffic was sent. */
export function diffSummary(r: DiffReport): string {
  const sent = r.traffic === 'simulation' ? "the Simulation's traffic" : 'probes of every source → service port and route match';
  const breaks = r.regressions > 0 ? `, ${r.regressions} break${r.regressions === 1 ? 's' : ''} calls that worked` : '';
  return `${r.rows.length} of ${r.rows.length + r.unchanged} calls change${breaks}; sent through both configs: ${sent} (${r.requests.before.toLocaleString('en-US')} → ${r.requests.after.toLocaleString('en-US')} requests, retries and app calls included)`;
}

/** One block per changed row, most severe first: severity, call and route, then each change `before → after`. */
export function formatDiff(r: DiffReport, layout: Layout): string {
  const c = layout.colors;
  const fit = (line: string): string => (layout.wide ? line : fitLine(line, layout.width));
  const lines = [diffSummary(r)];
  for (const row of r.rows) {
    const severity = row.severity.toUpperCase().padEnd(8);
    lines.push('', fit(`${row.severity === 'breaks' ? c.red(severity) : row.severity === 'fixes' ? c.green(severity) : c.yellow(severity)}  ${callOf(row)}  ${row.request}`));
    const width = Math.max(...row.changes.map((ch) => FIELD[ch.field].length));
    for (const ch of row.changes) lines.push(fit(`          ${FIELD[ch.field].padEnd(width)}  ${ch.before} → ${ch.after}`));
  }
  return lines.join('\n');
}

/** A comment for a pull request: a heading, one table row per changed call, the traffic that was sent. */
export function diffMarkdown(r: DiffReport): string {
  const heading = r.regressions > 0 ? `### ⛔ meshviz diff: ${r.regressions} call${r.regressions === 1 ? '' : 's'} that worked would fail` : r.rows.length > 0 ? '### meshviz diff: behaviour changes, nothing that worked breaks' : '### ✅ meshviz diff: no change in behaviour';
  const parts = [heading, '', diffSummary(r)];
  if (r.rows.length > 0) {
    const rows = r.rows.map((row) => [`**${row.severity}**`, code(callOf(row)), code(row.request), row.changes.map((ch) => `${FIELD[ch.field]}: ${escape(ch.before)} → ${escape(ch.after)}`).join('<br>')]);
    parts.push('', markdownTable([['', 'call', 'request', 'before → after'], ...rows], { align: ['l', 'l', 'l', 'l'] }));
  }
  parts.push('', '<sub>meshviz simulated both configs offline with the same traffic, app behaviour and seed.</sub>');
  return parts.join('\n');
}

function callOf(row: DiffRow): string {
  return `${row.source} → ${row.service}`;
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``.replace(/\|/g, '\\|');
}

function escape(text: string): string {
  return text.replace(/[|<>*_`]/g, (ch) => `\\${ch}`);
}
