import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openSession } from '../../src/api/index.ts';
import { Simulation } from '../../src/engine/index.ts';

function defaultSim(): Simulation {
  const opened = openSession([{ name: 'scenarios/default.yaml', text: readFileSync('scenarios/default.yaml', 'utf8') }]);
  if (!opened.ok) throw new Error('default scenario does not load');
  const { scenario, xds, resolve } = opened.session;
  return new Simulation({ scenario, xds, resolve, seed: 42 });
}

describe('read models: what views see of a running simulation, as copies', () => {
  it('a caller sidecar’s clusters, gauges and outlier state; a pod’s failure and hop count', () => {
    const sim = defaultSim();
    const [v1] = sim.fail({ workload: 'users-v1' }, '503');
    for (let i = 0; i < 8; i++) {
      sim.send({ from: 'api', host: 'users', port: 8080, path: '/' });
      sim.runUntilIdle();
    }
    const api = (sim.state.podsByWorkload.get('api') ?? [])[0] as string;
    const users = sim.clusters(api).filter((c) => c.name.endsWith('users.default.svc.cluster.local'));
    const ejected = users.flatMap((c) => c.endpoints).find((e) => e.pod === v1);
    expect(ejected).toMatchObject({ ejected: true, ejections: 1 });
    expect(users.every((c) => c.outlierDetection && c.active === 0 && c.pending === 0)).toBe(true);
    expect(sim.anyEjected()).toBe(true);
    expect(sim.pod(v1 as string)).toMatchObject({ workload: 'users-v1', sidecar: true, failing: '503' });
    expect(sim.pod(v1 as string)?.received).toBeGreaterThan(0);
    expect(sim.workloadOf(api)).toBe('api');
    expect(sim.workloadOf('external')).toBe('external');
    expect(sim.hasSidecar(api)).toBe(true);

    if (ejected) ejected.ejected = false;
    expect(sim.clusters(api).flatMap((c) => c.endpoints).find((e) => e.pod === v1)?.ejected).toBe(true);
  });

  // Names come from users: a traffic client outside the mesh may be called `constructor`. Looked up in a
  // plain object, such a name found Object's own members and the views threw (the event log, the outlier grid).
  it('a name that is a prototype member is no pod, before and after a snapshot is restored', () => {
    const sim = defaultSim();
    sim.scheduleScenario();
    sim.runUntil(100_000);
    const restored = Simulation.restore(sim.snapshot(), { resolve: () => undefined });
    for (const s of [sim, restored]) {
      for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
        expect(s.workloadOf(name)).toBe(name);
        expect(s.pod(name)).toBeUndefined();
        expect(s.hasSidecar(name)).toBe(false);
        expect(s.clusters(name)).toEqual([]);
      }
    }
  });
});
