import { describeEvent, describeWhere } from '../api/index.ts';
import type { PresentedCertificate, SendResult } from '../api/index.ts';
import type { MeshEvent } from '../model/index.ts';
import type { Colors } from './color.ts';
import { formatTable } from './table.ts';
import type { Column, Layout } from './table.ts';

const QUIET: ReadonlySet<MeshEvent['kind']> = new Set(['conn.close']);

interface Line {
  event: MeshEvent;
  depth: number;
}

/**
 * The hop timeline of one request, for a person to follow: time, where, what
 * (calls the request caused indented under it); `-o wide` adds the request,
 * the attempt and the event kind, and cuts nothing.
 */
export function formatSend(result: SendResult, layout: Layout): string {
  const out: string[] = [];
  for (const r of result.earlier) {
    out.push(`request #${r.requestId}: ${r.status}${r.flags.length ? ` ${r.flags.join(',')}` : ''}${r.error ? ` ${r.error}` : ''} in ${r.durationMs.toFixed(2)} ms, ${r.attempts} attempt(s)`);
  }
  if (result.earlier.length > 1) out.push('', `request #${result.requestId}, hop by hop:`);
  const depth = new Map<number, number>([[result.requestId, 0]]);
  const lines: Line[] = [];
  for (const event of result.events) {
    if (event.kind === 'request.start' && event.origin.kind === 'app') depth.set(event.requestId, (depth.get(event.origin.parentId) ?? 0) + 1);
    if (!QUIET.has(event.kind)) lines.push({ event, depth: depth.get(event.requestId) ?? 0 });
  }
  const c = layout.colors;
  const columns: Array<Column<Line>> = [
    { header: '', cell: (l) => `${(l.event.t / 1000).toFixed(3)} ms`, align: 'right', style: (t) => c.dim(t) },
    { header: '', cell: (l) => `#${l.event.requestId}`, wide: true },
    { header: '', cell: (l) => (l.event.attempt ? `try ${l.event.attempt}` : ''), wide: true },
    { header: '', cell: (l) => describeWhere(l.event.where, result.proxy), flex: true },
    { header: '', cell: (l) => l.event.kind, wide: true, style: (t) => c.dim(t) },
    { header: '', cell: (l) => `${'  '.repeat(l.depth)}${describeEvent(l.event, result.proxy)}`, flex: true, style: (t, l) => highlight(l.event, t, c) },
  ];
  out.push(...formatTable(lines, columns, layout));
  const flags = result.flags.length ? ` ${result.flags.join(',')}` : result.error ? ` ${result.error}` : '';
  const outcome = `→ ${result.status === 0 ? '000 (no HTTP response)' : result.status}${flags} in ${result.durationMs.toFixed(2)} ms after ${result.attempts} attempt(s)${result.detail ? `: ${result.detail}` : ''}`;
  out.push('', outcome);
  return out.join('\n');
}

function highlight(e: MeshEvent, text: string, c: Colors): string {
  if (e.kind === 'retry.backoff' || e.kind === 'outlier.eject' || e.kind === 'attempt.timeout') return c.yellow(text);
  if (e.kind === 'request.end') return e.status === 0 || e.status >= 400 ? c.red(text) : c.green(text);
  return text;
}

/** The certificates the sidecars presented, one block each: identity, serial, validity, then the PEM. */
export function formatCertificates(certificates: PresentedCertificate[]): string {
  const lines = ['certificates presented on mTLS hops (issued for this run by a mesh root CA):'];
  for (const { pod, cert } of certificates) {
    lines.push('', `${pod}: ${cert.spiffeId}`, `  serial ${cert.serial}, valid ${cert.notBefore.toISOString()} → ${cert.notAfter.toISOString()}`, cert.pem.trim());
  }
  return lines.join('\n');
}
