import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openSession, startSimulation } from '../../src/api/index.ts';
import type { Session } from '../../src/api/index.ts';
import { TelemetryOutputs } from '../../src/telemetry/index.ts';
import type { TelemetryPlan } from '../../src/telemetry/index.ts';
import { CallDecoder } from '../../src/telemetry/wire/CallDecoder.ts';
import { CallEncoder } from '../../src/telemetry/wire/CallEncoder.ts';
import type { WireBatch } from '../../src/telemetry/wire/WireBatch.ts';
import { bookinfoWithFailure } from '../helpers/bookinfoFailure.ts';
import { frontBackMesh, sessionFrom, simulation } from '../helpers/mesh.ts';

/**
 * The outputs can be made on a thread of their own (`meshviz simulate`
 * puts them there): what the engine tells its telemetry crosses as batches
 * of numbers (`CallEncoder`) and the same calls are made on the outputs on
 * the other side (`CallDecoder`), which make the records there. Whatever
 * the mesh, the outputs must be the same bytes as when they are made in
 * the run's own thread — metrics with their scrapes, the access log, the
 * spans.
 */
interface Outputs {
  metrics: string;
  log: string;
  traces: string;
  batches: number;
  /** Characters written out in the batches. */
  chars: number;
}

function run(session: Session, format: 'text' | 'json', wire: { maxIds?: number } | undefined, duration?: number): Outputs {
  const out: Outputs = { metrics: '', log: '', traces: '', batches: 0, chars: 0 };
  const writeMetrics = (t: string): void => void (out.metrics += t);
  const writeLog = (t: string): void => void (out.log += t);
  const writeTraces = (t: string): void => void (out.traces += t);
  const remote = wire
    ? (plan: TelemetryPlan) => {
        // Each batch is cloned as a thread would receive it, then decoded.
        const decoder = new CallDecoder(new TelemetryOutputs(structuredClone(plan), { metrics: writeMetrics, accessLog: writeLog, traces: writeTraces }));
        // Small batches: many of them, and records that outgrow one (the arrays grow, as a ring slot's would).
        const small = () => ({ nums: new Float64Array(4_096), chars: new Uint16Array(8_192) });
        const transport = {
          first: small,
          send: (batch: WireBatch) => {
            out.batches += 1;
            out.chars += batch.charCount;
            decoder.take(structuredClone(batch));
            return small();
          },
        };
        return new CallEncoder(transport, wire.maxIds);
      }
    : undefined;
  const sim = startSimulation(session, {
    duration,
    telemetry: {
      startMs: Date.UTC(2026, 0, 5, 9),
      metricsFile: { write: wire ? undefined : writeMetrics, scrapeInterval: 5_000_000 },
      accessLog: { write: wire ? undefined : writeLog, format },
      traces: { write: wire ? undefined : writeTraces, samplingPercent: 100 },
      remote,
    },
  });
  while (sim.advance());
  return out;
}

function session(files: string[], edited?: string): Session {
  const sources = files.map((name) => ({ name, text: readFileSync(name, 'utf8') }));
  if (edited) sources.push({ name: 'edited.yaml', text: edited });
  const opened = openSession(sources);
  if (!opened.ok) throw new Error(opened.diagnostics.map((d) => d.message).join('\n'));
  return opened.session;
}

const defaultMesh = () => readFileSync('scenarios/default.yaml', 'utf8').split('\n---\napiVersion: meshviz.dev/v1alpha1\nkind: Simulation')[0] as string;

const CASES: Array<{ name: string; session: () => Session; format: 'text' | 'json'; duration?: number; batches?: number }> = [
  { name: 'Bookinfo, details failing and ejected (UH, 503), text', session: () => session([], bookinfoWithFailure('40s', '10s', '25s')), format: 'text', batches: 3 },
  { name: 'the default story (retries, ejections), json', session: () => session(['scenarios/default.yaml']), format: 'json', batches: 10 },
  { name: 'fault abort and RBAC denials, json', session: () => session(['scenarios/default.yaml', 'examples/fault-abort.yaml', 'examples/rbac.yaml']), format: 'json', duration: 20_000_000 },
  { name: 'Linkerd (route origins, proxy errors), json', session: () => session(['scenarios/linkerd.yaml']), format: 'json', duration: 20_000_000 },
  { name: 'ambient (ztunnel connections, waypoints), text', session: () => session(['scenarios/ambient.yaml']), format: 'text', duration: 20_000_000 },
  {
    name: 'a Telemetry resource pushed mid-run (access log off, a tag overridden), json',
    session: () =>
      sessionFrom(
        ...frontBackMesh(),
        simulation(`
seed: 3
workloads:
  front: { calls: [{ service: back:8080, path: /b }] }
traffic: [{ name: load, from: client, to: front:8080, rps: 50, duration: 20s }]
timeline:
- at: 8s
  apply:
    apiVersion: telemetry.istio.io/v1
    kind: Telemetry
    metadata: { name: changed, namespace: default }
    spec:
      accessLogging: [{ disabled: true }]
      metrics:
      - overrides:
        - match: { metric: REQUEST_COUNT }
          tagOverrides:
            phase: { value: "'after'" }`),
      ),
    format: 'json',
  },
  { name: 'a gateway’s PASSTHROUGH and TCP servers (TCP proxies), text', session: () => session(['examples/ingress/mesh.yaml', 'tests/fixtures/telemetry/tcp-proxies.yaml']), format: 'text' },
  { name: 'a gateway’s PASSTHROUGH and TCP servers (TCP proxies), json', session: () => session(['examples/ingress/mesh.yaml', 'tests/fixtures/telemetry/tcp-proxies.yaml']), format: 'json' },
  {
    name: 'requests whose paths and headers need escaping, text',
    session: () => session([], `${defaultMesh()}\n---\n${readFileSync('tests/fixtures/telemetry/odd-requests.yaml', 'utf8')}`),
    format: 'text',
  },
];

describe('telemetry outputs told across the wire write what they write in the run’s thread', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const s = c.session();
      const here = run(s, c.format, undefined, c.duration);
      const across = run(s, c.format, {}, c.duration);
      expect(here.log.length).toBeGreaterThan(1000);
      expect(here.metrics).toContain('# EOF');
      expect(across.log).toBe(here.log);
      expect(across.metrics).toBe(here.metrics);
      expect(across.traces).toBe(here.traces);
      // Long runs take several batches (a call split across two would not decode).
      expect(across.batches).toBeGreaterThanOrEqual(c.batches ?? 1);
    });
  }

  it('a trace context crosses once for the requests of its trace', () => {
    const across = run(session([], bookinfoWithFailure('40s', '10s', '25s')), 'text', {});
    // Bookinfo's lines: a trace's requests (productpage's call and its calls to details and reviews) share its context and its request id.
    const lines = across.log.trim().split('\n');
    const traces = new Set(lines.map((l) => /"([0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12})"/.exec(l)?.[1]));
    expect(traces.has(undefined)).toBe(false);
    expect(lines.length).toBeGreaterThan(4 * traces.size);
    // Written out once per trace (55 characters; nothing else here needs writing out), again only when a trace seen long before comes back.
    expect(across.chars).toBeGreaterThanOrEqual(55 * traces.size);
    expect(across.chars).toBeLessThan(55 * traces.size * 1.05);
  });

  it('with the table of ids full, strings are written out and the outputs are unchanged', () => {
    const s = session(['scenarios/default.yaml']);
    const here = run(s, 'json', undefined, 10_000_000);
    const across = run(s, 'json', { maxIds: 3 }, 10_000_000);
    expect(across.log).toBe(here.log);
    expect(across.metrics).toBe(here.metrics);
    expect(across.traces).toBe(here.traces);
  });
});
