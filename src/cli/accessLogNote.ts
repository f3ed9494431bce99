import type { Session } from '../api/index.ts';
import { linkerdAccessLogFormats } from '../telemetry/index.ts';

/**
 * What `--access-log FILE` will leave out that a user may not expect, said
 * on stderr before the run (undefined: nothing).
 *
 * Under `flavor: linkerd`, `--access-log` writes linkerd-proxy's log: only
 * pods annotated `config.linkerd.io/access-log` (on their template or their
 * namespace) write one, each in its annotation's format, so
 * `--access-log-format` (Envoy's formats) does not apply, and a mesh with no
 * annotated pod leaves the file empty.
 *
 * Under Istio, a Telemetry resource's `accessLogging` with `disabled: true`
 * turns the log off for the proxies it covers (the whole mesh, a namespace
 * or a workload; for one side with `match.mode`): their lines are not
 * written, and when it covers every Envoy the file stays empty.
 */
export function accessLogNote(session: Session, file: string, formatGiven: boolean): string | undefined {
  const notes = session.scenario.simulation.flavor === 'linkerd' ? linkerdNotes(session, file, formatGiven) : telemetryNotes(session, file);
  return notes.length > 0 ? notes.map((n) => `note: ${n}\n`).join('') : undefined;
}

function linkerdNotes(session: Session, file: string, formatGiven: boolean): string[] {
  const notes: string[] = [];
  if (formatGiven) notes.push("--access-log-format chooses Envoy's format: under Linkerd each pod's config.linkerd.io/access-log annotation (apache or json) chooses its own, so the flag is not used");
  if (linkerdAccessLogFormats(session.xds).size === 0) {
    notes.push(`no pod is annotated config.linkerd.io/access-log: apache or json (on its template or its namespace), so linkerd-proxy writes no access log and ${file} stays empty`);
  }
  return notes;
}

function telemetryNotes(session: Session, file: string): string[] {
  const { proxies, telemetry } = session.xds;
  // The Envoys that write an access log: sidecars and gateways (a waypoint's policy is not kept per pod; ztunnels log on their own terms).
  const envoys = Object.keys(proxies).filter((pod) => (proxies[pod]?.dataPlane ?? 'envoy') === 'envoy' && telemetry?.[pod] !== undefined);
  const off = envoys.filter((pod) => telemetry?.[pod]?.accessLog.client === false || telemetry?.[pod]?.accessLog.server === false);
  if (off.length === 0) return [];
  const both = off.filter((pod) => telemetry?.[pod]?.accessLog.client === false && telemetry?.[pod]?.accessLog.server === false);
  const hasZtunnels = Object.values(proxies).some((p) => p.dataPlane === 'ztunnel');
  if (both.length === envoys.length && !hasZtunnels) return [`a Telemetry resource's accessLogging (disabled: true) turns off every proxy's access log, so ${file} stays empty`];
  const names = off.slice(0, 3).join(', ') + (off.length > 3 ? `, and ${off.length - 3} more` : '');
  return [`a Telemetry resource's accessLogging (disabled: true) turns off the access log of ${off.length} of ${envoys.length} proxies (${names}${both.length < off.length ? '; some on one side only, by match.mode' : ''}): their lines are not in ${file}`];
}
