import { describe, expect, it } from 'vitest';
import { openSession } from '../../src/api/index.ts';
import { MAX_CALL_DEPTH } from '../../src/engine/index.ts';
import { compileMesh, loadScenario } from '../../src/istio/index.ts';
import { deployment, ends, frontBackMesh, recordingSim, send, service, sessionFrom, simulation, virtualService } from '../helpers/mesh.ts';

/** front → back, where the front app calls back with its own timeout and retries (like Bookinfo's productpage). */
function mesh(call: string, backMode = '') {
  return sessionFrom(
    ...frontBackMesh(),
    simulation(`
workloads:
  front:
    latency: { fixed: 1ms }
    calls: [{ service: "back:8080", path: /data, ${call} }]
  back:
    latency: { fixed: 2ms }
${backMode}`),
  );
}

describe("an app's own calls", () => {
  it('an app copies the headers it propagates in the order of its list, the trace headers first, then its call\'s own headers; nothing it does not list', () => {
    const session = sessionFrom(
      ...frontBackMesh(),
      simulation(`
workloads:
  front:
    propagateHeaders: [x-b, end-user, x-a]
    calls: [{ service: "back:8080", headers: { x-own: mine, x-a: overridden } }]`),
    );
    const r = send(session, { to: 'front:8080/', headers: { 'x-a': '1', 'x-unlisted': 'no', 'end-user': 'jason', 'x-b': '2', 'x-request-id': 'r1' } });
    const call = r.events.find((e) => e.kind === 'request.start' && e.origin.kind === 'app');
    const headers = call?.kind === 'request.start' ? call.headers : {};
    expect(Object.entries(headers)).toEqual([
      ['traceparent', expect.stringMatching(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/)],
      ['x-request-id', 'r1'],
      ['x-b', '2'],
      ['end-user', 'jason'],
      ['x-a', 'overridden'],
      ['x-own', 'mine'],
    ]);
  });

  it('a call that fails makes the app answer 500 by default', () => {
    const r = send(mesh('retries: 0'), { to: 'front:8080', failures: [{ target: 'back', mode: '503' }] });
    expect(r.status).toBe(500);
    expect(r.events.some((e) => e.kind === 'app.callFailed')).toBe(true);
  });

  it('onFailure: continue answers 200 without the failed call', () => {
    const r = send(mesh('onFailure: continue'), { to: 'front:8080', failures: [{ target: 'back', mode: '503' }] });
    expect(r.status).toBe(200);
  });

  it("the app's own timeout and retry: 3 s twice gives up after about 6 s (Bookinfo's productpage, §2.6)", () => {
    const r = send(mesh('timeout: 3s, retries: 1'), { to: 'front:8080', failures: [{ target: 'back', mode: 'hang' }] });
    expect(r.status).toBe(500);
    expect(r.events.filter((e) => e.kind === 'app.timeout')).toHaveLength(2);
    expect(r.events.filter((e) => e.kind === 'app.retry')).toHaveLength(1);
    expect(r.durationMs).toBeGreaterThan(6000);
    expect(r.durationMs).toBeLessThan(6020);
    // The abandoned calls are closed by the app; their sidecar logs DC.
    const abandoned = r.events.filter((e) => e.kind === 'request.end' && e.flags.includes('DC'));
    expect(abandoned).toHaveLength(2);
  });

  it('parallel calls run together: the answer waits for the slower one only', () => {
    const session = sessionFrom(
      deployment('client', { app: 'client' }),
      deployment('front', { app: 'front' }),
      service('front'),
      deployment('a', { app: 'a' }),
      service('a'),
      deployment('b', { app: 'b' }),
      service('b'),
      simulation(`
workloads:
  front:
    latency: { fixed: 1ms }
    calls:
      - { service: "a:8080", parallel: true }
      - { service: "b:8080", parallel: true }
  a: { latency: { fixed: 50ms } }
  b: { latency: { fixed: 80ms } }`),
    );
    const r = send(session, { to: 'front:8080' });
    expect(r.status).toBe(200);
    expect(r.durationMs).toBeGreaterThan(80);
    expect(r.durationMs).toBeLessThan(100);
  });
});

describe('app calls that come back round', () => {
  it('are refused before any run: a cycle through the Services is an error with its call path (MV0418)', () => {
    const opened = openSession([{ name: 'c.yaml', text: [...frontBackMesh(), simulation('workloads:\n  front: {calls: [{service: "back:8080"}]}\n  back: {calls: [{service: "front:8080"}]}')].join('\n---\n') }]);
    expect(opened.ok).toBe(false);
    expect(opened.ok ? [] : opened.diagnostics.map((d) => `${d.code} ${d.path} ${d.message.split(';')[0]}`)).toEqual([
      'MV0418 spec.workloads.back.calls[0] app calls go round in a cycle: back → front → back (back calls front:8080, front calls back:8080)',
    ]);
  });

  it('are refused before any run when a change on the timeline closes them, saying when', () => {
    const timeline = [
      'timeline:',
      '  - at: 10ms',
      '    apply:',
      '      apiVersion: networking.istio.io/v1',
      '      kind: VirtualService',
      '      metadata: {name: back}',
      '      spec: {hosts: [back], http: [{route: [{destination: {host: front}}]}]}',
    ].join('\n');
    const opened = openSession([{ name: 'c.yaml', text: [...frontBackMesh(), simulation(`workloads:\n  front: {calls: [{service: "back:8080"}]}\n${timeline}`)].join('\n---\n') }]);
    expect(opened.ok ? [] : opened.diagnostics.map((d) => `${d.code} ${d.path} ${d.message.split(';')[0]}`)).toEqual([
      "MV0418 spec.workloads.front.calls[0] app calls go round in a cycle once the timeline's change at 10ms is pushed: front → front (front calls back:8080)",
    ]);
  });

  // Config pushed with applyConfig, which no check sees, can still close a cycle (here a VirtualService
  // sends front's calls to `back` back to front). Each request used to call on without end; the engine now
  // fails calls nested deeper than MAX_CALL_DEPTH, as if the app's client gave up, and the request ends.
  it('closed by routing mid-run, end at the call depth limit', () => {
    const session = sessionFrom(...frontBackMesh(), simulation('workloads:\n  front: {latency: {fixed: 1ms}, calls: [{service: "back:8080"}]}'));
    const loop = loadScenario([{ name: 'vs.yaml', text: virtualService('- route: [{destination: {host: front}}]', 'back', 'back') }]).scenario.virtualServices;
    const { sim, events } = recordingSim(session);
    sim.applyConfig(compileMesh({ ...session.scenario, virtualServices: loop }).xds);
    const root = sim.send({ from: 'client', host: 'front', port: 8080, path: '/' });
    sim.runUntilIdle(600_000_000);
    const started = events.filter((e) => e.kind === 'request.start');
    expect(started).toHaveLength(1 + MAX_CALL_DEPTH);
    expect(events.filter((e) => e.kind === 'app.callFailed' && e.childId === -1)).toHaveLength(1);
    expect(ends(events).find((e) => e.requestId === root)?.status).toBe(500);
  });
});
