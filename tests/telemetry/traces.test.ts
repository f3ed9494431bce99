import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSimulation } from '../../src/api/index.ts';
import { SPAN_KIND_CLIENT, SPAN_KIND_SERVER } from '../../src/telemetry/index.ts';
import { bookinfoWithFailure } from '../helpers/bookinfoFailure.ts';
import { frontBackMesh, sessionFrom, simulation, twoVersionMesh, virtualService } from '../helpers/mesh.ts';
import { meshviz } from '../helpers/meshvizCli.ts';
import { otlpProblems } from './otlpShape.ts';

interface Span {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: Array<{ key: string; value: { stringValue?: string; intValue?: string } }>;
}

const spansOf = (text: string): Span[] =>
  text.split('\n').filter(Boolean).flatMap((l) => (JSON.parse(l) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Span[] }> }> }).resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)));
const tag = (s: Span, key: string) => s.attributes.find((a) => a.key === key)?.value;

describe('--traces: OTLP/JSON as the protobuf JSON mapping defines it (mesh-semantics §9)', () => {
  let dir: string;
  let all: string;
  let tenth: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'meshviz-traces-'));
    const file = join(dir, 'bookinfo.yaml');
    writeFileSync(file, bookinfoWithFailure('2m', '30s', '60s'));
    const full = await meshviz('simulate', file, '--traces', join(dir, 'all.jsonl'), '--trace-sampling', '100', '--start', '2026-01-05T09:00:00Z');
    const sampled = await meshviz('simulate', file, '--traces', join(dir, 'tenth.jsonl'), '--trace-sampling', '10', '--start', '2026-01-05T09:00:00Z');
    expect([full.code, sampled.code]).toEqual([0, 0]);
    all = readFileSync(join(dir, 'all.jsonl'), 'utf8');
    tenth = readFileSync(join(dir, 'tenth.jsonl'), 'utf8');
  }, 60_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('every line is an ExportTraceServiceRequest in the JSON mapping', () => {
    const lines = all.split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(1000);
    for (const line of lines) expect(otlpProblems(JSON.parse(line))).toEqual([]);
  });

  it('a client span per call at the caller’s sidecar, a server span per attempt at the callee’s, joined into one trace per page', () => {
    const spans = spansOf(all);
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    expect(byId.size).toBe(spans.length);
    // Every parent is in the file, in the same trace: Bookinfo's apps propagate the trace headers.
    for (const s of spans) if (s.parentSpanId) expect(byId.get(s.parentSpanId)?.traceId).toBe(s.traceId);
    const roots = spans.filter((s) => !s.parentSpanId);
    // The readers are outside the mesh: productpage's sidecar starts each trace with its server span.
    expect(roots.every((r) => r.kind === SPAN_KIND_SERVER && r.name === 'productpage.default.svc.cluster.local:9080/*')).toBe(true);
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(roots.length);
    const details = spans.filter((s) => s.kind === SPAN_KIND_CLIENT && s.name === 'details.default.svc.cluster.local:9080/*');
    expect(details.length).toBe(roots.length);
    const failed = details.filter((s) => tag(s, 'response_flags')?.stringValue === 'UH');
    expect(failed.length).toBeGreaterThan(10);
    for (const s of failed) expect([tag(s, 'http.status_code')?.stringValue, tag(s, 'error')?.stringValue, tag(s, 'upstream_cluster')?.stringValue]).toEqual(['503', 'true', 'outbound|9080|v1|details.default.svc.cluster.local']);
  });

  it('--trace-sampling 10: about a tenth of the traces, each one whole', () => {
    const full = new Set(spansOf(all).map((s) => s.traceId));
    const spans = spansOf(tenth);
    const kept = new Set(spans.map((s) => s.traceId));
    expect(kept.size / full.size).toBeGreaterThan(0.07);
    expect(kept.size / full.size).toBeLessThan(0.13);
    expect(spans.length).toBe(spansOf(all).filter((s) => kept.has(s.traceId)).length);
  });
});

describe('retries in a trace', () => {
  it('each try is its own span under the request’s client span, the back-off a gap between them', () => {
    const vs = virtualService(`
- route: [{ destination: { host: server, subset: v1 } }]
  retries: { attempts: 3, retryOn: 5xx }`);
    const sim = simulation(`
seed: 4
traffic: [{ name: one, from: client, to: server:8080, rps: 1, duration: 1s }]
timeline: [{ at: 0s, fail: { workload: server-v1, mode: '503' } }]`);
    let text = '';
    const report = runSimulation(sessionFrom(...twoVersionMesh({ vs, v2Replicas: 0, simulation: sim })), { telemetry: { startMs: 0, traces: { write: (t) => (text += t), samplingPercent: 100 } } });
    expect(report.retries).toBe(3);
    for (const line of text.split('\n').filter(Boolean)) expect(otlpProblems(JSON.parse(line))).toEqual([]);
    const spans = spansOf(text);
    const request = spans.find((s) => s.kind === SPAN_KIND_CLIENT && !s.name.startsWith('router '));
    const tries = spans.filter((s) => s.parentSpanId === request?.spanId);
    expect(tries.map((t) => [t.name, tag(t, 'http.status_code')?.stringValue, tag(t, 'http.request.resend_count')?.intValue])).toEqual([
      ['router outbound|8080|v1|server.default.svc.cluster.local egress', '503', undefined],
      ['router outbound|8080|v1|server.default.svc.cluster.local egress', '503', '1'],
      ['router outbound|8080|v1|server.default.svc.cluster.local egress', '503', '2'],
      ['router outbound|8080|v1|server.default.svc.cluster.local egress', '503', '3'],
    ]);
    for (let i = 1; i < tries.length; i++) expect(BigInt((tries[i] as Span).startTimeUnixNano)).toBeGreaterThan(BigInt((tries[i - 1] as Span).endTimeUnixNano));
    const servers = spans.filter((s) => s.kind === SPAN_KIND_SERVER);
    expect(servers.map((s) => s.parentSpanId)).toEqual(tries.map((t) => t.spanId));
    expect(tag(request as Span, 'response_flags')?.stringValue).toBe('URX');
  });
});

describe('trace context as the engine propagates it', () => {
  const spansFor = (propagate: boolean): Span[] => {
    const sim = simulation(`
seed: 2
workloads:
  front: { propagateTraceHeaders: ${propagate}, calls: [{ service: back:8080, path: /b }] }
traffic: [{ name: one, from: client, to: front:8080, rps: 1, duration: 1s }]`);
    let text = '';
    runSimulation(sessionFrom(...frontBackMesh(), sim), { telemetry: { startMs: 0, traces: { write: (t) => (text += t), samplingPercent: 100 } } });
    return spansOf(text);
  };

  it('an app that copies the trace headers keeps one trace: back’s spans hang under front’s server span', () => {
    const spans = spansFor(true);
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(1);
    const frontServer = spans.find((s) => s.kind === SPAN_KIND_SERVER && s.name.startsWith('front.'));
    const backCall = spans.find((s) => s.kind === SPAN_KIND_CLIENT && s.name.startsWith('back.'));
    expect(backCall?.parentSpanId).toBe(frontServer?.spanId);
  });

  it('an app that drops them breaks the trace: front’s sidecar starts a second one for the call to back', () => {
    const spans = spansFor(false);
    const traces = new Set(spans.map((s) => s.traceId));
    expect(traces.size).toBe(2);
    const backCall = spans.find((s) => s.kind === SPAN_KIND_CLIENT && s.name.startsWith('back.'));
    expect(backCall?.parentSpanId).toBeUndefined();
  });
});
