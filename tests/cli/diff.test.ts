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

  it('AFTER adds a Service: no crash, the text and the comment say which probes BEFORE could not send, and -o json lists them all', async () => {
    const args = ['diff', 'tests/fixtures/broken/base/mesh.yaml', '--after', 'tests/fixtures/broken/base/mesh.yaml', 'tests/fixtures/diff/new-service.yaml'];
    const text = await meshviz(...args);
    expect(text.code).toBe(0);
    const reason = 'billing.default.svc.cluster.local:8080 resolves to no Service from namespace default';
    expect(text.stdout.split('\n')[1]).toBe(`not sent through BEFORE: web → billing:8080 / (${reason}), api → billing:8080 / (${reason}), users-v1 → billing:8080 / (${reason}) and 7 more (-o json lists them)`);
    const markdown = await meshviz(...args, '--markdown');
    expect(markdown.stdout).toMatch(/^⚠️ not sent through BEFORE: web → billing:8080 /m);
    const json = JSON.parse((await meshviz(...args, '-o', 'json')).stdout) as { notSent: { before: Array<{ traffic: string }>; after: unknown[] } };
    expect(json.notSent.before).toHaveLength(10);
    expect(json.notSent.before.every((n) => n.traffic.includes('billing'))).toBe(true);
    expect(json.notSent.after).toEqual([]);
  }, 30_000);

  it('refuses a missing --after and a --markdown with -o', async () => {
    expect((await meshviz('diff', 'scenarios/default.yaml')).stderr).toBe('meshviz: missing --after (the changed config, e.g. --after pr/*.yaml)\n');
    expect((await meshviz('diff', 'scenarios/default.yaml', '--after', 'scenarios/default.yaml', '--markdown', '-o', 'json')).code).toBe(2);
  }, 30_000);
});

describe('meshviz diff: the change rolled out onto the running BEFORE', () => {
  const V1 = ['tests/fixtures/bookinfo/bookinfo.yaml', 'examples/diff/reviews-v1.yaml'];
  const V2 = ['tests/fixtures/bookinfo/bookinfo.yaml', 'examples/diff/reviews-v2.yaml'];

  it('the VirtualService before its DestinationRule: 503 NC for the 100 ms between the pushes, exit 1; --markdown and -o json carry the window', async () => {
    const text = await meshviz('diff', ...V1, '--after', ...V2);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain("rolled out onto the running BEFORE at 1 s: one push per document, in file order, 100 ms apart; a push reaches the proxies 100 ms after it is applied (istiod's push delay): VirtualService/default/reviews at +100 ms, DestinationRule/default/reviews at +200 ms; 3 calls that worked fail on the way");
    expect(text.stdout).toMatch(/^BREAKS {4}productpage-v1 → reviews\.default:9080 {2}GET \/\n {10}subset {14}v1 100 % → v2 100 %\n {10}during the rollout {2}200 100 % → 503 NC 100 % for 100 ms, 100 ms to 200 ms after apply \(VirtualService\/default\/reviews had reached the proxies, DestinationRule\/default\/reviews not yet; 2 requests\)$/m);
    const md = await meshviz('diff', ...V1, '--after', ...V2, '--markdown');
    expect(md.code).toBe(1);
    expect(md.stdout.split('\n')[0]).toBe('### ⛔ meshviz diff: 3 calls that worked would fail');
    expect(md.stdout).toMatch(/\| \*\*breaks\*\* +\| `productpage-v1 → reviews\.default:9080` \| `GET \/` +\| subset: v1 100 % → v2 100 %<br>during the rollout: 200 100 % → 503 NC 100 % for 100 ms, 100 ms to 200 ms after apply/);
    const json = JSON.parse((await meshviz('diff', ...V1, '--after', ...V2, '-o', 'json')).stdout);
    expect(json.rollout).toMatchObject({ gapMs: 100, breaks: 3, pushes: [{ documents: 'VirtualService/default/reviews', arrivedMs: 100 }, { documents: 'DestinationRule/default/reviews', arrivedMs: 200 }] });
    expect(json.rows[1].changes[1]).toEqual({ field: 'rollout', before: '200 100 %', after: '503 NC 100 %', window: { fromMs: 100, toMs: 200, durationMs: 100, requests: 2, arrived: 'VirtualService/default/reviews', until: 'DestinationRule/default/reviews' } });
  }, 60_000);

  it('--push-gap sets the window; --push-order DestinationRule,VirtualService (make-before-break) and --push-order together show none and exit 0', async () => {
    const slow = await meshviz('diff', ...V1, '--after', ...V2, '--push-gap', '2s', '-o', 'json');
    expect(slow.code).toBe(1);
    expect(JSON.parse(slow.stdout).rows[0].changes[1].window).toMatchObject({ fromMs: 100, toMs: 2100, durationMs: 2000 });
    for (const order of ['DestinationRule,VirtualService', 'together']) {
      const safe = await meshviz('diff', ...V1, '--after', ...V2, '--push-order', order);
      expect(safe.code).toBe(0);
      expect(safe.stdout).toContain('nothing fails on the way');
      expect(safe.stdout).not.toContain('during the rollout');
    }
    const bad = await meshviz('diff', ...V1, '--after', ...V2, '--push-order', 'destinationrule');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/invalid value "destinationrule" for --push-order/);
  }, 60_000);
});
