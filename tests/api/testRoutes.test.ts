import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openSession, readRouteCases, testRoutes } from '../../src/api/index.ts';
import type { Session } from '../../src/api/index.ts';

function open(...paths: string[]): Session {
  const opened = openSession(paths.map((name) => ({ name, text: readFileSync(name, 'utf8') })));
  if (!opened.ok) throw new Error(opened.diagnostics.map((d) => d.message).join('\n'));
  return opened.session;
}

/**
 * Route tests on ports Istio proxies as TCP: the sidecar's TCP proxy is
 * routed by the VirtualService's tls or tcp rules (buildSidecarL4Route), so
 * a case names the rule by its section and coverage counts those rules too.
 */
describe('test-routes through TCP proxies (tls and tcp rules)', () => {
  const egress = () => open('examples/egress-gateway-tls/mesh.yaml', 'examples/egress-gateway-tls/simulation.yaml');
  const cases = (yaml: string) => readRouteCases('cases.yaml', yaml);

  it('a tls rule is observed and expected by its section; the gateway’s tls rule the request then met counts as exercised', () => {
    const report = testRoutes(
      egress(),
      cases(`cases:
  - name: checkout leaves through the egress gateway
    from: checkout
    authority: edition.cnn.com:443
    expect: { host: istio-egressgateway.istio-system, subset: cnn, status: 200, rule: { virtualService: direct-cnn-through-egress-gateway, section: tls, index: 0 } }
`),
    );
    expect(report.cases[0]).toMatchObject({ passed: true, observed: { rule: 'VirtualService/default/direct-cnn-through-egress-gateway tls[0]', subset: 'cnn' } });
    // tls[0] for the sidecars, tls[1] for the gateway (the VirtualService is bound to both).
    expect(report.coverage).toMatchObject({ exercised: 2, total: 2, percent: 100 });
  });

  it('an http section expected where the port is TLS fails with what was seen; an unreached tls rule is listed by its path', () => {
    const report = testRoutes(
      egress(),
      cases(`cases:
  - name: wrong section
    from: checkout
    authority: edition.cnn.com:443
    expect: { rule: { virtualService: direct-cnn-through-egress-gateway, index: 0 } }
`),
    );
    expect(report.cases[0]?.failures).toEqual(['expected rule direct-cnn-through-egress-gateway http[0], got VirtualService/default/direct-cnn-through-egress-gateway tls[0]']);
    const none = testRoutes(egress(), []);
    expect(none.coverage.unexercised.map((u) => u.path)).toEqual(['spec.tls[0].match[0]', 'spec.tls[1].match[0]']);
  });

  it('reads section and refuses one that is not http, tls or tcp, at the case', () => {
    expect(cases('cases:\n  - { name: a, from: web, authority: db:3306, expect: { rule: { virtualService: db, section: tcp, index: 1, match: 0 } } }\n')[0]?.expect.rule).toEqual({ virtualService: 'db', section: 'tcp', index: 1, match: 0 });
    expect(() => cases('cases:\n  - { name: a, from: web, authority: db:3306, expect: { rule: { virtualService: db, section: udp, index: 0 } } }\n')).toThrow(/expect\.rule\.section "udp" is not a section of rules/);
  });
});

describe('test-routes: a case that cannot be sent', () => {
  const cases = (yaml: string) => readRouteCases('cases.yaml', yaml);

  it('names the case’s own fields (from, authority), not send’s flags, and the names it knows', () => {
    const report = testRoutes(
      open('scenarios/default.yaml'),
      cases(`cases:
  - name: a Bookinfo case against the shop
    from: productpage-v1
    authority: reviews:9080
    expect: { status: 200 }
  - name: a Service the shop does not have
    from: web
    authority: reviews:9080
    expect: { status: 200 }
`),
    );
    expect(report.cases.map((c) => [c.passed, c.failures])).toEqual([
      [false, ['from: no workload, pod, app or service named "productpage-v1" (workloads: api, cache, db, users-v1, users-v2, web; or external)']],
      [false, ['authority: no service "reviews" reachable from namespace default (services: api, cache, db, users, web)']],
    ]);
  });
});
