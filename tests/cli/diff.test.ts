import { describe, expect, it } from 'vitest';
import { meshviz } from '../helpers/meshvizCli.ts';

const BEFORE = ['scenarios/default.yaml', 'examples/legacy-client.yaml'];
const AFTER = [...BEFORE, 'examples/strict-mtls.yaml', 'examples/diff/users-all-v2.yaml'];

describe('meshviz diff', () => {
  it('--markdown: a pull-request comment, the breaking call first; exit 1 on a regression', async () => {
    const r = await meshviz('diff', ...BEFORE, '--after', ...AFTER, '--traffic', 'examples/diff/traffic.yaml', '--markdown');
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('### ⛔ meshviz diff: 1 call that worked would fail');
    expect(lines[2]).toMatch(/^2 of \d+ calls change, 1 breaks calls that worked; sent through both configs: the Simulation's traffic \([\d,]+ → [\d,]+ requests/);
    const rows = lines.filter((l) => l.startsWith('| **'));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/^\| \*\*breaks\*\* +\| `legacy → api\.default:8080` \| `GET \/products` +\| answers: 200 100 % → reset 100 %<br>usable answers \(1xx–3xx\): 100 % → 0 %<br>authorization: - → denied by PeerAuthentication STRICT/);
    expect(rows[1]).toMatch(/^\| \*\*routing\*\* +\| `api → users\.default:8080` +\| `GET \/users\/1` +\| subset: v1 [\d.]+ %, v2 [\d.]+ % → v2 100 %/);
  }, 30_000);

  it('text by default, -o json with the rows; the same config twice changes nothing and exits 0', async () => {
    const text = await meshviz('diff', ...BEFORE, '--after', ...AFTER, '--traffic', 'examples/diff/traffic.yaml');
    expect(text.stdout).toMatch(/^BREAKS {4}legacy → api\.default:8080 {2}GET \/products$/m);
    const json = await meshviz('diff', ...BEFORE, '--after', ...AFTER, '--traffic', 'examples/diff/traffic.yaml', '-o', 'json');
    expect(JSON.parse(json.stdout)).toMatchObject({ traffic: 'simulation', regressions: 1, rows: [{ severity: 'breaks', source: 'legacy' }, { severity: 'routing', source: 'api' }] });
    const same = await meshviz('diff', '--after', 'scenarios/default.yaml', '--', 'scenarios/default.yaml');
    expect(same.stderr).toBe('');
    expect(same.code).toBe(0);
    expect(same.stdout).toMatch(/^0 of \d+ calls change; /);
  }, 30_000);

  it('refuses a missing --after and a --markdown with -o', async () => {
    expect((await meshviz('diff', 'scenarios/default.yaml')).stderr).toBe('meshviz: missing --after (the changed config, e.g. --after pr/*.yaml)\n');
    expect((await meshviz('diff', 'scenarios/default.yaml', '--after', 'scenarios/default.yaml', '--markdown', '-o', 'json')).code).toBe(2);
  }, 30_000);
});
