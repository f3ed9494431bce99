import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openSession } from '../../src/api/index.ts';
import type { Session } from '../../src/api/index.ts';
import { accessLogNote, metricsNote, tracesNote } from '../../src/cli/outputNotes.ts';

function open(...extra: string[]): Session {
  const files = [{ name: 'scenarios/default.yaml', text: readFileSync('scenarios/default.yaml', 'utf8') }, ...extra.map((text, i) => ({ name: `telemetry-${i}.yaml`, text }))];
  const opened = openSession(files);
  if (!opened.ok) throw new Error(opened.diagnostics.map((d) => d.message).join('\n'));
  return opened.session;
}

const telemetry = (namespace: string, extra: string) => `apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata: { name: logs, namespace: ${namespace} }
spec:
${extra}`;

/** Istio's Telemetry API turns access logs off per proxy (accessLogging[].disabled): what --access-log then leaves out is said before the run. */
describe('--access-log under a Telemetry resource that turns logging off', () => {
  it('says nothing when no Telemetry resource turns the log off', () => {
    expect(accessLogNote(open(), 'access.log', false)).toBeUndefined();
    expect(accessLogNote(open(telemetry('istio-system', '  accessLogging: [{ providers: [{ name: envoy }] }]')), 'access.log', false)).toBeUndefined();
  });

  it('mesh-wide: the file stays empty, and it says so', () => {
    const session = open(telemetry('istio-system', '  accessLogging: [{ providers: [{ name: envoy }], disabled: true }]'));
    expect(accessLogNote(session, 'access.log', false)).toBe("note: a Telemetry resource's accessLogging (disabled: true) turns off every proxy's access log, so access.log stays empty\n");
  });

  it('for one workload: names its proxy, and how many of the mesh’s it is', () => {
    const session = open(telemetry('default', '  selector: { matchLabels: { app: db } }\n  accessLogging: [{ providers: [{ name: envoy }], disabled: true }]'));
    const db = session.scenario.pods.find((p) => p.workload === 'db')?.name;
    expect(accessLogNote(session, 'access.log', false)).toBe(`note: a Telemetry resource's accessLogging (disabled: true) turns off the access log of 1 of 6 proxies (${db}): their lines are not in access.log\n`);
  });

  it('for one side only (match.mode: SERVER): says some are off on one side', () => {
    const session = open(telemetry('istio-system', '  accessLogging: [{ providers: [{ name: envoy }], match: { mode: SERVER }, disabled: true }]'));
    expect(accessLogNote(session, 'access.log', false)).toBe("note: a Telemetry resource's accessLogging (disabled: true) turns off the access log of every proxy (on one side only for some, by match.mode): their lines are not in access.log\n");
  });
});

/** What --traces will not get as asked: the Telemetry resource's sampling wins over --trace-sampling, and disableSpanReporting keeps spans out. */
describe('--traces under a Telemetry resource', () => {
  it('its randomSamplingPercentage over --trace-sampling is said only when the flag was given and differs', () => {
    const session = open(telemetry('istio-system', '  tracing: [{ randomSamplingPercentage: 100 }]'));
    expect(tracesNote(session, 'traces.jsonl', 5)).toBe("note: a Telemetry resource's tracing (randomSamplingPercentage: 100 %) sets the sampling of every proxy, over --trace-sampling 5\n");
    expect(tracesNote(session, 'traces.jsonl', 100)).toBeUndefined();
    expect(tracesNote(session, 'traces.jsonl', undefined)).toBeUndefined();
    expect(tracesNote(open(), 'traces.jsonl', 5)).toBeUndefined();
  });

  it('disableSpanReporting on one workload names its proxy', () => {
    const session = open(telemetry('default', '  selector: { matchLabels: { app: db } }\n  tracing: [{ disableSpanReporting: true }]'));
    const db = session.scenario.pods.find((p) => p.workload === 'db')?.name;
    expect(tracesNote(session, 'traces.jsonl', undefined)).toBe(`note: a Telemetry resource's tracing (disableSpanReporting: true) keeps the spans of 1 of 6 proxies (${db}) out of traces.jsonl\n`);
  });
});

/** What --metrics will not get: the standard metrics a Telemetry resource turns off. */
describe('--metrics under a Telemetry resource', () => {
  it('names each metric turned off and where; nothing when none is', () => {
    expect(metricsNote(open(), 'run.om')).toBeUndefined();
    const session = open(
      telemetry('istio-system', '  metrics:\n    - providers: [{ name: prometheus }]\n      overrides: [{ match: { metric: REQUEST_SIZE }, disabled: true }, { match: { metric: RESPONSE_SIZE, mode: CLIENT }, disabled: true }]'),
    );
    expect(metricsNote(session, 'run.om')).toBe("note: a Telemetry resource's metrics overrides (disabled: true) keep out of run.om: REQUEST_SIZE at every proxy; RESPONSE_SIZE (reporter=source) at every proxy\n");
  });
});
