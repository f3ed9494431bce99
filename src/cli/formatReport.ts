import type { SimulationReport } from '../telemetry/index.ts';

/** A readable summary of a `simulate` run. */
export function formatReport(r: SimulationReport): string {
  const lines: string[] = [];
  if (r.stopped) lines.push(`${r.stopped}; what was simulated so far:`);
  lines.push(`simulated ${(r.durationMs / 1000).toFixed(1)} s (seed ${r.seed}), ${r.events} events`);
  lines.push(`requests: ${r.requests.total}  ${codes(r.requests.byCode)}  flags ${codes(r.requests.byFlags)}${r.requests.unfinished ? `  unfinished ${r.requests.unfinished}` : ''}`);
  lines.push(`retries: ${r.retries}`);
  lines.push('', 'traffic');
  for (const t of r.traffic) {
    lines.push(`  ${t.name.padEnd(16)} sent ${String(t.sent).padStart(6)}  ${codes(t.byCode).padEnd(28)} p50 ${ms(t.latencyMs.p50)}  p90 ${ms(t.latencyMs.p90)}  p99 ${ms(t.latencyMs.p99)}`);
  }
  lines.push('', 'edges (as the destination sidecar saw them)');
  for (const e of r.edges) {
    lines.push(`  ${`${e.source} → ${e.destination}`.padEnd(30)} ${String(e.requests).padStart(6)}  ${codes(e.byCode).padEnd(28)} p50 ${ms(e.latencyMs.p50)}  p99 ${ms(e.latencyMs.p99)}`);
  }
  lines.push('', 'calls (as the caller saw them)');
  for (const c of r.calls) {
    lines.push(`  ${`${c.source} → ${c.destinationService.replace(/\.svc\.cluster\.local$/, '')}`.padEnd(30)} ${String(c.requests).padStart(6)}  ${codes(c.byCode).padEnd(20)} flags ${codes(c.byFlags).padEnd(18)} p50 ${ms(c.latencyMs.p50)}  p99 ${ms(c.latencyMs.p99)}`);
  }
  lines.push('', `ejections: ${r.ejections.length}`);
  for (const e of r.ejections) {
    lines.push(`  at ${(e.atMs / 1000).toFixed(3)} s ${e.client} ejected ${e.endpoint} for ${e.durationMs === null ? 'the rest of the run' : `${(e.durationMs / 1000).toFixed(1)} s`}`);
  }
  lines.push('', 'pods (requests received)');
  for (const p of r.pods) lines.push(`  ${p.name.padEnd(36)} ${String(p.received).padStart(6)}`);
  return lines.join('\n');
}

function codes(m: Record<string, number>): string {
  return Object.entries(m).map(([k, v]) => `${k}:${v}`).join(' ') || '-';
}

function ms(v: number): string {
  return `${v.toFixed(1)}ms`.padStart(8);
}
