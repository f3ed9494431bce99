import { describe, expect, it } from 'vitest';
import { colorsFor } from './color.ts';
import { ellipsize, fitLine, formatTable, outputWidth } from './table.ts';
import type { Column, Layout } from './table.ts';

const plain = colorsFor({ isTTY: false }, {});
const layout = (width: number, wide = false): Layout => ({ width, wide, colors: plain });

interface Row {
  name: string;
  count: number;
  note: string;
}
const rows: Row[] = [
  { name: 'api → users-v1', count: 277, note: 'the caller saw 200:272 503:5 over the whole run' },
  { name: 'web → api', count: 1, note: 'ok' },
];
const columns: Array<Column<Row>> = [
  { header: 'EDGE', cell: (r) => r.name },
  { header: 'N', cell: (r) => String(r.count), align: 'right' },
  { header: 'EXTRA', cell: () => 'x', wide: true },
  { header: 'NOTE', cell: (r) => r.note, flex: true },
];

describe('formatTable', () => {
  it('aligns columns three spaces apart, numbers to the right, under a header', () => {
    expect(formatTable(rows, columns, layout(Infinity))).toEqual([
      'EDGE               N   NOTE',
      'api → users-v1   277   the caller saw 200:272 503:5 over the whole run',
      'web → api          1   ok',
    ]);
  });

  it('cuts the flexible column with an ellipsis to fit the width, never wrapping', () => {
    const lines = formatTable(rows, columns, layout(40));
    expect(lines[1]).toBe('api → users-v1   277   the caller saw 2…');
    expect(lines.every((l) => [...l].length <= 40)).toBe(true);
  });

  it('-o wide shows the wide columns and cuts nothing', () => {
    expect(formatTable(rows, columns, layout(40, true))[1]).toBe('api → users-v1   277   x       the caller saw 200:272 503:5 over the whole run');
  });

  it('cuts the whole line when the flexible columns cannot give enough', () => {
    const lines = formatTable(rows, columns, layout(24));
    expect(lines[1]).toBe('api → users-v1   277   …');
    expect(lines.every((l) => [...l].length <= 24)).toBe(true);
  });

  it('colours cells after cutting them, so colour codes never count toward the width', () => {
    const red = colorsFor({ isTTY: false }, { FORCE_COLOR: '1' });
    const styled: Array<Column<Row>> = [{ header: '', cell: (r) => r.note, flex: true, style: (t) => red.red(t) }];
    const [first] = formatTable(rows, styled, { width: 20, wide: false, colors: red });
    expect(first).toBe(`\x1b[31mthe caller saw 200:…\x1b[39m`);
  });
});

describe('fitLine and ellipsize', () => {
  it('cut to the limit with an ellipsis; short text is kept', () => {
    expect(ellipsize('abcdef', 4)).toBe('abc…');
    expect(ellipsize('abc', 4)).toBe('abc');
    expect(fitLine('abcdef', 4)).toBe('abc…');
  });

  it('keep colour codes out of the count and close them at the cut', () => {
    expect(fitLine('\x1b[31merror\x1b[39m  message', 8)).toBe('\x1b[31merror\x1b[39m  …\x1b[0m');
    expect(fitLine('\x1b[31mok\x1b[39m', 8)).toBe('\x1b[31mok\x1b[39m');
  });
});

describe('outputWidth', () => {
  it('is the terminal width, COLUMNS when set, and no limit for a pipe', () => {
    expect(outputWidth({ isTTY: true, columns: 120 }, {})).toBe(120);
    expect(outputWidth({ isTTY: true, columns: 120 }, { COLUMNS: '90' })).toBe(90);
    expect(outputWidth({ isTTY: false }, {})).toBe(Infinity);
    expect(outputWidth({ isTTY: false }, { COLUMNS: 'wide' })).toBe(Infinity);
  });
});
