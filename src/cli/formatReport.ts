import { FATE_LABELS, FATES } from '../telemetry/index.ts';
import type { Fate, FateCounts, SimulationReport } from '../telemetry/index.ts';
import { formatTable } from './table.ts';
import type { Column, Layout } from './table.ts';

type Traffic = SimulationReport['traffic'][number];
type Edge = SimulationReport['edges'][number];
type Call = SimulationReport['calls'][number];
type Ejection = SimulationReport['ejections'][number];
type PodRow = SimulationReport['pods'][number];

/**
 * A readable summary of a `simulate` run: the totals, then one table per view
 * (`-o wide`: more columns). `labels` names the fates (Linkerd's words under
 * `flavor: linkerd`: `LINKERD_FATE_LABELS`).
 */
export function formatReport(r: SimulationReport, layout: Layout, labels: Readonly<Record<Fate, string>> = FATE_LABELS): string {
  const c = layout.colors;
  const codeStyle = (text: string): string => (/(^|\s)(5\d\d|4\d\d|0):/.test(text) ? c.yellow(text) : text);
  const lines: string[] = [];
  if (r.stopped) lines.push(`${r.stopped}; what was simulated so far:`);
  lines.push(`simulated ${(r.durationMs / 1000).toFixed(1)} s (seed ${r.seed}), ${r.events} events`);
  lines.push(`requests: ${r.requests.total}  ${codes(r.requests.byCode)}  flags ${codes(r.requests.byFlags)}${r.requests.unfinished ? `  unfinished ${r.requests.unfinished}` : ''}`);
  lines.push(`fate: ${fates(r.requests.fate, labels)}`);
  lines.push(`retries: ${r.retries}`);
  const table = <Row>(caption: string, rows: readonly Row[], columns: Array<Column<Row>>): void => {
    lines.push('', caption, ...formatTable(rows, columns, layout));
  };
  table<Traffic>('traffic, as its callers saw it', r.traffic, [
    { header: 'TRAFFIC', cell: (t) => t.name, flex: true },
    { header: 'SENT', cell: (t) => String(t.sent), align: 'right' },
    { header: 'DONE', cell: (t) => String(t.completed), align: 'right', wide: true },
    { header: 'CODES', cell: (t) => codes(t.byCode), flex: true, style: codeStyle },
    { header: 'FLAGS', cell: (t) => codes(t.byFlags), flex: true, wide: true },
    { header: 'FATE', cell: (t) => fates(t.fate, labels), flex: true, wide: true },
    ...percentiles<Traffic>((t) => t.latencyMs, true),
  ]);
  table<Edge>('edges, as the destination sidecar saw them', r.edges, [
    { header: 'EDGE', cell: (e) => `${e.source} → ${e.destination}`, flex: true },
    { header: 'SERVICE', cell: (e) => short(e.destinationService), wide: true },
    { header: 'REQUESTS', cell: (e) => String(e.requests), align: 'right' },
    { header: 'CODES', cell: (e) => codes(e.byCode), flex: true, style: codeStyle },
    ...percentiles<Edge>((e) => e.latencyMs, false),
  ]);
  table<Call>('calls, as the caller saw them', r.calls, [
    { header: 'CALL', cell: (k) => `${k.source} → ${short(k.destinationService)}`, flex: true },
    { header: 'REQUESTS', cell: (k) => String(k.requests), align: 'right' },
    { header: 'CODES', cell: (k) => codes(k.byCode), flex: true, style: codeStyle },
    { header: 'FLAGS', cell: (k) => codes(k.byFlags), flex: true },
    ...percentiles<Call>((k) => k.latencyMs, false),
  ]);
  if (r.ejections.length === 0) lines.push('', 'ejections: none');
  else {
    table<Ejection>(`ejections: ${r.ejections.length}`, r.ejections, [
      { header: 'AT', cell: (e) => `${(e.atMs / 1000).toFixed(3)} s`, align: 'right' },
      { header: 'CLIENT', cell: (e) => e.client, flex: true },
      { header: 'EJECTED', cell: (e) => e.endpoint, flex: true, style: (t) => c.yellow(t) },
      { header: 'CLUSTER', cell: (e) => e.cluster, flex: true, wide: true },
      { header: 'FOR', cell: (e) => (e.durationMs === null ? 'the rest of the run' : `${(e.durationMs / 1000).toFixed(1)} s`), align: 'right' },
    ]);
  }
  table<PodRow>('pods', r.pods, [
    { header: 'POD', cell: (p) => p.name, flex: true },
    { header: 'WORKLOAD', cell: (p) => p.workload, wide: true },
    { header: 'RECEIVED', cell: (p) => String(p.received), align: 'right' },
  ]);
  return lines.join('\n');
}

function percentiles<Row>(of: (row: Row) => SimulationReport['traffic'][number]['latencyMs'], withP90: boolean): Array<Column<Row>> {
  return [
    { header: 'P50', cell: (row) => ms(of(row).p50), align: 'right' },
    { header: 'P90', cell: (row) => ms(of(row).p90), align: 'right', wide: !withP90 },
    { header: 'P99', cell: (row) => ms(of(row).p99), align: 'right' },
  ];
}

function codes(m: Record<string, number>): string {
  return Object.entries(m).map(([k, v]) => `${k}:${v}`).join(' ') || '-';
}

/** The fates that happened, in `FATES` order: `success 90  success after retry 8  fail-fast UH 2`. */
function fates(f: FateCounts, labels: Readonly<Record<Fate, string>>): string {
  return FATES.filter((fate) => f[fate] > 0).map((fate) => `${labels[fate]} ${f[fate]}`).join('  ') || '-';
}

function ms(v: number): string {
  return `${v.toFixed(1)}ms`;
}

function short(service: string): string {
  return service.replace(/\.svc\.cluster\.local$/, '');
}
