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
  return said(session.scenario.simulation.flavor === 'linkerd' ? linkerdNotes(session, file, formatGiven) : telemetryNotes(session, file));
}

/** The files a run writes and how they were asked for, as the notes read them. */
export interface OutputsAsked {
  accessLog?: string | undefined;
  /** `--access-log-format` was typed. */
  accessLogFormatGiven: boolean;
  traces?: string | undefined;
  /** `--trace-sampling` as typed (undefined: not typed). */
  traceSampling?: number | undefined;
  metrics?: string | undefined;
}

/** Every note for the files asked for, in the order of the flags (empty: nothing to say). */
export function outputNotes(session: Session, o: OutputsAsked): string {
  return [
    o.accessLog === undefined ? undefined : accessLogNote(session, o.accessLog, o.accessLogFormatGiven),
    o.traces === undefined ? undefined : tracesNote(session, o.traces, o.traceSampling),
    o.metrics === undefined ? undefined : metricsNote(session, o.metrics),
  ].join('');
}

/** Notes as stderr lines; undefined when there are none. */
function said(notes: readonly string[]): string | undefined {
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
  const { telemetry } = session.xds;
  const envoys = envoysOf(session);
  const off = envoys.filter((pod) => telemetry?.[pod]?.accessLog.client === false || telemetry?.[pod]?.accessLog.server === false);
  if (off.length === 0) return [];
  const both = off.filter((pod) => telemetry?.[pod]?.accessLog.client === false && telemetry?.[pod]?.accessLog.server === false);
  const hasZtunnels = Object.values(session.xds.proxies).some((p) => p.dataPlane === 'ztunnel');
  if (both.length === envoys.length && !hasZtunnels) return [`a Telemetry resource's accessLogging (disabled: true) turns off every proxy's access log, so ${file} stays empty`];
  const oneSide = both.length < off.length ? ' (on one side only for some, by match.mode)' : '';
  return [`a Telemetry resource's accessLogging (disabled: true) turns off the access log of ${count(off, envoys)}${oneSide}: their lines are not in ${file}`];
}

/** The Envoys whose telemetry a Telemetry resource shapes: sidecars and gateways (a waypoint's policy is not kept per pod; ztunnels log on their own terms). */
function envoysOf(session: Session): string[] {
  const { proxies, telemetry } = session.xds;
  return Object.keys(proxies).filter((pod) => (proxies[pod]?.dataPlane ?? 'envoy') === 'envoy' && telemetry?.[pod] !== undefined);
}

/**
 * What `--traces FILE` will not get as asked, said on stderr before the run
 * (undefined: nothing): a Telemetry resource's `randomSamplingPercentage`
 * wins over `--trace-sampling` for the proxies it covers (said when the
 * flag was given), and `disableSpanReporting` keeps a proxy's spans out.
 */
export function tracesNote(session: Session, file: string, sampling: number | undefined): string | undefined {
  if (session.scenario.simulation.flavor === 'linkerd') return undefined;
  const { telemetry } = session.xds;
  const envoys = envoysOf(session);
  const notes: string[] = [];
  if (sampling !== undefined) {
    const set = envoys.filter((pod) => telemetry?.[pod]?.tracingSampling !== undefined && telemetry[pod].tracingSampling !== sampling);
    if (set.length > 0) {
      const rates = [...new Set(set.map((pod) => telemetry?.[pod]?.tracingSampling))].map((r) => `${r} %`).join(', ');
      notes.push(`a Telemetry resource's tracing (randomSamplingPercentage: ${rates}) sets the sampling of ${count(set, envoys)}, over --trace-sampling ${sampling}`);
    }
  }
  const silent = envoys.filter((pod) => telemetry?.[pod]?.spansDisabled === true);
  if (silent.length > 0) notes.push(`a Telemetry resource's tracing (disableSpanReporting: true) keeps the spans of ${count(silent, envoys)} out of ${file}`);
  return said(notes);
}

/** `every proxy`, or `N of M proxies (a, b, c, and K more)`. */
function count(some: string[], all: string[]): string {
  if (some.length === all.length) return 'every proxy';
  return `${some.length} of ${all.length} proxies (${some.slice(0, 3).join(', ')}${some.length > 3 ? `, and ${some.length - 3} more` : ''})`;
}

/**
 * What `--metrics FILE` will not get, said on stderr before the run
 * (undefined: nothing): the standard metrics a Telemetry resource's
 * `metrics[].overrides` turns off (`disabled: true`) at some proxies.
 */
export function metricsNote(session: Session, file: string): string | undefined {
  if (session.scenario.simulation.flavor === 'linkerd') return undefined;
  const { telemetry } = session.xds;
  const envoys = envoysOf(session);
  const byMetric = new Map<string, { pods: string[]; sides: Set<string> }>();
  for (const pod of envoys) {
    const metrics = telemetry?.[pod]?.metrics;
    for (const [side, reporter] of [['client', 'source'], ['server', 'destination']] as const) {
      for (const m of metrics?.[side].disabled ?? []) {
        const entry = byMetric.get(m) ?? { pods: [], sides: new Set<string>() };
        if (!entry.pods.includes(pod)) entry.pods.push(pod);
        entry.sides.add(reporter);
        byMetric.set(m, entry);
      }
    }
  }
  if (byMetric.size === 0) return undefined;
  // A metric turned off for one side only (match.mode) is missing as that reporter only.
  const lines = [...byMetric].map(([metric, { pods, sides }]) => `${metric}${sides.size === 1 ? ` (reporter=${[...sides][0]})` : ''} at ${count(pods, envoys)}`);
  return said([`a Telemetry resource's metrics overrides (disabled: true) keep out of ${file}: ${lines.join('; ')}`]);
}
