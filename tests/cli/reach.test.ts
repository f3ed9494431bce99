import { describe, expect, it } from 'vitest';
import { meshviz } from '../helpers/meshvizCli.ts';

const RBAC = ['scenarios/default.yaml', 'examples/rbac.yaml'];

describe('meshviz reach', () => {
  it('prints the matrix and the refused calls; --csv and --dot; -o json', async () => {
    const text = await meshviz('reach', ...RBAC);
    expect(text.code).toBe(0);
    const lines = text.stdout.split('\n');
    expect(lines[0]).toMatch(/^FROM \\ TO +api:8080 +cache:8080 +db:8080 +users:8080 +web:8080$/);
    expect(lines.find((l) => l.startsWith('cache '))).toMatch(/^cache +403 ✗ +· +mTLS +mTLS +mTLS$/);
    expect(lines).toContain('  cache → api.default:8080: AuthorizationPolicy/default/api-readers: no ALLOW policy matched (AuthorizationPolicy/default/api-readers requires principal cluster.local/ns/default/sa/web, request has cluster.local/ns/default/sa/cache)');
    const csv = (await meshviz('reach', ...RBAC, '--to', 'api', '--csv')).stdout.split('\n');
    expect(csv[0]).toBe('from,to,verdict,mtls,answers,denied_by,reason');
    expect(csv.find((l) => l.startsWith('web,'))).toBe('web,api.default:8080,allowed,mTLS,200 100 %,,"ALLOW policy AuthorizationPolicy/default/api-readers matched: principal cluster.local/ns/default/sa/web, method GET"');
    const dot = (await meshviz('reach', ...RBAC, '--from', 'cache', '--dot')).stdout;
    expect(dot).toMatch(/^digraph "reach" \{/);
    expect(dot).toMatch(/"cache" -> "api\.default:8080" \[\n {4}color = "red";/);
    const json = JSON.parse((await meshviz('reach', '--scenario', 'bookinfo', '-o', 'json')).stdout);
    expect(json.cells).toHaveLength(22);
  }, 60_000);

  it('a denial on a TCP port closes the connection: the cell says closed, not 403', async () => {
    const r = await meshviz('reach', 'tests/fixtures/tcp/db-authz.yaml');
    const lines = r.stdout.split('\n');
    expect(lines.find((l) => l.startsWith('client '))).toMatch(/^client +closed ✗$/);
    expect(r.stdout).toContain('(closed ✗: on a TCP connection, which it closes)');
    const sent = await meshviz('send', 'tests/fixtures/tcp/db-authz.yaml', '--from', 'client', '--to', 'db:5432/');
    expect(sent.stdout).toContain('→ the connection is closed (network RBAC: no HTTP on this port)');
    expect(sent.stdout).not.toContain('403');
  }, 60_000);

  it('--from X --to Y explains the call with the rules that decide it', async () => {
    const r = await meshviz('reach', ...RBAC, '--from', 'cache', '--to', 'api:8080');
    expect(r.stdout.split('\n')[0]).toBe('cache → api.default:8080: denied');
    expect(r.stdout).toContain('authorization        AuthorizationPolicy/default/api-readers denies: no ALLOW policy matched');
    expect(r.stdout).toContain('(examples/rbac.yaml:5:1)');
    expect((await meshviz('reach', ...RBAC, '--csv', '--dot')).code).toBe(2);
    expect(await meshviz('reach', ...RBAC, '--from', 'cach')).toMatchObject({ code: 2, stderr: 'meshviz: --from: no workload, pod, app or service named "cach" (did you mean cache?)\n' });
  }, 60_000);
});
