import { describe, expect, it } from 'vitest';
import type { MeshEvent } from '../../src/model/index.ts';
import { ends, received, recordingSim, sessionFrom, twoVersionMesh, virtualService } from '../helpers/mesh.ts';

const toV1 = virtualService(`
- route: [{ destination: { host: server, subset: v1 } }]
  retries: { attempts: 0 }`);

function outlierPolicy(fields: string, lb = 'ROUND_ROBIN') {
  return `loadBalancer: { simple: ${lb} }
outlierDetection: { ${fields} }`;
}

type Eject = Extract<MeshEvent, { kind: 'outlier.eject' }>;

describe('outlier detection (mesh-semantics §3)', () => {
  it('ejects at exactly consecutive5xxErrors, then the host gets no traffic until an interval tick un-ejects it', () => {
    const session = sessionFrom(
      ...twoVersionMesh({ vs: toV1, v1Replicas: 2, v2Replicas: 0, trafficPolicy: outlierPolicy('consecutive5xxErrors: 3, interval: 10s, baseEjectionTime: 30s, maxEjectionPercent: 100') }),
    );
    const { sim, events } = recordingSim(session, 3);
    const bad = session.scenario.pods.find((p) => p.workload === 'server-v1')?.name as string;
    sim.fail({ pod: bad }, '503');
    const before = () => sim.state.pods[bad]?.received ?? 0;
    while (!events.some((e) => e.kind === 'outlier.eject')) {
      sim.send({ from: 'client', host: 'server', port: 8080 });
      sim.runUntilIdle();
    }
    expect(before()).toBe(3);
    const eject = events.find((e): e is Eject => e.kind === 'outlier.eject') as Eject;
    expect(eject.endpoint).toBe(bad);
    expect(eject.duration).toBe(30_000_000);
    // While ejected every request goes to the healthy pod and the bad one's count stays.
    for (let i = 0; i < 50; i++) {
      sim.send({ from: 'client', host: 'server', port: 8080 });
      sim.runUntilIdle();
    }
    expect(before()).toBe(3);
    // Un-ejection happens on the first interval tick at or after 30 s of ejection (§3.4).
    sim.recover({ pod: bad });
    sim.runUntil(eject.t + 30_000_000 + 10_000_000);
    const uneject = events.find((e) => e.kind === 'outlier.uneject');
    expect(uneject).toBeDefined();
    expect((uneject as MeshEvent).t % 10_000_000).toBe(0);
    expect((uneject as MeshEvent).t - eject.t).toBeGreaterThanOrEqual(30_000_000);
    expect((uneject as MeshEvent).t - eject.t).toBeLessThan(40_000_000);
  });

  it('the default maxEjectionPercent (10 %) never ejects the only host of a subset on modern Envoy (§3.3)', () => {
    const session = sessionFrom(...twoVersionMesh({ vs: toV1, v2Replicas: 0, trafficPolicy: outlierPolicy('consecutive5xxErrors: 2') }));
    const { sim, events } = recordingSim(session, 1);
    sim.fail({ workload: 'server-v1' }, '503');
    for (let i = 0; i < 10; i++) {
      sim.send({ from: 'client', host: 'server', port: 8080 });
      sim.runUntilIdle();
    }
    expect(events.filter((e) => e.kind === 'outlier.eject')).toHaveLength(0);
    const skipped = events.filter((e) => e.kind === 'outlier.ejectSkipped').map((e) => (e.kind === 'outlier.ejectSkipped' ? e.reason : ''));
    // Requests 2, 4, 6, 8, 10 reach consecutive5xxErrors 2; request 5 (and 10 again) reaches the default
    // 5 consecutive gateway errors. One event per check, every one refused by max-ejection-percent.
    expect(skipped).toHaveLength(6);
    expect(skipped.every((r) => /maxEjectionPercent 10 %/.test(r))).toBe(true);
    expect(received(sim, 'server-v1')).toBe(10);
  });

  it('with every host ejected and Istio’s panic threshold of 0 %, requests fail fast with UH and never reach the pod (§3.6)', () => {
    const session = sessionFrom(...twoVersionMesh({ vs: toV1, v2Replicas: 0, trafficPolicy: outlierPolicy('consecutive5xxErrors: 2, maxEjectionPercent: 100') }));
    const { sim, events } = recordingSim(session, 1);
    sim.fail({ workload: 'server-v1' }, '503');
    for (let i = 0; i < 6; i++) {
      sim.send({ from: 'client', host: 'server', port: 8080 });
      sim.runUntilIdle();
    }
    const statuses = events.filter((e) => e.kind === 'request.end').map((e) => (e.kind === 'request.end' ? `${e.status} ${e.flags.join(',')}` : ''));
    expect(statuses).toEqual(['503 ', '503 ', '503 UH', '503 UH', '503 UH', '503 UH']);
    expect(received(sim, 'server-v1')).toBe(2);
  });

  it('a route timeout reports a timeout (504) for the host the attempt was waiting on, so hanging pods get ejected (§3.2, §1.3)', () => {
    const vs = virtualService(`
- route: [{ destination: { host: server, subset: v1 } }]
  timeout: 1s
  retries: { attempts: 0 }`);
    const session = sessionFrom(
      ...twoVersionMesh({ vs, v1Replicas: 2, v2Replicas: 0, trafficPolicy: outlierPolicy('consecutive5xxErrors: 2, interval: 10s, baseEjectionTime: 30s, maxEjectionPercent: 100') }),
    );
    const { sim, events } = recordingSim(session, 1);
    const hanging = session.scenario.pods.find((p) => p.workload === 'server-v1')?.name as string;
    sim.fail({ pod: hanging }, 'hang');
    for (let i = 0; i < 8; i++) {
      sim.send({ from: 'client', host: 'server', port: 8080 });
      sim.runUntilIdle();
    }
    const ends = events.filter((e) => e.kind === 'request.end').map((e) => (e.kind === 'request.end' ? `${e.status} ${e.flags.join(',')}` : ''));
    // Round robin: the hanging pod times out on every other request; its second timeout ejects it.
    expect([...ends.slice(0, 4)].sort()).toEqual(['200 ', '200 ', '504 UT', '504 UT']);
    const ejects = events.filter((e): e is Eject => e.kind === 'outlier.eject');
    expect(ejects.map((e) => [e.endpoint, e.reason])).toEqual([[hanging, expect.stringMatching(/2 consecutive/)]]);
    expect(ends.slice(4)).toEqual(['200 ', '200 ', '200 ', '200 ']);
  });

  it('splitExternalLocalOriginErrors: refused connects eject at consecutiveLocalOriginFailures, not at consecutive5xxErrors (§3.5)', () => {
    const run = (fields: string) => {
      const session = sessionFrom(...twoVersionMesh({ vs: toV1, v1Replicas: 2, v2Replicas: 0, trafficPolicy: outlierPolicy(`${fields}, maxEjectionPercent: 100`) }));
      const { sim, events } = recordingSim(session, 1);
      const bad = session.scenario.pods.find((p) => p.workload === 'server-v1')?.name as string;
      sim.fail({ pod: bad }, 'refuse');
      let refused = 0;
      while (!events.some((e) => e.kind === 'outlier.eject') && refused < 20) {
        sim.send({ from: 'client', host: 'server', port: 8080 });
        sim.runUntilIdle();
        refused = ends(events).filter((e) => e.flags.includes('UF')).length;
      }
      const eject = events.find((e): e is Eject => e.kind === 'outlier.eject');
      return { refused, reason: eject?.reason, endpoint: eject?.endpoint, bad };
    };
    const split = run('splitExternalLocalOriginErrors: true, consecutiveLocalOriginFailures: 3, consecutive5xxErrors: 2');
    expect(split.refused).toBe(3);
    expect(split.endpoint).toBe(split.bad);
    expect(split.reason).toMatch(/^3 consecutive local-origin failures/);
    const plain = run('consecutive5xxErrors: 2');
    expect(plain.refused).toBe(2);
    expect(plain.reason).toMatch(/^2 consecutive 5xx/);
  });

  it('ejection time grows with each ejection: 30 s, then 60 s (base × k, §3.4)', () => {
    const session = sessionFrom(
      ...twoVersionMesh({ vs: toV1, v2Replicas: 0, trafficPolicy: outlierPolicy('consecutive5xxErrors: 1, interval: 1s, baseEjectionTime: 30s, maxEjectionPercent: 100') }),
    );
    const { sim, events } = recordingSim(session, 1);
    sim.fail({ workload: 'server-v1' }, '503');
    const ejections = () => events.filter((e): e is Eject => e.kind === 'outlier.eject');
    sim.send({ from: 'client', host: 'server', port: 8080 });
    sim.runUntilIdle();
    expect(ejections().map((e) => e.duration)).toEqual([30_000_000]);
    sim.runUntil(31_000_000);
    sim.send({ from: 'client', host: 'server', port: 8080 });
    sim.runUntilIdle();
    expect(ejections().map((e) => e.duration)).toEqual([30_000_000, 60_000_000]);
    expect(ejections()[1]?.ejections).toBe(2);
  });
});
