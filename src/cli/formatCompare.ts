import type { FlavorComparison } from '../api/index.ts';
import { formatTable } from './table.ts';
import type { Column, Layout } from './table.ts';

interface Row {
  what: string;
  cells: string[];
}

/** `compare` as text: one column per flavor, then what each did on the failure, what was translated, and the figures' sources. */
export function formatCompare(rows: readonly FlavorComparison[], layout: Layout): string {
  const ms = (micros: number): string => `${(micros / 1000).toFixed(2)} ms`;
  const run = (f: (r: NonNullable<FlavorComparison['run']>) => string) => rows.map((r) => (r.run ? f(r.run) : 'not simulated'));
  const table: Row[] = [
    { what: 'requests', cells: run((r) => String(r.requests)) },
    { what: 'success', cells: run((r) => `${(r.successRate * 100).toFixed(1)} %`) },
    { what: 'latency p50 / p99', cells: run((r) => `${r.p50Ms.toFixed(1)} / ${r.p99Ms.toFixed(1)} ms`) },
    { what: 'retries', cells: run((r) => String(r.retries)) },
    { what: 'fail-fast answers', cells: run((r) => String(r.failFast)) },
    { what: 'ejections / unavailable', cells: run((r) => String(r.ejections)) },
    { what: 'proxy', cells: rows.map((r) => r.costs.proxy) },
    { what: 'added per proxy p50 / tail', cells: rows.map((r) => `${ms(r.costs.hopP50)} / ${ms(r.costs.hopTail)}`) },
    { what: 'memory per proxy', cells: rows.map((r) => `${r.costs.memoryMB} MB`) },
    { what: 'proxies: memory', cells: rows.map((r) => (!r.simulated ? '—' : r.ambient ? ambientMemory(r, r.ambient) : `${r.proxies} × ${r.costs.memoryMB} MB = ${r.proxyMemoryMB} MB`)) },
    { what: 'proxies: CPU at this load', cells: rows.map((r) => (r.simulated ? `${r.proxyCpu} vCPU` : '—')) },
    { what: 'CPU per 1000 rps per proxy', cells: rows.map((r) => `${r.costs.cpuPer1000Rps} vCPU${r.costs.waypointCpuPer1000Rps === undefined ? '' : ` (waypoint ${r.costs.waypointCpuPer1000Rps})`}`) },
    { what: 'control plane', cells: rows.map((r) => `${r.costs.controlPlaneCpu} vCPU, ${r.costs.controlPlaneMemoryMB} MB`) },
  ];
  const columns: Array<Column<Row>> = [
    { header: '', cell: (r) => r.what },
    ...rows.map((flavor, i): Column<Row> => ({ header: flavor.flavor.toUpperCase(), cell: (r) => r.cells[i] ?? '', flex: true })),
  ];
  const out = formatTable(table, columns, layout);
  for (const r of rows) {
    if (r.onFailure.length > 0) out.push('', `${r.flavor}, on the failure:`, ...r.onFailure.map((l) => `  ${l}`));
  }
  for (const r of rows) {
    if (r.translated.length > 0) out.push('', `translated to ${r.flavor}:`, ...r.translated.map((l) => `  ${l}`));
    if (r.notTranslated.length > 0) out.push('', `not carried over to ${r.flavor}:`, ...r.notTranslated.map((l) => `  ${l}`));
  }
  out.push('', 'where the cost figures come from (mesh-semantics §12, §10.5):');
  for (const r of rows) for (const [field, source] of Object.entries(r.costs.sources)) out.push(`  ${r.flavor} ${field}: ${source}`);
  return out.join('\n');
}

/** Ambient's proxies are ztunnels (one per node) and waypoints, each at its own figure. */
function ambientMemory(r: FlavorComparison, a: NonNullable<FlavorComparison['ambient']>): string {
  const waypoints = a.waypoints > 0 ? ` + ${a.waypoints} waypoint × ${r.costs.waypointMemoryMB ?? 0} MB` : '';
  return `${a.ztunnels} ztunnel × ${r.costs.memoryMB} MB${waypoints} = ${r.proxyMemoryMB} MB`;
}
