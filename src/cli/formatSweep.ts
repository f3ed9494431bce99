import type { Spread, SweepReport } from '../api/index.ts';
import { formatTable } from './table.ts';
import type { Layout } from './table.ts';

type Row = SweepReport['rows'][number];

/** One row per variant; per metric the mean and [min–max] over the seeds, and with -o wide the 95 % interval. */
export function formatSweep(r: SweepReport, layout: Layout): string {
  const cell = (s: Spread | null | undefined): string => {
    if (!s) return '-';
    const range = s.min === s.max ? '' : ` [${n(s.min)}–${n(s.max)}]`;
    const ci = layout.wide && s.ci95 ? ` ci ${n(s.ci95[0])}–${n(s.ci95[1])}` : '';
    return `${n(s.mean)}${range}${ci}`;
  };
  const lines = [`${r.runs} runs: ${r.rows.length} variant${r.rows.length === 1 ? '' : 's'} × ${r.seeds.length} seed${r.seeds.length === 1 ? '' : 's'} (${seedText(r.seeds)}); mean [min–max] over the seeds${layout.wide ? ', 95 % confidence interval of the mean' : ''}`, ''];
  lines.push(...formatTable<Row>(r.rows, [{ header: 'VARIANT', cell: (row) => row.variant, flex: true }, ...r.metrics.map((m) => ({ header: m.toUpperCase(), cell: (row: Row) => cell(row.spread[m]), align: 'right' as const }))], layout));
  return lines.join('\n');
}

function n(x: number): string {
  return String(Math.round(x * 100) / 100);
}

function seedText(seeds: readonly number[]): string {
  const first = seeds[0];
  const last = seeds.at(-1);
  return seeds.length > 2 && first !== undefined && last !== undefined && last - first === seeds.length - 1 ? `seeds ${first}–${last}` : `seed${seeds.length === 1 ? '' : 's'} ${seeds.join(', ')}`;
}
