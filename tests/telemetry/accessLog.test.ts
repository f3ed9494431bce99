import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulationReport } from '../../src/telemetry/index.ts';
import { bookinfoWithFailure } from '../helpers/bookinfoFailure.ts';
import { meshviz } from '../helpers/meshvizCli.ts';

/**
 * Istio's default text format, field for field (Istio src
 * pilot/pkg/model/telemetry_logging.go `EnvoyTextLogFormat`), as a regular
 * expression with a group per command operator.
 */
const ISTIO_TEXT = new RegExp(
  [
    String.raw`^\[(?<START_TIME>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)\]`,
    String.raw`"(?<METHOD>[A-Z]+) (?<PATH>\S+) (?<PROTOCOL>HTTP/1\.1)"`,
    String.raw`(?<RESPONSE_CODE>\d+)`,
    String.raw`(?<RESPONSE_FLAGS>-|[A-Z]+(?:,[A-Z]+)*)`,
    String.raw`(?<RESPONSE_CODE_DETAILS>[a-z_]+(?:\{[a-z_]+\}|\[[a-z]+\])?)`,
    String.raw`(?<CONNECTION_TERMINATION_DETAILS>-)`,
    String.raw`"(?<UPSTREAM_TRANSPORT_FAILURE_REASON>-)"`,
    String.raw`(?<BYTES_RECEIVED>\d+)`,
    String.raw`(?<BYTES_SENT>\d+)`,
    String.raw`(?<DURATION>\d+)`,
    String.raw`(?<UPSTREAM_SERVICE_TIME>-|\d+)`,
    String.raw`"(?<X_FORWARDED_FOR>[^"]*)"`,
    String.raw`"(?<USER_AGENT>[^"]*)"`,
    String.raw`"(?<REQUEST_ID>[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12})"`,
    String.raw`"(?<AUTHORITY>[a-z0-9.-]+(?::\d+)?)"`,
    String.raw`"(?<UPSTREAM_HOST>-|\d+\.\d+\.\d+\.\d+:\d+)"`,
    String.raw`(?<UPSTREAM_CLUSTER_RAW>-|outbound\|\d+\|[a-z0-9-]*\|[a-z0-9.-]+|inbound\|\d+\|\|)`,
    String.raw`(?<UPSTREAM_LOCAL_ADDRESS>-|\d+\.\d+\.\d+\.\d+:\d+)`,
    String.raw`(?<DOWNSTREAM_LOCAL_ADDRESS>\d+\.\d+\.\d+\.\d+:\d+)`,
    String.raw`(?<DOWNSTREAM_REMOTE_ADDRESS>\d+\.\d+\.\d+\.\d+:\d+)`,
    String.raw`(?<REQUESTED_SERVER_NAME>-|outbound_\.\d+_\.[a-z0-9-]*_\.[a-z0-9.-]+)`,
    String.raw`(?<ROUTE_NAME>\S+)$`,
  ].join(' '),
);

/** Istio's JSON keys (`EnvoyJSONLogFormatIstio`, same file) and Envoy's attempt count. */
const ISTIO_JSON_KEYS = [
  'start_time', 'route_name', 'method', 'path', 'protocol', 'response_code', 'response_flags', 'response_code_details',
  'connection_termination_details', 'bytes_received', 'bytes_sent', 'duration', 'upstream_service_time', 'x_forwarded_for',
  'user_agent', 'request_id', 'authority', 'upstream_host', 'upstream_cluster', 'upstream_local_address',
  'downstream_local_address', 'downstream_remote_address', 'requested_server_name', 'upstream_transport_failure_reason',
  'upstream_request_attempt_count',
];

const START_MS = Date.parse('2026-01-05T09:00:00Z');

describe('--access-log: every line parses back and adds up to the report', () => {
  let dir: string;
  let report: SimulationReport;
  let text: string[];
  let json: Array<Record<string, unknown>>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'meshviz-access-log-'));
    const file = join(dir, 'bookinfo.yaml');
    writeFileSync(file, bookinfoWithFailure('5m', '1m', '2m'));
    const common = [file, '--start', '2026-01-05T09:00:00Z', '-o', 'json'];
    const asText = await meshviz('simulate', ...common, '--access-log', join(dir, 'access.log'));
    const asJson = await meshviz('simulate', ...common, '--access-log', join(dir, 'access.json'), '--access-log-format', 'json');
    expect([asText.code, asJson.code]).toEqual([0, 0]);
    report = JSON.parse(asText.stdout) as SimulationReport;
    expect(JSON.parse(asJson.stdout)).toEqual(report);
    text = readFileSync(join(dir, 'access.log'), 'utf8').split('\n').slice(0, -1);
    json = readFileSync(join(dir, 'access.json'), 'utf8').split('\n').slice(0, -1).map((l) => JSON.parse(l) as Record<string, unknown>);
  }, 60_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const parsed = () => text.map((line) => {
    const m = ISTIO_TEXT.exec(line);
    if (!m?.groups) throw new Error(`not Istio's default format: ${line}`);
    return m.groups as Record<string, string>;
  });

  it('is Istio’s default text format, field for field, in simulated wall-clock time from --start', () => {
    const lines = parsed();
    expect(lines.length).toBeGreaterThan(10_000);
    for (const l of lines) {
      const at = Date.parse(l.START_TIME as string);
      expect(at).toBeGreaterThanOrEqual(START_MS);
      expect(at).toBeLessThanOrEqual(START_MS + report.durationMs);
    }
  });

  it('one outbound line per call a sidecar made, with the flags the callers saw', () => {
    const outbound = parsed().filter((l) => l.UPSTREAM_CLUSTER_RAW?.startsWith('outbound|') || l.RESPONSE_FLAGS === 'UH');
    const calls = report.calls.filter((c) => c.source !== 'external');
    expect(outbound.length).toBe(calls.reduce((n, c) => n + c.requests, 0));
    const byFlags = (flag: string) => outbound.filter((l) => l.RESPONSE_FLAGS === flag).length;
    expect(byFlags('UH')).toBe(calls.reduce((n, c) => n + (c.byFlags['UH'] ?? 0), 0));
    expect(byFlags('UH')).toBeGreaterThan(100);
    for (const l of outbound.filter((x) => x.RESPONSE_FLAGS === 'UH')) {
      expect([l.RESPONSE_CODE, l.RESPONSE_CODE_DETAILS, l.UPSTREAM_HOST, l.UPSTREAM_SERVICE_TIME]).toEqual(['503', 'no_healthy_upstream', '-', '-']);
    }
  });

  it('one inbound line per attempt a sidecar served, with the codes the destination saw', () => {
    const inbound = parsed().filter((l) => l.UPSTREAM_CLUSTER_RAW?.startsWith('inbound|'));
    expect(inbound.length).toBe(report.edges.reduce((n, e) => n + e.requests, 0));
    const codes = (code: string) => inbound.filter((l) => l.RESPONSE_CODE === code).length;
    expect(codes('503')).toBe(report.edges.reduce((n, e) => n + (e.byCode['503'] ?? 0), 0));
    // mTLS from a sidecar carries Istio's SNI; the readers outside the mesh connect in plaintext.
    for (const l of inbound) expect(l.REQUESTED_SERVER_NAME).toMatch(l.AUTHORITY === 'productpage:9080' ? /^-$/ : /^outbound_\.9080_\.v1_\./);
    expect(inbound.filter((l) => l.DOWNSTREAM_REMOTE_ADDRESS?.startsWith('192.0.2.1:')).length).toBe(report.traffic[0]?.completed);
  });

  it('JSON: Istio’s keys in order, numbers as numbers, the attempt counts adding up to the retries', () => {
    expect(json).toHaveLength(text.length);
    for (const entry of json) expect(Object.keys(entry)).toEqual(ISTIO_JSON_KEYS);
    const outbound = json.filter((e) => String(e.upstream_cluster).startsWith('outbound|') || e.response_flags === 'UH');
    const retries = outbound.reduce((n, e) => n + (e.upstream_request_attempt_count as number) - 1, 0);
    expect(retries).toBe(report.retries);
    const uh = json.find((e) => e.response_flags === 'UH');
    expect(uh).toMatchObject({ response_code: 503, upstream_host: null, upstream_cluster: 'outbound|9080|v1|details.default.svc.cluster.local', upstream_request_attempt_count: 1 });
    // The same entries as the text lines, in the same order.
    expect(json.map((e) => `${e.start_time} ${e.response_code} ${e.response_flags}`)).toEqual(parsed().map((l) => `${l.START_TIME} ${l.RESPONSE_CODE} ${l.RESPONSE_FLAGS}`));
  });
});
