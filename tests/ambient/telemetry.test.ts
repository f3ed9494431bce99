import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startSimulation } from '../../src/api/index.ts';
import { deployment, service, sessionFrom } from '../helpers/mesh.ts';
import { meshviz } from '../helpers/meshvizCli.ts';
import { AMBIENT_NAMESPACE, WAYPOINT } from './ambientMesh.ts';

/**
 * What ambient's proxies report (§11: ztunnel never parses HTTP; HTTP metrics need a waypoint). Sources:
 * - ztunnel src `src/proxy/metrics.rs`: `tcp_connections_opened`, `tcp_connections_closed`, `tcp_received_bytes`,
 *   `tcp_sent_bytes` under the `istio` prefix (`src/metrics.rs`), labels `CommonTrafficLabels` with
 *   `reporter` source (`src/proxy/outbound.rs`) or destination (`src/proxy/inbound.rs`), `request_protocol="tcp"`,
 *   `connection_security_policy` `mutual_tls` or `unknown`; a connection refused by policy carries
 *   `response_flags="DENY"` (`AuthorizationPolicyDenied`); received bytes are the downstream's (the request),
 *   sent bytes the answer's (`src/copy.rs`, `copy_bidirectional`). Through a waypoint the caller's ztunnel's
 *   destination is the waypoint's workload (`build_request`, `actual_destination_workload`).
 * - Istio src `pilot/pkg/model/telemetry.go` (`generateStatsConfig`): a waypoint's stats filter reports as
 *   `SERVER_GATEWAY`, seen as `reporter="waypoint"` with the caller as source, the workload as destination and
 *   `connection_security_policy="mutual_tls"` (`tests/integration/ambient/baseline_test.go`, `buildQuery`);
 *   ztunnel's L4 series are queried as `istio_tcp_connections_opened_total` with `reporter="destination"`
 *   (`buildL4Query`).
 */
const withSa = (name: string): string => deployment(name, { app: name, version: 'v1' }).replace('    spec:\n', `    spec:\n      serviceAccountName: ${name}\n`);

const SIMULATION = `apiVersion: meshviz.dev/v1alpha1
kind: Simulation
metadata: { name: ambient-telemetry }
spec:
  flavor: istio-ambient
  seed: 1
  workloads:
    server: { latency: { fixed: 1ms } }
  traffic: [{ name: load, from: client, to: server:8080, rps: 10, duration: 2s }]`;

const serverWithWaypoint = service('server').replace('metadata: { name: server, namespace: default }', 'metadata: { name: server, namespace: default, labels: { istio.io/use-waypoint: waypoint } }');

function metricsOf(...docs: string[]): string {
  const run = startSimulation(sessionFrom(AMBIENT_NAMESPACE, withSa('client'), withSa('server'), ...docs, SIMULATION), { telemetry: { startMs: 0, liveMetrics: true } });
  while (run.advance());
  return run.telemetry?.prometheusText() ?? '';
}

/** The series of `name`, each as its labels (a record) and value. */
function series(metrics: string, name: string): Array<{ labels: Record<string, string>; value: number }> {
  return metrics
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`))
    .map((l) => {
      const labels = Object.fromEntries([...l.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
      return { labels, value: Number(l.slice(l.lastIndexOf(' ') + 1)) };
    });
}

const pick = (labels: Record<string, string>, keys: string[]) => keys.map((k) => labels[k]);
const WHO = ['reporter', 'source_workload', 'destination_workload', 'destination_service', 'connection_security_policy', 'response_flags', 'request_protocol'];

describe('ambient telemetry (§11)', () => {
  it('through a waypoint: istio_requests_total from the waypoint only (reporter="waypoint", caller → workload, mutual_tls), TCP series from both ztunnels', () => {
    const metrics = metricsOf(serverWithWaypoint, WAYPOINT);
    const requests = series(metrics, 'istio_requests_total');
    expect(requests.map((s) => pick(s.labels, ['reporter', 'source_workload', 'source_principal', 'destination_workload', 'connection_security_policy', 'response_code']))).toEqual([
      ['waypoint', 'client', 'spiffe://cluster.local/ns/default/sa/client', 'server', 'mutual_tls', '200'],
    ]);
    const n = requests[0]!.value;
    expect(n).toBe(20);
    const opened = series(metrics, 'istio_tcp_connections_opened_total');
    expect(opened.map((s) => [...pick(s.labels, WHO), s.value]).sort()).toEqual([
      ['destination', 'waypoint', 'server', 'server.default.svc.cluster.local', 'mutual_tls', '-', 'tcp', n],
      ['source', 'client', 'waypoint', 'server.default.svc.cluster.local', 'mutual_tls', '-', 'tcp', n],
    ]);
    // The caller's ztunnel's peer is the waypoint, with the waypoint's identity; the destination's sees the waypoint as source.
    const at = (reporter: string) => opened.find((s) => s.labels['reporter'] === reporter)!.labels;
    expect(at('source')['destination_principal']).toBe('spiffe://cluster.local/ns/default/sa/waypoint');
    expect(at('destination')['source_principal']).toBe('spiffe://cluster.local/ns/default/sa/waypoint');
    expect(series(metrics, 'istio_tcp_connections_closed_total').map((s) => s.value)).toEqual([n, n]);
    // The same request and answer cross both tunnels: the bytes agree at both reporters.
    const received = series(metrics, 'istio_tcp_received_bytes_total').map((s) => s.value);
    const sent = series(metrics, 'istio_tcp_sent_bytes_total').map((s) => s.value);
    expect(received[0]).toBeGreaterThan(0);
    expect(received[1]).toBe(received[0]);
    expect(sent[1]).toBe(sent[0]);
    expect(sent[0]! % n).toBe(0);
  });

  it('promtool check metrics reads the ambient exposition: the TCP counters raise no finding (only Istio’s own HTTP duration name does)', () => {
    const check = spawnSync('promtool', ['check', 'metrics'], { input: metricsOf(serverWithWaypoint, WAYPOINT), encoding: 'utf8' });
    // 3 is promtool's exit status for lint findings (a parse error is 1).
    expect(check.status).toBe(3);
    const findings = `${check.stdout}${check.stderr}`.split('\n').map((l) => l.trim()).filter((l) => l !== '');
    expect(findings.filter((f) => !/^envoy_cluster_[a-z_]+ counter metrics should have "_total" suffix$/.test(f))).toEqual([
      'istio_request_duration_milliseconds use base unit "seconds" instead of "milliseconds"',
    ]);
  });

  it('without a waypoint: no HTTP metric at all, one TCP connection per request at each ztunnel, straight to the workload', () => {
    const metrics = metricsOf(service('server'));
    expect(series(metrics, 'istio_requests_total')).toEqual([]);
    expect(series(metrics, 'istio_tcp_connections_opened_total').map((s) => [...pick(s.labels, WHO), s.value]).sort()).toEqual([
      ['destination', 'client', 'server', 'server.default.svc.cluster.local', 'mutual_tls', '-', 'tcp', 20],
      ['source', 'client', 'server', 'server.default.svc.cluster.local', 'mutual_tls', '-', 'tcp', 20],
    ]);
  });

  it('a connection the destination ztunnel refuses (L4 policy): DENY there, CONNECT at the source, no bytes either side', () => {
    const onlyOther = `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: only-other, namespace: default }
spec:
  selector: { matchLabels: { app: server } }
  action: ALLOW
  rules: [{ from: [{ source: { principals: ["cluster.local/ns/default/sa/other"] } }] }]`;
    const metrics = metricsOf(service('server'), onlyOther);
    expect(series(metrics, 'istio_tcp_connections_opened_total').map((s) => [...pick(s.labels, ['reporter', 'response_flags']), s.value]).sort()).toEqual([
      ['destination', 'DENY', 20],
      ['source', 'CONNECT', 20],
    ]);
    expect(series(metrics, 'istio_tcp_received_bytes_total').map((s) => s.value)).toEqual([0, 0]);
    expect(series(metrics, 'istio_tcp_sent_bytes_total').map((s) => s.value)).toEqual([0, 0]);
  });

  it('the waypoint’s spans and access-log lines are its own (node type `waypoint`, Istio src pkg/model/proxy.go); ztunnels write no Envoy lines', () => {
    let log = '';
    let spans = '';
    const run = startSimulation(sessionFrom(AMBIENT_NAMESPACE, withSa('client'), withSa('server'), serverWithWaypoint, WAYPOINT, SIMULATION), {
      telemetry: { startMs: 0, accessLog: { write: (t) => (log += t), format: 'json' }, traces: { write: (t) => (spans += t), samplingPercent: 100 } },
    });
    while (run.advance());
    const all = log.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    // ztunnels' own lines are ztunnel's (scope `access`, tests/ambient/ztunnelAccessLog.test.ts): one per connection at each end.
    const ztunnel = all.filter((l) => l['scope'] === 'access');
    expect(ztunnel.map((l) => l['direction']).sort()).toEqual([...Array(20).fill('inbound'), ...Array(20).fill('outbound')]);
    // Envoy's: one line per request, at the waypoint: no inbound line (ztunnel), no caller's sidecar.
    const lines = all.filter((l) => l['scope'] === undefined);
    expect(lines).toHaveLength(20);
    expect(new Set(lines.map((l) => l['upstream_cluster']))).toEqual(new Set(['outbound|8080||server.default.svc.cluster.local']));
    const exports = spans.split('\n').filter(Boolean);
    expect(exports).toHaveLength(20);
    for (const e of exports) {
      expect(e).toContain('{"key":"k8s.pod.name","value":{"stringValue":"waypoint"}}');
      expect(e).toMatch(/"node_id","value":\{"stringValue":"waypoint~/);
    }
  });

  it('a sidecar mesh writes no TCP series (no ztunnel)', () => {
    const run = startSimulation(sessionFrom(withSa('client'), withSa('server'), service('server'), SIMULATION.replace('flavor: istio-ambient', 'flavor: istio')), { telemetry: { startMs: 0, liveMetrics: true } });
    while (run.advance());
    const metrics = run.telemetry?.prometheusText() ?? '';
    expect(series(metrics, 'istio_requests_total').map((s) => s.labels['reporter']).sort()).toEqual(['destination', 'source']);
    expect(metrics).not.toContain('istio_tcp_');
  });

  it('the ambient shop from the CLI: HTTP series only for users, all from the waypoint; nothing from the destinations’ ztunnels', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshviz-ambient-'));
    try {
      const out = join(dir, 'run.prom');
      const { code } = await meshviz('simulate', '--scenario', 'ambient', '--duration', '5s', '--metrics', out);
      expect(code).toBe(0);
      const text = readFileSync(out, 'utf8');
      const lines = text.split('\n').filter((l) => l.startsWith('istio_requests_total{'));
      expect(lines.length).toBeGreaterThan(0);
      expect(new Set(lines.map((l) => /reporter="(\w+)"/.exec(l)?.[1]))).toEqual(new Set(['waypoint']));
      const services = new Set(lines.map((l) => /destination_service="([^"]*)"/.exec(l)?.[1]));
      expect([...services]).toEqual(['users.default.svc.cluster.local']);
      // OpenMetrics: the counter family is declared without `_total`, its samples carry it.
      expect(text).toContain('# TYPE istio_tcp_connections_opened counter\n');
      expect(new Set(text.split('\n').filter((l) => l.startsWith('istio_tcp_connections_opened_total{')).map((l) => /reporter="(\w+)"/.exec(l)?.[1]))).toEqual(new Set(['source', 'destination']));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
