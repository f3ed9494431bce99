import { describe, expect, it } from 'vitest';
import { loadScenario, type SourceFile } from './loadScenario.ts';

const file = (text: string, name = 'mesh.yaml'): SourceFile => ({ name, text });
const load = (text: string, options = {}) => loadScenario([file(text)], options);
const brief = (text: string, options = {}) =>
  load(text, options).diagnostics.map((d) => `${d.source?.line}:${d.source?.col} ${d.code} ${d.severity} ${d.message}`);

const serviceAccount = (name: string) => `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ${name}\n`;

describe('readYamlFile', () => {
  it('reports a syntax error with file, line and column and skips only that document', () => {
    const result = load(`${serviceAccount('a')}---\nkind: ServiceAccount\nmetadata: {name: [b\n---\n${serviceAccount('c')}`);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['MV0005', 'MV0005']);
    expect(result.diagnostics[0]).toMatchObject({ severity: 'error', source: { file: 'mesh.yaml', line: 8, col: 1 } });
    expect(result.diagnostics[0]?.message).toMatch(/^YAML syntax error: Flow sequence .* must .* end with a \]$/);
    expect(result.scenario.serviceAccounts.map((sa) => sa.name)).toEqual(['a', 'c']);
  });

  // One unclosed `{` once printed the same error for every line after it (hundreds of lines for one mistake).
  it('reports a repeated parser error once, with how many times it repeats', () => {
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {\n${Array.from({ length: 300 }, (_, i) => `k${i}: [1\n`).join('')}`;
    expect(brief(text)).toEqual([
      '5:1 MV0005 error YAML syntax error: Flow map in block collection must be sufficiently indented and end with a }',
      '6:1 MV0005 error YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ] (and 299 more times after this line: one unclosed bracket or quote, or tabs for indentation, repeat it on every line after)',
    ]);
  });

  // UTF-16 (what some Windows editors save) was called binary. Read as UTF-8, as the CLI and the browser read files.
  it('names UTF-16, little- or big-endian with or without a BOM, and says how to convert it', () => {
    const yaml = serviceAccount('a');
    const asRead = (bytes: Uint8Array) => new TextDecoder('utf-8').decode(bytes);
    const le = new Uint8Array([0xff, 0xfe, ...[...yaml].flatMap((c) => [c.charCodeAt(0), 0])]);
    const be = new Uint8Array([...yaml].flatMap((c) => [0, c.charCodeAt(0)]));
    const hint = 'not UTF-8: save it as UTF-8 (e.g. iconv -f UTF-16 -t UTF-8 FILE > FILE.utf8.yaml, or "Save with encoding: UTF-8" in an editor)';
    expect(brief(asRead(le))).toEqual([`1:1 MV0013 error file is UTF-16 (little-endian), ${hint}`]);
    expect(brief(asRead(be))).toEqual([`1:1 MV0013 error file is UTF-16 (big-endian), ${hint}`]);
    expect(brief('a: 1\0')[0]).toMatch(/MV0002 error file contains NUL bytes/);
  });

  it('refuses files past the total limit for one scenario, each at its first line', () => {
    const files = ['a', 'b', 'c'].map((n) => file(serviceAccount(n), `${n}.yaml`));
    const limit = serviceAccount('a').length * 2;
    const result = loadScenario(files, { maxTotalBytes: limit });
    expect(result.diagnostics.map((d) => `${d.source?.file}:${d.source?.line} ${d.code} ${d.message}`)).toEqual([
      `c.yaml:1 MV0014 the files add up to ${limit * 1.5} bytes with this one, over the limit of ${limit} bytes for one scenario: this file and the ones after it were not read (load fewer files)`,
    ]);
    expect(result.scenario.serviceAccounts.map((sa) => sa.name)).toEqual(['a', 'b']);
  });

  it('refuses duplicate keys', () => {
    expect(brief('apiVersion: v1\nkind: ServiceAccount\nkind: Service\nmetadata: {name: a}\n')).toEqual([
      '3:1 MV0006 error duplicate key: Map keys must be unique',
    ]);
  });

  it('refuses an alias bomb', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (const [i, name] of ['b', 'c', 'd', 'e'].entries()) {
      const previous = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(', ')}]`);
    }
    const result = load(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\ndata:\n  ${levels.join('\n  ')}\n`);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['MV0007']);
  });

  it('resolves a few aliases and merge keys', () => {
    const result = load(`apiVersion: v1
kind: Service
metadata: {name: users}
spec:
  selector: &labels {app: users}
  ports:
    - &http {name: http, port: 8080}
    - <<: *http
      name: admin
      port: 9090
`);
    expect(result.diagnostics).toEqual([]);
    expect(result.scenario.services[0]?.selector).toEqual({ app: 'users' });
    expect(result.scenario.services[0]?.ports.map((p) => `${p.name}:${p.port}`)).toEqual(['http:8080', 'admin:9090']);
  });

  // A character above U+00FF anywhere (box drawing in a comment) makes the strings read from the file ones the engine stores
  // two bytes per character; they are made anew (`oneByte`), with the same text, and text that needs two bytes is left as it is.
  it('reads the same values from a file with wide characters in a comment, and keeps wide values whole', () => {
    const yaml = (comment: string) => `# front ${comment} back\napiVersion: v1\nkind: Service\nmetadata: {name: reviews-canary-long-name, annotations: {note: "Zürich ✓ 🚀", plain: "a longer plain annotation"}}\nspec:\n  selector: {app: reviews}\n  ports: [{name: http-web, port: 9080}]\n`;
    const narrow = load(yaml('-->'));
    const wide = load(yaml('──▶'));
    expect(wide.diagnostics).toEqual([]);
    expect(wide.scenario.services).toEqual(narrow.scenario.services);
    expect(wide.scenario.services[0]?.name).toBe('reviews-canary-long-name');
  });

  it('refuses files over the size limit, naming the limit', () => {
    expect(brief(serviceAccount('a'), { maxFileBytes: 20 })).toEqual([
      '1:1 MV0001 error file is 56 bytes, over the limit of 20 bytes',
    ]);
    expect(brief('é'.repeat(11), { maxFileBytes: 20 })[0]).toContain('22 bytes');
  });

  it('refuses binary and non-UTF-8 input', () => {
    expect(brief('apiVersion: v1\nkind: \0\n')).toEqual(['2:7 MV0002 error file contains NUL bytes: it looks binary, not YAML']);
    expect(load('name: caf\uFFFD\n').diagnostics.map((d) => d.code)).toEqual(['MV0003']);
  });

  it('drops __proto__ keys with a warning and pollutes nothing', () => {
    const result = load(`apiVersion: v1
kind: Service
metadata:
  name: evil
  labels: {__proto__: {polluted: yes}}
spec:
  __proto__: {polluted: yes}
  selector: {app: evil}
`);
    expect(result.diagnostics.map((d) => `${d.code} ${d.source?.line}`)).toEqual(['MV0010 5', 'MV0010 7']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(result.scenario.services[0]?.selector).toEqual({ app: 'evil' });
  });

  it('skips empty documents silently and notes an entirely empty file', () => {
    expect(load(`---\n---\n${serviceAccount('a')}---\n`).diagnostics).toEqual([]);
    expect(brief('')).toEqual(['1:1 MV0004 info file is empty: nothing to load']);
    expect(brief('# just a comment\n---\n')).toEqual(['1:1 MV0004 info file is empty: nothing to load']);
  });

  it('refuses documents that are not mappings', () => {
    expect(brief('- a\n- b\n')).toEqual([
      '1:1 MV0012 error a document must be a mapping with apiVersion, kind and metadata, not a sequence',
    ]);
  });

  it('expands kind: List into its items', () => {
    const result = load(`apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: ServiceAccount
    metadata: {name: a}
  - apiVersion: v1
    kind: ServiceAccount
    metadata: {namespace: shop}
`);
    expect(result.scenario.serviceAccounts).toEqual([{ name: 'a', namespace: 'default' }]);
    expect(result.diagnostics).toMatchObject([{ code: 'MV0020', path: 'metadata.name', source: { line: 9, col: 5 } }]);
  });

  it('records the position of every field, relative to its resource', () => {
    const result = load(`${serviceAccount('x')}---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: users}
spec:
  hosts: [users]
  http:
    - route:
        - destination: {host: users, subset: v1}
        - destination:
            host: users
            subset: v2
`);
    const positions = result.scenario.virtualServices[0]?.positions ?? {};
    expect(positions['spec.http[0].route[1].destination.subset']).toEqual({ file: 'mesh.yaml', line: 16, col: 13 });
    expect(positions['spec.hosts[0]']).toEqual({ file: 'mesh.yaml', line: 10, col: 11 });
    expect(result.scenario.virtualServices[0]?.source).toEqual({ file: 'mesh.yaml', line: 6, col: 1 });
  });

  it('quotes keys that are not plain words in field paths', () => {
    const result = load(`apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    metadata:
      labels: {app.kubernetes.io/name: [web]}
`);
    expect(result.diagnostics).toMatchObject([
      { code: 'MV0040', path: 'spec.template.metadata.labels["app.kubernetes.io/name"]', source: { line: 7 } },
    ]);
  });

  it('refuses absurd nesting without overflowing the stack', () => {
    const deep = `a: ${'['.repeat(200)}${']'.repeat(200)}\n`;
    expect(load(deep).diagnostics.map((d) => d.code)).toEqual(['MV0009']);
    const veryDeep = `a: ${'['.repeat(5000)}${']'.repeat(5000)}\n`;
    expect(new Set(load(veryDeep).diagnostics.map((d) => d.code))).toEqual(new Set(['MV0009']));
  });
});
