import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareFlavors, openSession, translateFromLinkerd } from '../../src/api/index.ts';
import { exportScenario } from '../../src/istio/index.ts';
import { linkerdSession } from './linkerdMesh.ts';

const LINKERD = { name: 'scenarios/linkerd.yaml', text: readFileSync(new URL('../../scenarios/linkerd.yaml', import.meta.url), 'utf8') };

function shop() {
  const opened = openSession([LINKERD]);
  if (!opened.ok) throw new Error('the Linkerd shop does not open');
  return opened.session;
}

describe('compare from a Linkerd scenario: Linkerd → Istio and Linkerd → ambient', () => {
  it('the HTTPRoute’s weighted backends and retry annotations become a VirtualService, failure accrual a DestinationRule’s outlier detection', () => {
    const t = translateFromLinkerd(shop().scenario);
    expect(t.scenario.simulation.flavor).toBe('istio');
    expect(t.scenario.linkerd.httpRoutes).toHaveLength(0);
    const users = t.scenario.virtualServices.find((vs) => vs.metadata.name === 'users');
    expect(users?.spec.hosts).toEqual(['users.default.svc.cluster.local']);
    expect(users?.spec.http).toEqual([
      {
        route: [
          { destination: { host: 'users-v1.default.svc.cluster.local', port: { number: 8080 } }, weight: 90 },
          { destination: { host: 'users-v2.default.svc.cluster.local', port: { number: 8080 } }, weight: 10 },
        ],
        retries: { attempts: 3, retryOn: '5xx', perTryTimeout: '1s' },
      },
    ]);
    expect(t.scenario.destinationRules.map((dr) => [dr.spec.host, dr.spec.trafficPolicy?.outlierDetection?.consecutive5xxErrors])).toEqual([
      ['users-v1.default.svc.cluster.local', 5],
      ['users-v2.default.svc.cluster.local', 5],
    ]);
    expect(t.scenario.services.find((s) => s.name === 'users-v1')?.annotations).toEqual({});
    expect(t.scenario.namespaces.find((n) => n.name === 'default')?.labels['istio-injection']).toBe('enabled');
    const missing = t.notTranslated.join('\n');
    expect(missing).toContain("Linkerd's fail-fast queue (a request waits up to 3 s for an endpoint) has no Envoy counterpart");
    expect(missing).toContain("failure accrual's probation (one probe request after each back-off) and its 60s cap have no Envoy counterpart");
  });

  it('the translation exports as Istio YAML that loads and compiles on its own', () => {
    const text = exportScenario(translateFromLinkerd(shop().scenario).scenario);
    expect(text).toContain('kind: VirtualService');
    expect(text).not.toContain('linkerd.io/');
    const opened = openSession([{ name: 'translated.yaml', text }]);
    expect(opened.ok && opened.session.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(opened.ok && opened.session.scenario.simulation.flavor).toBe('istio');
  });

  it('the failing-pod story from the Linkerd shop under all three: each reports its own breaker, Istio’s fail-fast is UH at once', () => {
    const [linkerd, istio, ambient] = compareFlavors(shop(), { flavors: ['linkerd', 'istio', 'istio-ambient'], duration: 40_000_000 });
    expect(linkerd?.notTranslated).toEqual([]);
    expect(linkerd?.onFailure[0]).toMatch(/^users-v1 fails \(503\) at 15 s: failure accrual made it unavailable/);
    expect(istio?.onFailure[0]).toMatch(/^users-v1 fails \(503\) at 15 s: outlier detection ejected it \d+×/);
    expect(istio?.run?.failFast).toBeGreaterThan(0);
    expect(istio?.translated).toContain('HTTPRoute/default/users → VirtualService default/users http rules');
    expect(ambient?.ambient?.waypoints).toBe(1);
    expect(ambient?.onFailure[0]).toMatch(/the waypoint's outlier detection \(one for every caller\) ejected it/);
    // Through Istio: both translations' lists.
    expect(ambient?.translated).toEqual(expect.arrayContaining(['HTTPRoute/default/users → VirtualService default/users http rules', 'pods spread over 2 nodes, one ztunnel each']));
    expect(ambient?.notTranslated.join('\n')).toContain("Linkerd's fail-fast queue");
  });

  it('a ServiceProfile’s routes become VirtualService rules in order; Servers and AuthorizationPolicies are listed, not translated', () => {
    const profile = `apiVersion: linkerd.io/v1alpha2
kind: ServiceProfile
metadata: { name: server.default.svc.cluster.local, namespace: default }
spec:
  retryBudget: { retryRatio: 0.2, minRetriesPerSecond: 10, ttl: 10s }
  routes:
  - name: GET /items
    condition: { method: GET, pathRegex: /items }
    isRetryable: true
    timeout: 300ms
  - name: anything but GET
    condition: { not: { method: GET } }
---
apiVersion: policy.linkerd.io/v1beta3
kind: Server
metadata: { name: server-http, namespace: default }
spec: { podSelector: { matchLabels: { app: server } }, port: 8080 }`;
    const t = translateFromLinkerd(linkerdSession({ extra: [profile] }).scenario);
    expect(t.scenario.virtualServices[0]?.spec.http).toEqual([
      { name: 'GET /items', match: [{ method: { exact: 'GET' }, uri: { regex: '/items' } }], route: [{ destination: { host: 'server.default.svc.cluster.local' } }], timeout: '300ms', retries: { attempts: 3, retryOn: '5xx' } },
      { route: [{ destination: { host: 'server.default.svc.cluster.local' } }] },
    ]);
    const missing = t.notTranslated.join('\n');
    expect(missing).toContain('ServiceProfile/default/server.default.svc.cluster.local routes[1] "anything but GET": any/not conditions are not translated');
    expect(missing).toContain('the retry budget (20 % + 10/s) has no per-route Istio counterpart');
    expect(missing).toContain('Server/default/server-http: not translated');
  });

  it('an ambient scenario is still refused, with the flavors it can be compared under', () => {
    const ambient = readFileSync(new URL('../../scenarios/ambient.yaml', import.meta.url), 'utf8');
    const opened = openSession([{ name: 'ambient.yaml', text: ambient }]);
    if (!opened.ok) throw new Error('the ambient shop does not open');
    expect(() => compareFlavors(opened.session, { flavors: ['linkerd'], duration: 1_000_000 })).toThrow(/compare translates Istio and Linkerd scenarios to other flavors; this scenario's flavor is istio-ambient/);
  });
});
