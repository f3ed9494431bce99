import type { Session } from '../api/index.ts';
import { linkerdAccessLogFormats } from '../telemetry/index.ts';

/**
 * Under `flavor: linkerd`, `--access-log` writes linkerd-proxy's log: only
 * pods annotated `config.linkerd.io/access-log` (on their template or their
 * namespace) write one, each in its annotation's format. What a user may not
 * expect is said on stderr: `--access-log-format` (Envoy's formats) does not
 * apply, and a mesh with no annotated pod leaves the file empty.
 */
export function linkerdAccessLogNote(session: Session, file: string, formatGiven: boolean): string | undefined {
  if (session.scenario.simulation.flavor !== 'linkerd') return undefined;
  const notes: string[] = [];
  if (formatGiven) notes.push("--access-log-format chooses Envoy's format: under Linkerd each pod's config.linkerd.io/access-log annotation (apache or json) chooses its own, so the flag is not used");
  if (linkerdAccessLogFormats(session.xds).size === 0) {
    notes.push(`no pod is annotated config.linkerd.io/access-log: apache or json (on its template or its namespace), so linkerd-proxy writes no access log and ${file} stays empty`);
  }
  return notes.length > 0 ? notes.map((n) => `note: ${n}\n`).join('') : undefined;
}
