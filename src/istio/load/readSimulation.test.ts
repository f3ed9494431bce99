import { describe, expect, it } from 'vitest';
import { DEFAULT_COSTS, DEFAULT_CONTROL_PLANE } from '../../model/index.ts';
import { loadScenario } from './loadScenario.ts';

function app(name: string, port = 8080): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  template:
    metadata: {labels: {app: ${name}}}
---
apiVersion: v1
kind: Service
metadata: {name: ${name}}
spec:
  selector: {app: ${name}}
  ports: [{port: ${port}}]
---
`;
}

const cluster = app('web') + app('api') + app('users-v1') + app('users', 8080);
const simulation = (spec: string) =>
  `apiVersion: meshviz.dev/v1alpha1\nkind: Simulation\nmetadata: {name: sim}\nspec:\n${spec.replace(/^/gm, '  ')}\n`;
const load = (spec: string) => loadScenario([{ name: 'sim.yaml', text: cluster + simulation(spec) }]);
const findings = (spec: string) => load(spec).diagnostics.map((d) => `${d.code} ${d.path}: ${d.message}`);

describe('readSimulation', () => {
  it('reads every field of the Simulation document', () => {
    const { scenario, diagnostics } = load(`flavor: istio
seed: 42
costs: {proxyProcessing: 0.6ms, loopback: 50us, wire: 100us, tcpHandshake: 200us, tlsHandshake: 1ms}
mesh: {clusterDomain: example.org, trustDomain: example.org}
workloads:
  api:
    latency: {fixed: 10ms}
    errorRate: 0.01
    propagateTraceHeaders: false
    calls:
      - service: users:8080
        path: /users/1
        method: POST
        headers: {x-user: alice}
        timeout: 3s
        retries: 1
        onFailure: continue
        parallel: true
      - service: users.default.svc.example.org
  users-v1:
    latency: {p50: 10ms, p99: 80ms}
traffic:
  - name: browse
    from: web
    to: api:8080
    path: /
    method: GET
    headers: {}
    rps: 20
    duration: 60s
    start: 1m30s
  - name: batch
    from: external
    to: api.default
    connections: 2
    requests: 20
timeline:
  - at: 10s
    fail: {workload: users-v1, mode: 503}
  - at: 20s
    fail: {workload: users-v1, mode: slow, delay: 2s}
  - at: 40s
    recover: {workload: users-v1}`);
    expect(diagnostics).toEqual([]);
    expect(scenario.mesh).toEqual({ rootNamespace: 'istio-system', trustDomain: 'example.org', clusterDomain: 'example.org', outboundTrafficPolicy: 'ALLOW_ANY', h2UpgradePolicy: 'DO_NOT_UPGRADE' });
    expect(scenario.simulation).toEqual({
      name: 'sim',
      flavor: 'istio',
      seed: 42,
      costs: DEFAULT_COSTS,
      controlPlane: DEFAULT_CONTROL_PLANE,
      workloads: {
        api: {
          latency: { kind: 'fixed', value: 10_000 },
          errorRate: 0.01,
          propagateTraceHeaders: false,
          propagateHeaders: [],
          calls: [
            {
              host: 'users', port: 8080, path: '/users/1', method: 'POST', headers: { 'x-user': 'alice' },
              timeout: 3_000_000, retries: 1, onFailure: 'continue', parallel: true,
              source: { file: 'sim.yaml', line: 71, col: 11 },
            },
            {
              host: 'users.default.svc.example.org', path: '/', method: 'GET', headers: {},
              retries: 0, onFailure: 'fail', parallel: false,
              source: { file: 'sim.yaml', line: 79, col: 11 },
            },
          ],
        },
        'users-v1': {
          latency: { kind: 'lognormal', p50: 10_000, p99: 80_000 },
          errorRate: 0,
          propagateTraceHeaders: true,
          propagateHeaders: [],
          calls: [],
        },
      },
      traffic: [
        {
          name: 'browse', from: 'web', host: 'api', port: 8080, path: '/', method: 'GET', headers: {},
          load: { kind: 'open', rps: 20, duration: 60_000_000 }, start: 90_000_000,
        },
        {
          name: 'batch', from: 'external', host: 'api.default', path: '/', method: 'GET', headers: {},
          load: { kind: 'closed', connections: 2, requests: 20 }, start: 0,
        },
      ],
      timeline: [
        { at: 10_000_000, action: { kind: 'fail', target: { workload: 'users-v1' }, mode: '503' } },
        { at: 20_000_000, action: { kind: 'fail', target: { workload: 'users-v1' }, mode: 'slow', delay: 2_000_000 } },
        { at: 40_000_000, action: { kind: 'recover', target: { workload: 'users-v1' } } },
      ],
      expect: [],
    });
  });

  it('uses defaults without a Simulation document, and within one', () => {
    const none = loadScenario([{ name: 'a.yaml', text: cluster }]);
    expect(none.diagnostics).toEqual([]);
    expect(none.scenario.simulation).toMatchObject({ seed: 1, flavor: 'istio', traffic: [], timeline: [], workloads: {} });
    expect(none.scenario.mesh.rootNamespace).toBe('istio-system');
    const empty = load('workloads: {api: }');
    expect(empty.scenario.simulation.seed).toBe(1);
    expect(empty.scenario.simulation.workloads['api']?.latency).toEqual({ kind: 'fixed', value: 5_000 });
  });

  it('accepts the mode as a number or a string', () => {
    const { scenario } = load('timeline:\n  - {at: 1s, fail: {workload: api, mode: "500"}}\n  - {at: 2s, fail: {workload: api, mode: 500}}');
    expect(scenario.simulation.timeline.map((t) => t.action.kind === 'fail' && t.action.mode)).toEqual(['500', '500']);
  });

  it('refuses durations without a unit, with a hint', () => {
    expect(findings('workloads:\n  api:\n    latency: {fixed: 10}\n    calls: [{service: users, timeout: soon}]')).toEqual([
      'MV0044 spec.workloads.api.latency.fixed: a duration needs a unit: write 10ms or 10s, not 10',
      'MV0043 spec.workloads.api.calls[0].timeout: "soon" is not a duration (write e.g. 10ms, 1.5s, 1m30s)',
    ]);
  });

  it('refuses durations longer than a year, and numbers too long to be finite', () => {
    const huge = '9'.repeat(400);
    expect(findings(`traffic:\n  - {from: web, to: api, rps: 20, duration: ${huge}s}\n  - {name: b, from: web, to: api, rps: 1, duration: 8761h}\ntimeline:\n  - {at: ${huge}ms, fail: {workload: api, mode: "503"}}\nworkloads:\n  api: {latency: {fixed: 8760h}}`)).toEqual([
      `MV0047 spec.traffic[0].duration: "${'9'.repeat(37)}…" is longer than 8760h (a year), the longest duration meshviz simulates`,
      'MV0047 spec.traffic[1].duration: "8761h" is longer than 8760h (a year), the longest duration meshviz simulates',
      `MV0047 spec.timeline[0].at: "${'9'.repeat(37)}…" is longer than 8760h (a year), the longest duration meshviz simulates`,
    ]);
  });

  it('reports unknown fields anywhere, with a suggestion when one field is close', () => {
    expect(findings('sede: 3\nworkloads:\n  api: {latncy: {fixed: 1ms}, calls: [{service: users, timout: 1s, zzz: 1}]}\ntraffic:\n  - {from: web, to: api, rsp: 1, duration: 1s}')).toEqual([
      'MV0041 spec.sede: unknown field "sede" (did you mean "seed"?)',
      'MV0041 spec.workloads.api.latncy: unknown field "latncy" (did you mean "latency"?)',
      'MV0041 spec.workloads.api.calls[0].timout: unknown field "timout" (did you mean "timeout"?)',
      'MV0041 spec.workloads.api.calls[0].zzz: unknown field "zzz"',
      'MV0020 spec.traffic[0].rps: required field "rps" is missing',
      'MV0041 spec.traffic[0].rsp: unknown field "rsp" (did you mean "rps"?)',
    ]);
  });

  it('refuses malformed latency', () => {
    const workloads = ['api: {latency: {fixed: 1ms, p50: 1ms}}', 'web: {latency: {p50: 1ms}}', 'users: {latency: {p50: 9ms, p99: 2ms}}', 'users-v1: {latency: {}}'];
    expect(findings(`workloads:\n  ${workloads.join('\n  ')}`)).toEqual([
      'MV0102 spec.workloads.api.latency: latency needs either {fixed} or {p50, p99}: both are given',
      'MV0102 spec.workloads.web.latency: latency needs either {fixed} or {p50, p99}: p50 and p99 go together',
      'MV0102 spec.workloads.users.latency: latency needs either {fixed} or {p50, p99}: p99 is below p50',
      'MV0102 spec.workloads.users-v1.latency: latency needs either {fixed} or {p50, p99}: neither is given',
    ]);
  });

  it('refuses traffic with both loads, no load, or bad numbers', () => {
    expect(findings('traffic:\n  - {from: web, to: api, rps: 1, duration: 1s, connections: 1, requests: 1}\n  - {from: web, to: api}\n  - {from: web, to: "api:99999", rps: 0, duration: 0s}\n  - {from: web, to: api, connections: 0, requests: 1.5}')).toEqual([
      'MV0103 spec.traffic[0]: traffic needs either rps and duration (open loop) or connections and requests (closed loop): both are given',
      'MV0103 spec.traffic[1]: traffic needs either rps and duration (open loop) or connections and requests (closed loop): neither is given',
      'MV0108 spec.traffic[2].to: "api:99999" is not host[:port] (e.g. users:8080 or users.default.svc.cluster.local)',
      'MV0042 spec.traffic[2].rps: rps must be above 0, not 0',
      'MV0042 spec.traffic[2].duration: duration must be longer than 0',
      'MV0042 spec.traffic[3].connections: connections must be at least 1, not 0',
      'MV0040 spec.traffic[3].requests: expected an integer, got a number (1.5)',
    ]);
  });

  it('refuses duplicate traffic names and errorRate outside 0..1', () => {
    expect(findings('workloads: {api: {errorRate: 1.5}}\ntraffic:\n  - {name: a, from: web, to: api, rps: 1, duration: 1s}\n  - {name: a, from: web, to: api, rps: 1, duration: 1s}')).toEqual([
      'MV0042 spec.workloads.api.errorRate: errorRate must be at least 0 and at most 1, not 1.5',
      'MV0109 spec.traffic[1].name: traffic name "a" is used twice',
    ]);
  });

  it('checks timeline entries', () => {
    expect(findings('timeline:\n  - {at: 1s}\n  - {at: 1s, fail: {workload: api, pod: x, mode: reset}}\n  - {at: 1s, fail: {workload: api, mode: slow}}\n  - {at: 1s, fail: {workload: api, mode: hang, delay: 1s}}\n  - {at: 1s, fail: {workload: api, mode: 404}}\n  - {fail: {workload: api, mode: refuse}}')).toEqual([
      'MV0104 spec.timeline[0]: a timeline entry needs exactly one of fail, recover, apply, delete or controlPlane',
      'MV0105 spec.timeline[1].fail: a failure target needs exactly one of workload or pod',
      'MV0106 spec.timeline[2].fail.mode: mode slow needs a delay, e.g. delay: 2s',
      'MV0107 spec.timeline[3].fail.delay: delay only applies to mode slow, not hang',
      'MV0042 spec.timeline[4].fail.mode: mode must be one of 503, 500, reset, refuse, hang, slow, not "404"',
      'MV0020 spec.timeline[5].at: required field "at" is missing',
    ]);
  });

  it('allows one Simulation and one flavor', () => {
    const text = cluster + simulation('flavor: consul') + '---\n' + simulation('seed: 2');
    const result = loadScenario([{ name: 'sim.yaml', text }]);
    expect(result.diagnostics.map((d) => `${d.code} ${d.severity} ${d.resource}`)).toEqual([
      'MV0101 error Simulation/sim',
      'MV0100 error Simulation/sim',
    ]);
    expect(result.scenario.simulation.seed).toBe(1);
  });

  it('reads the flavor: istio (the default) or linkerd', () => {
    expect(load('flavor: linkerd').scenario.simulation.flavor).toBe('linkerd');
    expect(load('seed: 3').scenario.simulation.flavor).toBe('istio');
  });

  it('reads cost overrides and keeps the defaults for the rest', () => {
    expect(load('costs: {wire: 1ms}').scenario.simulation.costs).toEqual({ ...DEFAULT_COSTS, wire: 1_000 });
  });
});

describe('readSimulation: expect', () => {
  it('keeps each condition with its text, field path and place', () => {
    const { scenario, diagnostics } = load('expect:\n  - p99 of traffic browse < 500ms\n  - "no 503 UH"');
    expect(diagnostics).toEqual([]);
    expect(scenario.simulation.expect).toEqual([
      { kind: 'latency', percentile: 99, subject: { kind: 'traffic', name: 'browse' }, op: '<', value: 500_000, window: undefined, text: 'p99 of traffic browse < 500ms', path: 'spec.expect[0]', source: { file: 'sim.yaml', line: 62, col: 7 } },
      { kind: 'none', status: { kind: 'exact', status: 503 }, flags: ['UH'], subject: { kind: 'all' }, window: undefined, text: 'no 503 UH', path: 'spec.expect[1]', source: { file: 'sim.yaml', line: 63, col: 7 } },
    ]);
  });

  it('reports a malformed condition at its item, with the character where it stops making sense, and leaves it out', () => {
    const { scenario, diagnostics } = load('expect:\n  - success rate of web api ≥ 99 %\n  - 42\n  - retries ≤ 20 % of requests');
    expect(diagnostics.map((d) => `${d.code} ${d.path} ${d.source?.line}:${d.source?.col} ${d.message}`)).toEqual([
      'MV0111 spec.expect[0] 62:7 expectation "success rate of web api ≥ 99 %" is not understood at character 21: expected "→" after "web" (a call is SOURCE → SERVICE; a traffic source is "traffic NAME"), found "api"',
      'MV0040 spec.expect[1] 63:7 expected a string such as "p99 of traffic browse < 500ms", got a number (42)',
    ]);
    expect(scenario.simulation.expect.map((e) => e.text)).toEqual(['retries ≤ 20 % of requests']);
  });
});
