import { describe, expect, it } from 'vitest';
import type { MeshEvent, MeshEventOf } from '../../src/model/index.ts';
import { deployment, ends, received, recordingSim, send, sessionFrom, simulation } from '../helpers/mesh.ts';
import { annotatedService, linkerdSession } from './linkerdMesh.ts';

const MS = 1000;
const S = 1_000_000;

function ofKind<K extends MeshEvent['kind']>(events: MeshEvent[], kind: K): Array<MeshEventOf<K>> {
  return events.filter((e): e is MeshEventOf<K> => e.kind === kind);
}

describe('linkerd-proxy as the data plane (mesh-semantics §10)', () => {
  it('meshed pods get linkerd-proxy, talk mTLS without configuration and present Linkerd identity names (§6.4)', () => {
    const session = linkerdSession();
    const proxies = Object.values(session.xds.proxies);
    expect(proxies.map((p) => p.dataPlane)).toEqual(['linkerd-proxy', 'linkerd-proxy']);
    const result = send(session, { to: 'server:8080/' });
    expect(result.status).toBe(200);
    expect(result.proxy).toBe('linkerd-proxy');
    const arrive = ofKind(result.events, 'hop.arrive')[0];
    expect(arrive?.mtls).toBe(true);
    expect(arrive?.identities).toEqual({
      client: 'default.default.serviceaccount.identity.linkerd.cluster.local',
      server: 'default.default.serviceaccount.identity.linkerd.cluster.local',
    });
  });

  it('annotation retries: retry.linkerd.io/limit tries more, each after 25 ms doubling (plus up to 100 % jitter, capped at 250 ms) (§10.1)', () => {
    const session = linkerdSession({ annotations: { 'retry.linkerd.io/http': '5xx', 'retry.linkerd.io/limit': '5' } });
    const result = send(session, { to: 'server:8080/', failures: [{ target: 'server', mode: '503' }] });
    const backoffs = ofKind(result.events, 'retry.backoff');
    expect(backoffs.map((b) => b.range)).toEqual([
      [25 * MS, 50 * MS],
      [50 * MS, 100 * MS],
      [100 * MS, 200 * MS],
      [200 * MS, 250 * MS],
      [250 * MS, 250 * MS],
    ]);
    for (const b of backoffs) {
      expect(b.delay).toBeGreaterThanOrEqual(b.range[0]);
      expect(b.delay).toBeLessThanOrEqual(b.range[1]);
    }
    // Linkerd flags nothing when retries run out: the 503 goes back as it came.
    expect(result.status).toBe(503);
    expect(result.flags).toEqual([]);
    expect(result.error).toBeUndefined();
    expect(result.attempts).toBe(6);
  });

  it('without retry.linkerd.io/limit one retry is made (the default limit, §10.1); without /http no status is retried', () => {
    const once = linkerdSession({ annotations: { 'retry.linkerd.io/http': 'gateway-error' } });
    expect(send(once, { to: 'server:8080/', failures: [{ target: 'server', mode: '503' }] }).attempts).toBe(2);
    expect(send(once, { to: 'server:8080/', failures: [{ target: 'server', mode: '500' }] }).attempts).toBe(1);
    const noStatus = linkerdSession({ annotations: { 'retry.linkerd.io/limit': '3' } });
    expect(send(noStatus, { to: 'server:8080/', failures: [{ target: 'server', mode: '503' }] }).attempts).toBe(1);
  });

  it('failure accrual: unavailable after max-failures in a row for 1 s, 2 s, 4 s … with exactly one probe each time, then FAIL_FAST and LOAD_SHED (§10.4)', () => {
    const session = linkerdSession({
      annotations: {
        'balancer.linkerd.io/failure-accrual': 'consecutive',
        'balancer.linkerd.io/failure-accrual-consecutive-max-failures': '3',
        'balancer.linkerd.io/failure-accrual-consecutive-jitter-ratio': '0',
      },
    });
    const { sim, events } = recordingSim(session, 1);
    sim.fail({ workload: 'server' }, '503');
    // A request every 10 ms for 40 s.
    for (let t = 0; t < 40 * S; t += 10 * MS) {
      sim.runUntil(t);
      sim.send({ from: 'client', host: 'server', port: 8080 });
    }
    sim.runUntilIdle();
    const unavailable = ofKind(events, 'accrual.unavailable');
    expect(unavailable.map((u) => u.duration / S)).toEqual([1, 2, 4, 8, 16, 32]);
    expect(unavailable.map((u) => u.penalty)).toEqual([1, 2, 3, 4, 5, 6]);
    // The server saw 3 failures, then one probe after each back-off but the last (it runs past the traffic's end).
    expect(received(sim, 'server')).toBe(3 + 5);
    expect(ofKind(events, 'accrual.probe')).toHaveLength(5);
    for (let i = 1; i < unavailable.length; i++) {
      const prev = unavailable[i - 1] as MeshEventOf<'accrual.unavailable'>;
      // The probe goes out with the first request after the back-off (10 ms apart), and fails at once.
      expect((unavailable[i] as MeshEventOf<'accrual.unavailable'>).t - prev.t - prev.duration).toBeLessThan(20 * MS);
    }
    // While unavailable, the only endpoint cannot take a request: those that waited out the queue's 3 s are FAIL_FAST,
    // those that came after its gate shut LOAD_SHED (the route sheds them), in Linkerd's words, with no Envoy flag.
    const failFast = ends(events).filter((e) => e.error === 'FAIL_FAST');
    const shed = ends(events).filter((e) => e.error === 'LOAD_SHED');
    expect(failFast.length).toBeGreaterThan(1000);
    expect(shed.length).toBeGreaterThan(1000);
    expect(failFast.length + shed.length).toBeGreaterThan(3000);
    // linkerd-proxy answers the app 504 for FAIL_FAST and 503 for LOAD_SHED (`linkerd/app/outbound/src/http/server.rs` `ServerRescue`).
    expect(failFast.every((e) => e.status === 504 && e.flags.length === 0)).toBe(true);
    expect(shed.every((e) => e.status === 503 && e.flags.length === 0)).toBe(true);
  });

  it('a successful probe makes the endpoint available again (§10.4)', () => {
    const session = linkerdSession({ annotations: { 'balancer.linkerd.io/failure-accrual': 'consecutive', 'balancer.linkerd.io/failure-accrual-consecutive-max-failures': '2' } });
    const { sim, events } = recordingSim(session, 1);
    sim.fail({ workload: 'server' }, '503');
    for (let t = 0; t < 5 * S; t += 50 * MS) {
      sim.runUntil(t);
      if (t === 2 * S) sim.recover({ workload: 'server' });
      sim.send({ from: 'client', host: 'server', port: 8080 });
    }
    sim.runUntilIdle();
    expect(ofKind(events, 'accrual.available')).toHaveLength(1);
    const after = ends(events).filter((e) => e.t > (ofKind(events, 'accrual.available')[0]?.t ?? 0));
    expect(after.every((e) => e.status === 200)).toBe(true);
  });

  it('Peak-EWMA steers away from a slow pod far more than Istio’s least-request (§10.3, §5)', () => {
    const docs = (flavor: string) => [
      deployment('client', { app: 'client' }),
      annotatedService('client'),
      deployment('server', { app: 'server' }, 4),
      annotatedService('server'),
      simulation(`flavor: ${flavor}\nseed: 3\ntraffic:\n  - { name: load, from: client, to: server:8080, rps: 200, duration: 20s }`),
    ];
    const shareToSlow = (flavor: string): number => {
      const session = sessionFrom(...docs(flavor));
      const { sim } = recordingSim(session, 3);
      sim.scheduleScenario();
      const slow = session.scenario.pods.find((p) => p.workload === 'server')?.name as string;
      sim.fail({ pod: slow }, 'slow', 50 * MS);
      sim.runUntilIdle();
      return (sim.state.pods[slow]?.received ?? 0) / received(sim, 'server');
    };
    const linkerd = shareToSlow('linkerd');
    const istio = shareToSlow('istio');
    expect(linkerd).toBeLessThan(0.05);
    expect(istio).toBeGreaterThan(0.1);
  });
});
