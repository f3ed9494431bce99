import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { explainReach, openSession, reachMatrix } from '../../src/api/index.ts';
import type { Session } from '../../src/api/index.ts';

const read = (path: string) => ({ name: path, text: readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8') });
function open(...paths: string[]): Session {
  const opened = openSession(paths.map(read));
  if (!opened.ok) throw new Error(opened.diagnostics.map((d) => d.message).join('\n'));
  return opened.session;
}

describe('reachMatrix: who can reach whom, by sending', () => {
  it('Bookinfo: every workload reaches every other Service over mTLS; the outside world in plaintext (PERMISSIVE)', () => {
    const r = reachMatrix(open('scenarios/bookinfo.yaml'));
    expect(r.sources).toEqual(['details-v1', 'productpage-v1', 'ratings-v1', 'reviews-v1', 'reviews-v2', 'reviews-v3', 'external']);
    expect(r.targets).toEqual(['details.default:9080', 'productpage.default:9080', 'ratings.default:9080', 'reviews.default:9080']);
    // 6 workloads × 3 Services not their own, and external × 4.
    expect(r.cells).toHaveLength(6 * 3 + 4);
    expect(new Set(r.cells.filter((c) => c.from !== 'external').map((c) => `${c.verdict} ${c.mtls}`))).toEqual(new Set(['allowed mTLS']));
    expect(new Set(r.cells.filter((c) => c.from === 'external').map((c) => `${c.verdict} ${c.mtls}`))).toEqual(new Set(['allowed plaintext']));
  });

  it('an AuthorizationPolicy allowing only web: every other caller is denied, with the rule it fails', () => {
    const r = reachMatrix(open('scenarios/default.yaml', 'examples/rbac.yaml'), { to: 'api' });
    expect(r.cells.map((c) => `${c.from} ${c.verdict} ${c.answers}`)).toEqual([
      'cache denied 403 100 %',
      'db denied 403 100 %',
      'external denied 403 100 %',
      'users-v1 denied 403 100 %',
      'users-v2 denied 403 100 %',
      'web allowed 200 100 %',
    ]);
    expect(r.cells[0]).toMatchObject({
      deniedBy: 'AuthorizationPolicy/default/api-readers',
      reason: 'no ALLOW policy matched (AuthorizationPolicy/default/api-readers requires principal cluster.local/ns/default/sa/web, request has cluster.local/ns/default/sa/cache)',
    });
    // §7: principals exist only under mTLS; the plaintext caller has none.
    expect(r.cells.find((c) => c.from === 'external')?.reason).toContain('request has none: plaintext');
  });

  it('STRICT mTLS: callers without a sidecar are reset; --from narrows to a row', () => {
    const r = reachMatrix(open('scenarios/default.yaml', 'examples/legacy-client.yaml', 'examples/strict-mtls.yaml'), { from: 'legacy' });
    expect(new Set(r.cells.map((c) => `${c.from} ${c.verdict} ${c.answers} ${c.deniedBy}`))).toEqual(new Set(['legacy reset reset 100 % PeerAuthentication STRICT']));
    expect(r.cells).toHaveLength(5);
  });
});

describe('explainReach: the rules that decide one call', () => {
  it('a denied call: the route, the wire with both identities, the mode and the policy with its place', () => {
    const x = explainReach(open('scenarios/default.yaml', 'examples/rbac.yaml'), 'cache', 'api:8080');
    expect(x).toMatchObject({ from: 'cache', to: 'api.default:8080', verdict: 'denied', status: 403 });
    expect(x.steps.map((s) => `${s.step}: ${s.text}${s.source ? ` @${s.source.file}:${s.source.line}` : ''}`)).toEqual([
      'route: default (no VirtualService for this host and port)',
      'endpoint: api-x7k8j76vxk-52872 (outbound|8080||api.default.svc.cluster.local)',
      'wire: mTLS: spiffe://cluster.local/ns/default/sa/cache → spiffe://cluster.local/ns/default/sa/api',
      "peer authentication: PERMISSIVE: no PeerAuthentication applies to api (Istio's default)",
      'authorization: AuthorizationPolicy/default/api-readers denies: no ALLOW policy matched (AuthorizationPolicy/default/api-readers requires principal cluster.local/ns/default/sa/web, request has cluster.local/ns/default/sa/cache) @examples/rbac.yaml:5',
      'answer: 403: RBAC: access denied',
    ]);
  });

  it('a reset: the PeerAuthentication that set STRICT, where it is written', () => {
    const x = explainReach(open('scenarios/default.yaml', 'examples/legacy-client.yaml', 'examples/strict-mtls.yaml'), 'legacy', 'api');
    expect(x.verdict).toBe('reset');
    expect(x.steps.find((s) => s.step === 'peer authentication')).toMatchObject({ text: expect.stringMatching(/^STRICT, set by PeerAuthentication\/istio-system\/default spec\.mtls\.mode; refused: /), source: { file: 'examples/strict-mtls.yaml', line: 10 } });
  });
});
