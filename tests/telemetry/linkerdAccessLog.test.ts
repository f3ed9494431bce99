import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/istio/index.ts';
import type { SimulationReport } from '../../src/telemetry/index.ts';
import { meshviz } from '../helpers/meshvizCli.ts';

/**
 * linkerd-proxy's access log. Sources (linkerd2-proxy, main of 2026-08):
 * `linkerd/http/access-log/src/lib.rs` (the fields, recorded by the inbound
 * server only: `linkerd/app/inbound/src/http/server.rs`),
 * `linkerd/tracing/src/access_log.rs` (`ApacheCommon`: `<client.addr>
 * <client.id> - [<timestamp>] "<method> <uri> <version>" <status>`; JSON:
 * tracing-subscriber's `JsonFields`, keys sorted, `status` a number). The
 * annotation: linkerd2 `pkg/k8s/labels.go` `ProxyAccessLogAnnotation`, and
 * linkerd.io `2-edge/features/access-logging.md` for lines as a cluster
 * writes them (`"GET http://webapp:7000/ HTTP/2.0" 200` from a meshed client).
 */
const APACHE = /^(?<addr>\d+\.\d+\.\d+\.\d+:\d+) (?<id>\S+) - \[(?<timestamp>[^\]]+)\] "(?<method>[A-Z]+) (?<uri>\S+) (?<version>HTTP\/2\.0|HTTP\/1\.1)" (?<status>\d{3})$/;
/** jiff's `Timestamp` display: nanoseconds, trailing zeros dropped, no fraction on a whole second. */
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{0,8}[1-9])?Z$/;
const JSON_KEYS = ['client.addr', 'client.id', 'host', 'method', 'processing_ns', 'request_bytes', 'status', 'timestamp', 'total_ns', 'trace_id', 'uri', 'user_agent', 'version'];

const START = '2026-01-05T09:00:00Z';
const START_MS = Date.parse(START);

/** Nanoseconds since the epoch of a line's timestamp (as a number of µs: meshviz's clock). */
function micros(timestamp: string): number {
  const [whole, fraction = ''] = timestamp.slice(0, -1).split('.');
  return Date.parse(`${whole as string}Z`) * 1000 + Number(fraction.padEnd(9, '0').slice(0, 6));
}

describe('--access-log under Linkerd: linkerd-proxy lines from the annotated pods only', () => {
  let dir: string;
  let report: SimulationReport;
  let apache: Array<Record<string, string>>;
  let json: Array<Record<string, unknown>>;
  let stderr: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'meshviz-linkerd-log-'));
    // scenarios/linkerd.yaml annotates api (json) and users-v1 (apache).
    const run = await meshviz('simulate', 'scenarios/linkerd.yaml', '--duration', '20s', '--start', START, '-o', 'json', '--access-log', join(dir, 'access.log'));
    expect(run.code).toBe(0);
    stderr = run.stderr;
    report = JSON.parse(run.stdout) as SimulationReport;
    const lines = readFileSync(join(dir, 'access.log'), 'utf8').split('\n');
    expect(lines.pop()).toBe('');
    json = lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    apache = lines.filter((l) => !l.startsWith('{')).map((line) => {
      const m = APACHE.exec(line);
      if (!m?.groups) throw new Error(`not linkerd-proxy's apache format: ${line}`);
      return m.groups;
    });
  }, 60_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes one line per request that reached an annotated pod, in that pod’s format, and none for the others', () => {
    const edge = (source: string, destination: string) => report.edges.find((e) => e.source === source && e.destination === destination);
    const toApi = edge('web', 'api');
    const toUsersV1 = edge('api', 'users-v1');
    expect(toApi?.requests).toBeGreaterThan(100);
    expect(json).toHaveLength(toApi?.requests as number);
    expect(apache).toHaveLength(toUsersV1?.requests as number);
    // Lines only from api (json) and users-v1 (apache): users-v2, db and cache are not annotated.
    expect(new Set(json.map((l) => l['host']))).toEqual(new Set(['api:8080']));
    expect(new Set(apache.map((l) => l['uri']?.replace(/\/users\/\d+$/, '')))).toEqual(new Set(['http://users:8080']));
    const codes = (statuses: number[]) => Object.fromEntries([...new Set(statuses)].map((s) => [String(s), statuses.filter((x) => x === s).length]));
    expect(codes(json.map((l) => l['status'] as number))).toEqual(toApi?.byCode);
    expect(codes(apache.map((l) => Number(l['status'])))).toEqual(toUsersV1?.byCode);
    expect(stderr).toBe('');
  });

  it('json: tracing-subscriber’s JsonFields, keys in byte order, status a number and every other value a string', () => {
    for (const line of json) {
      expect(Object.keys(line)).toEqual(JSON_KEYS);
      for (const key of JSON_KEYS) expect(typeof line[key]).toBe(key === 'status' ? 'number' : 'string');
    }
    const first = json[0] as Record<string, string>;
    // web's proxy upgraded its HTTP/1.1 request to HTTP/2 (orig-proto); the access log sits outside the downgrade.
    expect(first).toMatchObject({ 'client.id': 'web.default.serviceaccount.identity.linkerd.cluster.local', version: 'HTTP/2.0', method: 'GET', uri: 'http://api:8080/products', host: 'api:8080', request_bytes: '', trace_id: '', user_agent: '' });
  });

  it('timestamps are the request’s arrival at the pod, in the run’s wall-clock time, with jiff’s precision', () => {
    const stamps = [...json.map((l) => l['timestamp'] as string), ...apache.map((l) => l['timestamp'] as string)];
    for (const t of stamps) {
      expect(t).toMatch(TIMESTAMP);
      expect(micros(t)).toBeGreaterThanOrEqual(START_MS * 1000);
      expect(micros(t)).toBeLessThanOrEqual((START_MS + 20_000) * 1000);
    }
    // total_ns is whole µs of simulated time; the proxy's processing is part of it.
    for (const l of json) {
      const total = Number(l['total_ns']);
      expect(total % 1000).toBe(0);
      expect(Number(l['processing_ns'])).toBeLessThanOrEqual(total);
      expect(Number(l['processing_ns'])).toBeGreaterThan(0);
    }
  });

  it('apache: the client is the caller pod with its Linkerd identity, over one HTTP/2 connection per pair of pods', () => {
    expect(new Set(apache.map((l) => l['id']))).toEqual(new Set(['api.default.serviceaccount.identity.linkerd.cluster.local']));
    expect(new Set(apache.map((l) => l['version']))).toEqual(new Set(['HTTP/2.0']));
    expect(new Set(apache.map((l) => l['addr'])).size).toBe(1);
  });
});

describe('config.linkerd.io/access-log as the injector and the proxy read it', () => {
  const scenario = (annotations: string, namespaceAnnotation = '') => `
apiVersion: v1
kind: Namespace
metadata:
  name: shop
  annotations:
    linkerd.io/inject: enabled${namespaceAnnotation}
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: api, namespace: shop }
spec:
  template:
    metadata:
      labels: { app: api }${annotations}
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  template:
    metadata:
      labels: { app: web }
---
apiVersion: v1
kind: Service
metadata: { name: api, namespace: shop }
spec:
  selector: { app: api }
  ports: [{ port: 8080 }]
---
apiVersion: meshviz.dev/v1alpha1
kind: Simulation
metadata: { name: log }
spec:
  flavor: linkerd
  traffic:
    - { name: t, from: web, to: "api.shop:8080", path: /, rps: 10, duration: 1s }
`;
  const load = (text: string) => loadScenario([{ name: 's.yaml', text }]);

  it('a value other than apache or json (any case) is reported where it is written, MV0611', () => {
    const bad = load(scenario('\n      annotations: { config.linkerd.io/access-log: common }'));
    const found = bad.diagnostics.filter((d) => d.code === 'MV0611');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: 'warning', path: 'spec.template.metadata.annotations["config.linkerd.io/access-log"]', source: { file: 's.yaml', line: 16 } });
    expect(load(scenario('\n      annotations: { config.linkerd.io/access-log: JSON }')).diagnostics.filter((d) => d.code === 'MV0611')).toEqual([]);
    const onNamespace = load(scenario('', '\n    config.linkerd.io/access-log: yes'));
    expect(onNamespace.diagnostics.filter((d) => d.code === 'MV0611').map((d) => d.path)).toEqual(['metadata.annotations["config.linkerd.io/access-log"]']);
  });

  describe('simulate', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'meshviz-linkerd-log-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    const run = async (name: string, text: string, ...flags: string[]) => {
      writeFileSync(join(dir, `${name}.yaml`), text);
      const out = join(dir, `${name}.log`);
      const result = await meshviz('simulate', join(dir, `${name}.yaml`), '--access-log', out, ...flags);
      return { ...result, lines: readFileSync(out, 'utf8').split('\n').slice(0, -1) };
    };

    it('a namespace’s annotation applies to its pods, and a workload’s own wins over it', async () => {
      const inherited = await run('inherited', scenario('', '\n    config.linkerd.io/access-log: apache'));
      expect(inherited.code).toBe(0);
      // Both pods' proxies log; only api is called (by web): ten requests, each a line of api's, in apache.
      expect(inherited.lines.length).toBe(10);
      for (const l of inherited.lines) expect(l).toMatch(APACHE);
      const own = await run('own', scenario('\n      annotations: { config.linkerd.io/access-log: json }', '\n    config.linkerd.io/access-log: apache'));
      expect(own.lines.length).toBe(10);
      for (const l of own.lines) expect(Object.keys(JSON.parse(l) as object)).toEqual(JSON_KEYS);
    }, 30_000);

    it('with no annotated pod, says so on stderr (the file stays empty); --access-log-format is said not to apply', async () => {
      const none = await run('none', scenario(''));
      expect(none.code).toBe(0);
      expect(none.lines).toEqual([]);
      expect(none.stderr).toContain('no pod is annotated config.linkerd.io/access-log');
      const flagged = await run('flagged', scenario('\n      annotations: { config.linkerd.io/access-log: apache }'), '--access-log-format', 'json');
      expect(flagged.stderr).toContain('--access-log-format chooses Envoy');
      expect(flagged.stderr).not.toContain('no pod is annotated');
      for (const l of flagged.lines) expect(l).toMatch(APACHE);
    }, 30_000);
  });
});
