import { colorsFor } from './color.ts';
import type { Colors } from './color.ts';

/** How text output is laid out: the width to fit, whether to show everything (`-o wide`), and the colours. */
export interface Layout {
  /** Columns available; `Infinity` when nothing should be cut (a pipe or a file). */
  width: number;
  wide: boolean;
  colors: Colors;
}

export interface Column<Row> {
  /** Upper case, as kubectl prints it; `''` in a table without a header line. */
  header: string;
  cell: (row: Row) => string;
  align?: 'left' | 'right';
  /** Cut with an ellipsis when the line is too wide (the widest flexible column first). */
  flex?: boolean;
  /** Shown with `-o wide` only. */
  wide?: boolean;
  /** Colour for a cell, applied after it is padded and cut. */
  style?: (text: string, row: Row) => string;
}

const GAP = '   ';
/** Narrower than this a flexible column is not cut further: the line is cut instead. */
const MIN_FLEX = 12;

/** The width the terminal shows, `COLUMNS` when set, else no limit (a pipe or a file gets whole lines). */
export function outputWidth(stream: { isTTY?: boolean; columns?: number }, env: Record<string, string | undefined> = process.env): number {
  const fromEnv = Number(env['COLUMNS']);
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv;
  return stream.isTTY && stream.columns ? stream.columns : Infinity;
}

/** Characters as a terminal counts them here (no wide CJK or emoji in meshviz's output). */
function width(text: string): number {
  return [...text].length;
}

/** `text` cut to `max` characters, its last one an ellipsis when anything was cut. */
export function ellipsize(text: string, max: number): string {
  if (width(text) <= max) return text;
  return max <= 0 ? '' : `${[...text].slice(0, max - 1).join('')}…`;
}

/**
 * Rows as aligned columns (three spaces apart, as kubectl), fitted to the
 * layout's width: flexible columns are cut with an ellipsis, widest first;
 * `-o wide` adds the wide columns and cuts nothing. A header line when any
 * column has a header.
 */
export function formatTable<Row>(rows: readonly Row[], columns: ReadonlyArray<Column<Row>>, layout: Layout): string[] {
  const shown = columns.filter((c) => layout.wide || !c.wide);
  const withHeader = shown.some((c) => c.header !== '');
  const cells = rows.map((row) => shown.map((c) => c.cell(row)));
  const widths = shown.map((c, i) => Math.max(withHeader ? width(c.header) : 0, ...cells.map((r) => width(r[i] as string))));
  if (!layout.wide) fitWidths(shown, widths, layout.width);
  const line = (texts: string[], style: (c: Column<Row>, text: string) => string): string =>
    texts
      .map((text, i) => {
        const c = shown[i] as Column<Row>;
        const w = widths[i] as number;
        const cut = ellipsize(text, w);
        const padded = i === texts.length - 1 && c.align !== 'right' ? cut : c.align === 'right' ? cut.padStart(w) : cut.padEnd(w);
        return style(c, padded);
      })
      .join(GAP)
      .trimEnd();
  const out = withHeader ? [line(shown.map((c) => c.header), (_, t) => layout.colors.bold(t))] : [];
  rows.forEach((row, r) => out.push(line(cells[r] as string[], (c, t) => (c.style && t.trim() !== '' ? c.style(t, row) : t))));
  return layout.wide ? out : out.map((l) => fitLine(l, layout.width));
}

/** Shrinks the widest flexible column, one character at a time, until the row fits or none can give more. */
function fitWidths<Row>(columns: ReadonlyArray<Column<Row>>, widths: number[], limit: number): void {
  let excess = widths.reduce((a, b) => a + b, 0) + GAP.length * (widths.length - 1) - limit;
  const flexible = columns.flatMap((c, i) => (c.flex ? [i] : []));
  while (excess > 0) {
    const widest = flexible.reduce((best, i) => ((widths[i] as number) > (widths[best] as number) ? i : best), flexible[0] ?? -1);
    if (widest < 0 || (widths[widest] as number) <= MIN_FLEX) return;
    widths[widest] = (widths[widest] as number) - 1;
    excess--;
  }
}

/**
 * One line cut to `limit` visible characters with an ellipsis; colour codes
 * are kept (not counted) and closed at the cut.
 */
export function fitLine(line: string, limit: number): string {
  const parts = line.split(/(\x1b\[[\d;]*m)/);
  const visible = parts.filter((p, i) => i % 2 === 0).join('');
  if (width(visible) <= limit) return line;
  let left = limit - 1;
  let out = '';
  parts.forEach((part, i) => {
    if (i % 2 === 1) out += part;
    else if (left > 0) {
      const kept = [...part].slice(0, left).join('');
      out += kept;
      left -= width(kept);
    }
  });
  return `${out}…${line.includes('\x1b[') ? '\x1b[0m' : ''}`;
}

/** The layout of text on stdout: its width and colours, and whether `-o wide` asked for everything. */
export function stdoutLayout(wide: boolean): Layout {
  return { width: outputWidth(process.stdout), wide, colors: colorsFor(process.stdout) };
}
