import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diffConfigs, openSession } from '../../src/api/index.ts';
import type { LoadOptions, Session } from '../../src/api/index.ts';
import { deployment, service, sessionFrom, simulation } from '../helpers/mesh.ts';

const read = (path: string) => ({ name: path, text: readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8') });
function open(paths: string[], options: LoadOptions = {}): Session {
  const opened = openSession(paths.map(read), options);
  if (!opened.ok) throw new Error(opened.diagnostics.map((d) => d.message).join('\n'));
  return opened.session;
}

const BOOKINFO = ['bookinfo.yaml', 'destination-rule-all.yaml', 'virtual-service-all-v1.yaml'].map((f) => `tests/fixtures/bookinfo/${f}`);
const PR_BEFORE = ['scenarios/default.yaml', 'examples/legacy-client.yaml'];
const PR_AFTER = [...PR_BEFORE, 'examples/strict-mtls.yaml', 'examples/diff/users-all-v2.yaml'];

describe('diffConfigs: the same traffic through two configs', () => {
  it('finds nothing when the configs are the same', () => {
    const report = diffConfigs(open(BOOKINFO), open(BOOKINFO));
    expect(report).toMatchObject({ traffic: 'probes', rows: [], regressions: 0 });
    expect(report.unchanged).toBeGreaterThan(20);
  });

  it("a pull request turning on STRICT mTLS and promoting a canary: the sidecar-less caller breaks first, then the subsets move", () => {
    const traffic = open([...PR_BEFORE, 'examples/diff/traffic.yaml'], { simulationFile: 'examples/diff/traffic.yaml' }).scenario.simulation;
    const report = diffConfigs(open(PR_BEFORE), open(PR_AFTER), { simulation: traffic });
    expect(report.traffic).toBe('simulation');
    expect(report.regressions).toBe(1);
    const [legacy, users] = report.rows;
    expect(report.rows.map((r) => `${r.severity} ${r.source} → ${r.service} ${r.request}`)).toEqual([
      'breaks legacy → api.default:8080 GET /products',
      'routing api → users.default:8080 GET /users/1',
    ]);
    // §6: STRICT resets a plaintext caller: no HTTP status at all.
    expect(legacy?.after).toMatchObject({ answers: 'reset 100 %', okPercent: 0, mtls: 'plaintext', authz: 'denied by PeerAuthentication STRICT' });
    expect(legacy?.before).toMatchObject({ answers: '200 100 %', okPercent: 100, mtls: 'plaintext', authz: '-' });
    expect(legacy?.changes.map((c) => c.field)).toEqual(expect.arrayContaining(['answers', 'ok', 'authz']));
    expect(users?.changes.find((c) => c.field === 'subsets')).toMatchObject({ after: 'v2 100 %' });
    expect(users?.before?.subsets).toMatch(/^v1 \d+(\.\d)? %, v2 \d+(\.\d)? %$/);
    expect(users?.after).toMatchObject({ answers: '200 100 %', mtls: 'mTLS', route: '* (VirtualService/default/users http[0] "canary")' });
  });

  it('probes every route match when there is no traffic: jason is routed to v2, everyone else keeps v1 under another rule', () => {
    const after = open([...BOOKINFO, 'tests/fixtures/bookinfo/virtual-service-reviews-test-v2.yaml']);
    const report = diffConfigs(open(BOOKINFO), after);
    const fromPage = report.rows.filter((r) => r.source === 'productpage-v1');
    expect(fromPage.map((r) => [r.severity, r.request, r.changes.map((c) => `${c.field}: ${c.before} → ${c.after}`)])).toEqual([
      ['routing', 'GET / end-user=jason', ['route: * (VirtualService/default/reviews http[0]) → end-user=jason (VirtualService/default/reviews http[0])', 'subsets: v1 100 % → v2 100 %']],
      ['rule', 'GET /', ['route: * (VirtualService/default/reviews http[0]) → * (VirtualService/default/reviews http[1])']],
    ]);
    expect(report.regressions).toBe(0);
  });

  it('a subset the DestinationRule does not define: 503 NC for the share routed to it, a regression', () => {
    const after = open(['scenarios/bookinfo.yaml', 'tests/fixtures/bookinfo/virtual-service-reviews-broken.yaml']);
    const report = diffConfigs(open(['scenarios/bookinfo.yaml']), after);
    expect(report.regressions).toBe(1);
    expect(report.rows[0]).toMatchObject({ severity: 'breaks', source: 'productpage-v1', service: 'reviews.default:9080', request: 'GET /reviews/0' });
    expect(report.rows[0]?.after?.answers).toMatch(/^200 [\d.]+ %, 503 NC [\d.]+ %$/);
  });
});

describe('diffConfigs: traffic one config cannot send', () => {
  const web = [deployment('web', { app: 'web' }), service('web')];
  const billing = [deployment('billing', { app: 'billing' }), service('billing')];
  const traffic = simulation('traffic: [{ name: to-billing, from: web, to: billing, rps: 20, duration: 2s }, { name: to-self, from: web, to: web, rps: 20, duration: 2s }]');

  it('a Service that only AFTER has: its traffic is left out of BEFORE’s run and said so, the call shows none → its requests', () => {
    const after = sessionFrom(...web, ...billing, traffic);
    const report = diffConfigs(sessionFrom(...web), after, { simulation: after.scenario.simulation });
    expect(report.notSent).toEqual({ before: [{ traffic: 'to-billing', reason: 'billing resolves to no Service from namespace default' }], after: [] });
    const row = report.rows.find((r) => r.service === 'billing.default:8080');
    expect(row?.changes).toEqual([{ field: 'requests', before: 'none', after: '40' }]);
    // The traffic both can send is compared as usual.
    expect(report.rows.some((r) => r.service === 'web.default:8080')).toBe(false);
  });

  it('a Service and a caller that AFTER removes: left out of AFTER’s run, with why; probes of BEFORE’s sources likewise', () => {
    const before = sessionFrom(...web, ...billing, traffic);
    const report = diffConfigs(before, sessionFrom(...billing));
    expect(report.traffic).toBe('simulation');
    expect(report.notSent.after).toEqual([
      { traffic: 'to-billing', reason: 'web has no pod' },
      { traffic: 'to-self', reason: 'web has no pod' },
    ]);
    const probed = diffConfigs(sessionFrom(...web, ...billing), sessionFrom(...billing));
    expect(probed.traffic).toBe('probes');
    expect(probed.notSent.after).toEqual([
      { traffic: 'web → billing:8080 /', reason: 'web has no pod' },
      { traffic: 'billing → web:8080 /', reason: 'web.default.svc.cluster.local:8080 resolves to no Service from namespace default' },
      { traffic: 'external → web:8080 /', reason: 'web.default.svc.cluster.local:8080 resolves to nothing from outside the cluster' },
    ]);
  });
});

