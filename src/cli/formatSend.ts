import { describeEvent, describeWhere } from '../api/index.ts';
import type { PresentedCertificate, SendResult } from '../api/index.ts';
import type { MeshEvent } from '../model/index.ts';

const QUIET: ReadonlySet<MeshEvent['kind']> = new Set(['conn.close']);

/** The hop timeline of one request, for a person to follow. */
export function formatSend(result: SendResult, color: boolean): string {
  const lines: string[] = [];
  for (const r of result.earlier) {
    lines.push(`request #${r.requestId}: ${r.status}${r.flags.length ? ` ${r.flags.join(',')}` : ''} in ${r.durationMs.toFixed(2)} ms, ${r.attempts} attempt(s)`);
  }
  if (result.earlier.length > 1) lines.push('', `request #${result.requestId}, hop by hop:`);
  const depth = new Map<number, number>([[result.requestId, 0]]);
  for (const e of result.events) {
    if (e.kind === 'request.start' && e.origin.kind === 'app') depth.set(e.requestId, (depth.get(e.origin.parentId) ?? 0) + 1);
    if (QUIET.has(e.kind)) continue;
    const indent = '  '.repeat(depth.get(e.requestId) ?? 0);
    const time = `${(e.t / 1000).toFixed(3).padStart(9)} ms`;
    const where = describeWhere(e.where).padEnd(34);
    const text = describeEvent(e);
    lines.push(`${dim(time, color)}  ${where} ${indent}${highlight(e, text, color)}`);
  }
  const flags = result.flags.length ? ` ${result.flags.join(',')}` : '';
  lines.push('', `→ ${result.status === 0 ? '000 (no HTTP response)' : result.status}${flags} in ${result.durationMs.toFixed(2)} ms after ${result.attempts} attempt(s)${result.detail ? `: ${result.detail}` : ''}`);
  return lines.join('\n');
}

function dim(text: string, color: boolean): string {
  return color ? `\x1b[2m${text}\x1b[0m` : text;
}

function highlight(e: MeshEvent, text: string, color: boolean): string {
  if (!color) return text;
  if (e.kind === 'retry.backoff' || e.kind === 'outlier.eject' || e.kind === 'attempt.timeout') return `\x1b[33m${text}\x1b[0m`;
  if (e.kind === 'request.end' && (e.status === 0 || e.status >= 500)) return `\x1b[31m${text}\x1b[0m`;
  if (e.kind === 'request.end') return `\x1b[32m${text}\x1b[0m`;
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
