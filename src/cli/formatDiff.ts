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
  rollout: 'during the rollout',
};

/** The headline: how many rows changed and how many break, and what traffic was sent. */
export function diffSummary(r: DiffReport): string {
  const sent = r.traffic === 'simulation' ? "the Simulation's traffic" : 'probes of every source → service port and route match';
  const breaks = r.regressions > 0 ? `, ${r.regressions} break${r.regressions === 1 ? 's' : ''} calls that worked` : '';
  return `${r.rows.length} of ${r.rows.length + r.unchanged} calls change${breaks}; sent through both configs: ${sent} (${r.requests.before.toLocaleString('en-US')} → ${r.requests.after.toLocaleString('en-US')} requests, retries and app calls included)`;
}

/** How the change was pushed onto the running BEFORE, and what failed on the way; undefined when AFTER changes no document. */
export function rolloutSummary(r: DiffReport): string | undefined {
  const ro = r.rollout;
  if (!ro) return undefined;
  const pushes = ro.pushes.map((p) => (p.refused ? `${p.documents} refused (${p.refused})` : `${p.documents} ${p.arrivedMs === null ? 'never arrived' : `at +${time(p.arrivedMs)}`}`));
  const gap = ro.pushes.length > 1 ? `, ${time(ro.gapMs)} apart` : '';
  const breaks = ro.breaks > 0 ? `; ${ro.breaks} call${ro.breaks === 1 ? '' : 's'} that worked fail${ro.breaks === 1 ? 's' : ''} on the way` : '; nothing fails on the way';
  const unseen = ro.unobserved > 0 ? ` (${ro.unobserved} state${ro.unobserved === 1 ? '' : 's'} between pushes saw no request)` : '';
  return `rolled out onto the running BEFORE at ${time(ro.applyAtMs)}: ${ro.order}${gap}; a push reaches the proxies ${time(ro.pushDelayMs)} after it is applied (istiod's push delay): ${pushes.join(', ')}${breaks}${unseen}`;
}

/** A line per side that could not send some of the traffic: the first few, each with why. */
export function notSentLines(r: DiffReport): string[] {
  const side = (name: string, list: DiffReport['notSent']['before']): string[] => {
    if (list.length === 0) return [];
    const shown = list.slice(0, NOT_SENT_SHOWN).map((n) => `${n.traffic} (${n.reason})`);
    const more = list.length > NOT_SENT_SHOWN ? ` and ${list.length - NOT_SENT_SHOWN} more (-o json lists them)` : '';
    return [`not sent through ${name}: ${shown.join(', ')}${more}`];
  };
  return [...side('BEFORE', r.notSent.before), ...side('AFTER', r.notSent.after)];
}

const NOT_SENT_SHOWN = 3;

/** One change as `before → after`; a rollout window says how long, when, and between which pushes. */
export function changeText(ch: DiffChange): string {
  const w = ch.window;
  if (!w) return `${ch.before} → ${ch.after}`;
  return `${ch.before} → ${ch.after} for ${time(w.durationMs)}, ${time(w.fromMs)} to ${time(w.toMs)} after apply (${w.arrived} had reached the proxies, ${w.until} not yet; ${w.requests} request${w.requests === 1 ? '' : 's'})`;
}

/** `100 ms`, `1.5 s`. */
function time(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${ms / 1000} s`;
}

/** One block per changed row, most severe first: severity, call and route, then each change `before → after`. */
export function formatDiff(r: DiffReport, layout: Layout): string {
  const c = layout.colors;
  const fit = (line: string): string => (layout.wide ? line : fitLine(line, layout.width));
  const rollout = rolloutSummary(r);
  const lines = [diffSummary(r), ...notSentLines(r).map((line) => fit(c.yellow(line))), ...(rollout ? [fit(rollout)] : [])];
  for (const row of r.rows) {
    const severity = row.severity.toUpperCase().padEnd(8);
    lines.push('', fit(`${row.severity === 'breaks' ? c.red(severity) : row.severity === 'fixes' ? c.green(severity) : c.yellow(severity)}  ${callOf(row)}  ${row.request}`));
    const width = Math.max(...row.changes.map((ch) => FIELD[ch.field].length));
    for (const ch of row.changes) lines.push(fit(`          ${FIELD[ch.field].padEnd(width)}  ${changeText(ch)}`));
  }
  return lines.join('\n');
}

/** A comment for a pull request: a heading, one table row per changed call, the traffic that was sent. */
export function diffMarkdown(r: DiffReport): string {
  const heading = r.regressions > 0 ? `### ⛔ meshviz diff: ${r.regressions} call${r.regressions === 1 ? '' : 's'} that worked would fail` : r.rows.length > 0 ? '### meshviz diff: behaviour changes, nothing that worked breaks' : '### ✅ meshviz diff: no change in behaviour';
  const rollout = rolloutSummary(r);
  const parts = [heading, '', diffSummary(r), ...notSentLines(r).flatMap((line) => ['', `⚠️ ${escape(line)}`]), ...(rollout ? ['', rollout] : [])];
  if (r.rows.length > 0) {
    const rows = r.rows.map((row) => [`**${row.severity}**`, code(callOf(row)), code(row.request), row.changes.map((ch) => `${FIELD[ch.field]}: ${escape(changeText(ch))}`).join('<br>')]);
    parts.push('', markdownTable([['', 'call', 'request', 'before → after'], ...rows], { align: ['l', 'l', 'l', 'l'] }));
  }
  parts.push('', `<sub>meshviz simulated both configs offline with the same traffic, app behaviour and seed${r.rollout ? ', and AFTER applied onto a running BEFORE push by push' : ''}.</sub>`);
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
