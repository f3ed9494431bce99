import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openSession, startSimulation } from '../../src/api/index.ts';
import type { Session } from '../../src/api/index.ts';
import type { SimulationReport } from '../../src/telemetry/index.ts';
import { ambientMesh, SIMULATION } from './ambientMesh.ts';

/**
 * ztunnel's own access log under ambient (§11). Facts, from ztunnel's source (istio/ztunnel):
 * - One `connection complete` event per connection when it closes, at each ztunnel: `direction` "outbound" at the
 *   source's (reporter source), "inbound" at the destination's; level info, or error with an `error` field after
 *   `duration` when the connection failed (`access_log!` in src/proxy/metrics.rs, `ConnectionResult::record_internal`).
 * - Fields in this order: src.addr, src.workload, src.namespace, src.identity, src.cluster, dst.addr, dst.hbone_addr,
 *   dst.service, dst.workload, dst.namespace, dst.identity, dst.cluster, direction, bytes_sent, bytes_recv, duration;
 *   identities only under mTLS; `duration` as `{millis}ms`; bytes unflipped for the log (same function).
 * - Plain format: `<time>\t<level>\taccess\t<message>\t` then `name=value` separated by spaces, strings (`&str`,
 *   `String`) as Rust's Debug quotes them, addresses (Display) and numbers bare (`IstioFormat` in src/telemetry.rs);
 *   JSON (`IstioJsonFormat`): `level`, `time`, `scope`, then `message` and the fields, addresses as strings.
 * - The destination refusing by policy: the source's CONNECT gets 401 (`http status: 401 Unauthorized`,
 *   src/proxy/h2/client.rs), the destination logs `connection closed due to policy rejection: explicitly denied by:
 *   <ns>/<name>` (src/proxy.rs, `AuthorizationRejectionError`).
 * meshviz counts each request as one connection at each ztunnel (its apps open one per call).
 */
const ORDER = ['src.addr', 'src.workload', 'src.namespace', 'src.identity', 'src.cluster', 'dst.addr', 'dst.hbone_addr', 'dst.service', 'dst.workload', 'dst.namespace', 'dst.identity', 'dst.cluster', 'direction', 'bytes_sent', 'bytes_recv', 'duration', 'error'];
const QUOTED = new Set(['src.workload', 'src.namespace', 'src.identity', 'src.cluster', 'dst.service', 'dst.workload', 'dst.namespace', 'dst.identity', 'dst.cluster', 'direction', 'duration', 'error']);
const TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

type Line = { time: string; level: string; fields: Array<[string, string | number]> };

function run(session: Session, format: 'text' | 'json', duration?: number): { lines: string[]; report: SimulationReport; metrics: string } {
  let text = '';
  const sim = startSimulation(session, { ...(duration ? { duration } : {}), telemetry: { startMs: Date.UTC(2026, 11, 2, 10), liveMetrics: true, accessLog: { write: (t) => (text += t), format } } });
  while (sim.advance());
  return { lines: text.split('\n').filter((l) => l !== ''), report: sim.report(), metrics: sim.telemetry?.prometheusText() ?? '' };
}

/** A plain line back into its parts; throws on anything ztunnel's formatter would not write. */
function parseText(line: string): Line {
  const [time, level, target, message, rest, ...more] = line.split('\t');
  expect([target, message, more]).toEqual(['access', 'connection complete', []]);
  const fields: Line['fields'] = [];
  const re = / ?([a-z_.]+)=("(?:[^"\\]|\\.)*"|[^ "]+)/gy;
  let m: RegExpExecArray | null;
  let end = 0;
  while ((m = re.exec(rest as string)) !== null) {
    const [, key, raw] = m as unknown as [string, string, string];
    expect(raw.startsWith('"'), `${key} quoted`).toBe(QUOTED.has(key));
    fields.push([key, raw.startsWith('"') ? (JSON.parse(raw) as string) : /^\d+$/.test(raw) ? Number(raw) : raw]);
    end = re.lastIndex;
  }
  expect(end).toBe((rest as string).length);
  return { time: time as string, level: level as string, fields };
}

function parseJson(line: string): Line {
  const o = JSON.parse(line) as Record<string, string | number>;
  const keys = Object.keys(o);
  expect(keys.slice(0, 4)).toEqual(['level', 'time', 'scope', 'message']);
  expect([o['scope'], o['message']]).toEqual(['access', 'connection complete']);
  return { time: o['time'] as string, level: o['level'] as string, fields: keys.slice(4).map((k) => [k, o[k] as string | number]) };
}

const isZtunnel = (line: string) => line.includes('\taccess\tconnection complete\t') || line.includes('"scope":"access"');
const field = (l: Line, k: string) => l.fields.find(([key]) => key === k)?.[1];
const sum = (metrics: string, name: string, reporter: string) =>
  metrics
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`) && l.includes(`reporter="${reporter}"`))
    .reduce((a, l) => a + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);

describe("ztunnel's access log (§11)", () => {
  const opened = openSession([{ name: 'scenarios/ambient.yaml', text: readFileSync('scenarios/ambient.yaml', 'utf8') }]);
  if (!opened.ok) throw new Error('scenarios/ambient.yaml does not load');
  const session = opened.session;

  for (const format of ['text', 'json'] as const) {
    it(`${format}: every line parses back in ztunnel's order, and the lines agree with the run's report and ztunnel's metrics`, () => {
      const { lines, report, metrics } = run(session, format, 20_000_000);
      const parsed = lines.filter(isZtunnel).map(format === 'text' ? parseText : parseJson);
      expect(parsed.length).toBeGreaterThan(100);
      const pods = new Map(session.scenario.pods.map((p) => [p.name, p]));
      let last = '';
      for (const l of parsed) {
        expect(l.time).toMatch(TIME);
        expect(l.time >= last).toBe(true);
        last = l.time;
        expect(l.level).toBe('info');
        const keys = l.fields.map(([k]) => k);
        expect(keys).toEqual(ORDER.filter((k) => keys.includes(k)));
        // Every connection here is HBONE between meshed workloads: both identities, the tunnel's port, the inner target.
        expect(keys).toEqual(ORDER.filter((k) => k !== 'error'));
        expect(field(l, 'dst.addr')).toMatch(/:15008$/);
        expect(field(l, 'duration')).toMatch(/^\d+ms$/);
        const src = pods.get(field(l, 'src.workload') as string);
        if (src) {
          expect(String(field(l, 'src.addr')).split(':')[0]).toBe(src.ip);
          expect(field(l, 'src.identity')).toBe(`spiffe://cluster.local/ns/${src.namespace}/sa/${src.serviceAccount}`);
        } else expect(field(l, 'src.workload')).toBe('waypoint');
      }
      const outbound = parsed.filter((l) => field(l, 'direction') === 'outbound');
      const inbound = parsed.filter((l) => field(l, 'direction') === 'inbound');
      // One outbound line per call the report counts (each at the caller's ztunnel), by caller workload and Service.
      const calls = new Map<string, number>();
      for (const l of outbound) {
        const key = `${pods.get(field(l, 'src.workload') as string)?.workload} ${field(l, 'dst.service')}`;
        calls.set(key, (calls.get(key) ?? 0) + 1);
      }
      expect(Object.fromEntries(calls)).toEqual(Object.fromEntries(report.calls.map((c) => [`${c.source} ${c.destinationService}`, c.requests])));
      // One inbound line per request a pod received (each at the pod's ztunnel).
      const received = new Map<string, number>();
      for (const l of inbound) received.set(field(l, 'dst.workload') as string, (received.get(field(l, 'dst.workload') as string) ?? 0) + 1);
      expect(Object.fromEntries(received)).toEqual(Object.fromEntries(report.pods.filter((p) => p.received > 0).map((p) => [p.name, p.received])));
      // Bytes: the log unflips them; ztunnel's counters count the request as received and the answer as sent, at both ends.
      const total = (ls: Line[], k: string) => ls.reduce((a, l) => a + (field(l, k) as number), 0);
      expect(total(inbound, 'bytes_recv')).toBe(sum(metrics, 'istio_tcp_received_bytes_total', 'destination'));
      expect(total(inbound, 'bytes_sent')).toBe(sum(metrics, 'istio_tcp_sent_bytes_total', 'destination'));
      expect(total(outbound, 'bytes_sent')).toBe(sum(metrics, 'istio_tcp_received_bytes_total', 'source'));
      expect(total(outbound, 'bytes_recv')).toBe(sum(metrics, 'istio_tcp_sent_bytes_total', 'source'));
      // To the waypoint: the tunnel goes to the waypoint, its inner target is the Service's address and port.
      const toWaypoint = outbound.filter((l) => field(l, 'dst.workload') === 'waypoint');
      expect(toWaypoint.length).toBe(report.calls.find((c) => c.destinationService === 'users.default.svc.cluster.local')?.requests);
      expect(new Set(toWaypoint.map((l) => String(field(l, 'dst.hbone_addr')).split(':')[1]))).toEqual(new Set(['8080']));
    });
  }

  it('a connection the destination ztunnel refuses (DENY policy): an error line at both ends, no bytes', () => {
    const deny = `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: deny-other, namespace: default }
spec:
  selector: { matchLabels: { app: server } }
  action: DENY
  rules: [{ from: [{ source: { principals: ["cluster.local/ns/default/sa/other"] } }] }]`;
    const sim = SIMULATION.replace('    server: { latency: { fixed: 1ms } }', '    server: { latency: { fixed: 1ms } }\n  traffic: [{ name: a, from: client, to: server:8080, rps: 5, duration: 1s }, { name: b, from: other, to: server:8080, rps: 5, duration: 1s }]');
    const { lines } = run(ambientMesh({ extra: [deny], simulation: sim }), 'text');
    const parsed = lines.filter(isZtunnel).map(parseText);
    const errors = parsed.filter((l) => l.level === 'error');
    expect(errors.length).toBe(10);
    for (const l of errors) {
      expect(String(field(l, 'src.workload'))).toMatch(/^other-/);
      expect([field(l, 'bytes_sent'), field(l, 'bytes_recv')]).toEqual([0, 0]);
      expect(l.fields[l.fields.length - 1]?.[0]).toBe('error');
    }
    expect(errors.filter((l) => field(l, 'direction') === 'inbound').map((l) => field(l, 'error'))).toEqual(Array(5).fill('connection closed due to policy rejection: explicitly denied by: default/deny-other'));
    expect(errors.filter((l) => field(l, 'direction') === 'outbound').map((l) => field(l, 'error'))).toEqual(Array(5).fill('http status: 401 Unauthorized'));
    expect(parsed.filter((l) => l.level === 'info').every((l) => String(field(l, 'src.workload')).startsWith('client-'))).toBe(true);
  });
});
