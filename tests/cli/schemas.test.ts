import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { AnySchema } from 'ajv';
import { describe, expect, it } from 'vitest';
import { meshviz } from '../helpers/meshvizCli.ts';
import { tempDir } from '../helpers/tempDir.ts';

type Schema = { $ref?: string; $defs?: Record<string, Schema>; type?: string | string[]; required?: string[]; properties?: Record<string, Schema>; items?: Schema; oneOf?: Schema[] };

const schemaOf = (command: string): Schema => JSON.parse(readFileSync(`schemas/${command}.schema.json`, 'utf8')) as Schema;
const ajv = new Ajv2020({ allErrors: true, strict: true });

async function jsonOf(...args: string[]): Promise<{ code: number; data: unknown }> {
  const r = await meshviz(...args, '-o', 'json');
  if (r.code === 2) throw new Error(`meshviz ${args.join(' ')}: ${r.stderr}`);
  return { code: r.code, data: JSON.parse(r.stdout) as unknown };
}

function expectValid(command: string, data: unknown): void {
  const validate = ajv.getSchema(command) ?? (ajv.addSchema(schemaOf(command) as AnySchema, command), ajv.getSchema(command));
  if (!validate) throw new Error(`no schema for ${command}`);
  const ok = validate(data);
  expect(ok ? [] : validate.errors, `${command} output against schemas/${command}.schema.json`).toEqual([]);
}

const BOOKINFO = ['tests/fixtures/bookinfo/bookinfo.yaml', 'tests/fixtures/bookinfo/destination-rule-all.yaml'];

describe('every command’s JSON output matches its schema', () => {
  it('send: one request, --repeat, --certs, a 403, Bookinfo; no time without its unit', async () => {
    for (const args of [
      ['send', '--from', 'web', '--to', 'api:8080/'],
      ['send', '--from', 'api', '--to', 'users:8080/', '--fail', 'users-v1=503', '--repeat', '4', '--seed', '42'],
      ['send', '--from', 'web', '--to', 'api:8080/', '--certs'],
      ['send', 'scenarios/default.yaml', 'examples/rbac.yaml', '--from', 'web', '--to', 'api:8080/', '--method', 'DELETE'],
      ['send', '--scenario', 'bookinfo', '--from', 'productpage', '--to', 'reviews:9080/reviews/0', '--fail', 'ratings-v1=hang'],
    ]) {
      const { data } = await jsonOf(...args);
      expectValid('send', data);
      const events = (data as { events: Array<Record<string, unknown>> }).events;
      expect(events.length).toBeGreaterThan(5);
      expect(events.map((e) => Object.keys(e).filter((k) => /^(t|delay|setup|timeout|duration|ejectedFor|notAfter|range)$/.test(k))).flat()).toEqual([]);
    }
  }, 60_000);

  it('simulate: the default story (an ejection still out at the end) and Bookinfo', async () => {
    const story = await jsonOf('simulate', '--duration', '20s');
    expectValid('simulate', story.data);
    expect((story.data as { ejections: Array<{ durationMs: number | null }> }).ejections.map((e) => e.durationMs)).toContain(null);
    expectValid('simulate', (await jsonOf('simulate', '--scenario', 'bookinfo', '--duration', '10s', '--seed', '7')).data);
    const checked = await jsonOf('simulate', '--expect', 'examples/expect/slo.yaml');
    expect(checked.code).toBe(1);
    expectValid('simulate', checked.data);
  }, 60_000);

  it('compare: Istio, Linkerd and ambient runs side by side', async () => {
    const { data } = await jsonOf('compare', '--flavors', 'istio,linkerd,istio-ambient', '--duration', '10s');
    expectValid('compare', data);
    expect((data as { flavors: Array<{ flavor: string }> }).flavors.map((f) => f.flavor)).toEqual(['istio', 'linkerd', 'istio-ambient']);
    expect((data as { flavors: Array<{ ambient?: unknown }> }).flavors[2]?.ambient).toEqual({ ztunnels: 2, waypoints: 1, requestsThroughWaypoints: expect.any(Number) });
  }, 60_000);

  it("graph: the default story, Bookinfo and the egress example (ServiceEntry nodes) and a gateway's TCP proxies (TCP edges) in Kiali's graph JSON, versioned apps, apps, workloads and services", async () => {
    for (const args of [
      ['graph', '--duration', '20s'],
      ['graph', '--scenario', 'bookinfo', '--duration', '10s', '--graph-type', 'workload'],
      ['graph', '--duration', '10s', '--graph-type', 'app'],
      ['graph', '--duration', '10s', '--graph-type', 'service'],
      ['graph', 'examples/egress', '--duration', '10s'],
      ['graph', 'examples/ingress/mesh.yaml', 'tests/fixtures/telemetry/tcp-proxies.yaml'],
    ]) {
      const { data } = await jsonOf(...args);
      expectValid('graph', data);
      expect((data as { elements: { edges: unknown[] } }).elements.edges.length).toBeGreaterThanOrEqual(4);
    }
  }, 60_000);

  it('analyze: findings with and without a resource, a path or a position, with and without equivalents', async () => {
    const dir = tempDir('schemas');
    writeFileSync(join(dir, 'odd.yaml'), 'apiVersion: v1\nkind: Service\nmetadata: {name: lonely}\nspec: {ports: [{port: 80}]}\n---\nkind: Gizmo\n');
    const { code, data } = await jsonOf('analyze', ...BOOKINFO, 'tests/fixtures/bookinfo/virtual-service-reviews-broken.yaml', join(dir, 'odd.yaml'));
    expect(code).toBe(1);
    expectValid('analyze', data);
    const findings = data as Array<{ equivalents: string[]; resource: string | null }>;
    expect(findings.some((d) => d.equivalents.length === 0)).toBe(true);
    expect(findings.some((d) => d.equivalents.length > 0)).toBe(true);
  }, 30_000);

  it('test-routes: passing, failing, and a case whose request could not be sent', async () => {
    const dir = tempDir('schemas');
    const cases = join(dir, 'cases.yaml');
    writeFileSync(cases, 'cases:\n  - {name: v1, from: productpage, authority: "reviews:9080", expect: {subset: v1}}\n  - {name: nobody, from: nobody, authority: "reviews:9080", expect: {status: 200}}\n');
    const { code, data } = await jsonOf('test-routes', ...BOOKINFO, 'tests/fixtures/bookinfo/virtual-service-reviews-test-v2.yaml', '--cases', cases);
    expect(code).toBe(1);
    expectValid('test-routes', data);
    expect((data as { cases: Array<{ observed: unknown }> }).cases.map((c) => c.observed === null)).toEqual([false, true]);
  }, 30_000);

  it('diff, reach and sweep', async () => {
    const pr = await jsonOf('diff', 'scenarios/default.yaml', 'examples/legacy-client.yaml', '--after', 'scenarios/default.yaml', 'examples/legacy-client.yaml', 'examples/strict-mtls.yaml', 'examples/diff/users-all-v2.yaml', '--traffic', 'examples/diff/traffic.yaml');
    expect(pr.code).toBe(1);
    expectValid('diff', pr.data);
    expectValid('diff', (await jsonOf('diff', ...BOOKINFO, '--after', ...BOOKINFO, 'tests/fixtures/bookinfo/virtual-service-reviews-broken.yaml')).data);
    expectValid('reach', (await jsonOf('reach', 'scenarios/default.yaml', 'examples/rbac.yaml', 'examples/legacy-client.yaml', 'examples/strict-mtls.yaml')).data);
    expectValid('sweep', (await jsonOf('sweep', '--vary', 'retries.attempts=0,2', '--seeds', '2', '--workers', '1')).data);
    expectValid('sweep', (await jsonOf('sweep', '--scenario', 'bookinfo')).data);
    expectValid('canary', (await jsonOf('canary', 'examples/canary/podinfo.yaml')).data);
  }, 60_000);

  it('version and export -o json', async () => {
    expectValid('version', (await jsonOf('version')).data);
    const exported = await jsonOf('export', '--scenario', 'bookinfo');
    expectValid('export', exported.data);
    expect((exported.data as { items: Array<{ kind: string }> }).items.map((i) => i.kind)).toContain('VirtualService');
  }, 30_000);
});

/** The README's "JSON output" table: command, schema file, and the fields it promises. */
function promisedFields(): Array<{ command: string; schema: string; fields: string[] }> {
  const readme = readFileSync('README.md', 'utf8');
  const section = readme.slice(readme.indexOf('### JSON output'), readme.indexOf('\n### ', readme.indexOf('### JSON output') + 1));
  return section
    .split('\n')
    .filter((l) => /^\| `[a-z-]+/.test(l))
    .map((l) => {
      const [, command = '', schema = '', fields = ''] = l.split('|').map((c) => c.trim());
      // Fields in parentheses are conditional (`--certs`) or explained; the listed ones are promised on every entry.
      const listed = fields.replace(/\([^)]*\)/g, '');
      return { command: /`([a-z-]+)/.exec(command)?.[1] ?? '', schema: /`(schemas\/[^`]+)`/.exec(schema)?.[1] ?? '', fields: [...listed.matchAll(/`([^`]+)`/g)].map((m) => m[1] as string) };
    });
}

/** Follows `a.b[].c` through the schema, checking that each named step is required. */
function requiredAlong(root: Schema, path: string): void {
  const resolve = (s: Schema): Schema => (s.$ref ? (root.$defs?.[s.$ref.replace('#/$defs/', '')] as Schema) : s);
  let at = resolve(root);
  for (const step of path.split(/\.|(?=\[\])/)) {
    if (step === '[]') {
      expect(at.type, `${path}: not an array`).toBe('array');
      at = resolve(at.items as Schema);
      continue;
    }
    expect(at.required ?? [], `${path}: "${step}" must be required`).toContain(step);
    at = resolve(at.properties?.[step] as Schema);
    expect(at, `${path}: no "${step}" in the schema`).toBeDefined();
  }
}

describe('send --explain -o json matches its schema', () => {
  it('a sidecar pair, a denial, a gateway refusal, ambient', async () => {
    for (const args of [
      ['send', '--scenario', 'bookinfo', '--from', 'productpage', '--to', 'reviews:9080/reviews/0', '--explain'],
      ['send', 'scenarios/default.yaml', 'examples/rbac.yaml', '--from', 'web', '--to', 'api:8080/', '--method', 'DELETE', '--explain'],
      ['send', 'examples/ingress', '--from', 'external', '--to', 'other.example.com:443/', '--explain'],
      ['send', '--scenario', 'ambient', '--from', 'api', '--to', 'users:8080/', '--explain'],
    ]) {
      expectValid('send-explain', (await jsonOf(...args)).data);
    }
  });
});

describe("the README's promises", () => {
  it('name a schema per command, and every field they list is required by it', () => {
    const rows = promisedFields();
    expect(rows.map((r) => r.command)).toEqual(['send', 'simulate', 'compare', 'graph', 'analyze', 'test-routes', 'version', 'export', 'diff', 'reach', 'canary', 'sweep']);
    for (const row of rows) {
      expect(row.schema).toBe(`schemas/${row.command}.schema.json`);
      expect(row.fields.length).toBeGreaterThan(1);
      for (const field of row.fields) requiredAlong(schemaOf(row.command), field);
    }
  });
});
