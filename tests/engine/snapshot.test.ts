import { describe, expect, it } from 'vitest';
import type { Session } from '../../src/api/index.ts';
import { Simulation } from '../../src/engine/index.ts';
import type { TimelineEntry } from '../../src/model/index.ts';
import { StreamDigest } from '../../src/telemetry/index.ts';
import { readFileSync } from 'node:fs';
import { createReconfigure, openSession } from '../../src/api/index.ts';

function openFiles(names: string[]): Session {
  const opened = openSession(names.map((name) => ({ name, text: readFileSync(name, 'utf8') })));
  if (!opened.ok) throw new Error(opened.diagnostics.map((d) => d.message).join('\n'));
  return opened.session;
}

/** The same story, with extra timeline entries (failures that happen after the snapshot). */
function withTimeline(session: Session, extra: TimelineEntry[]): Session {
  const simulation = session.scenario.simulation;
  const timeline = [...simulation.timeline, ...extra].sort((a, b) => a.at - b.at);
  return { ...session, scenario: { ...session.scenario, simulation: { ...simulation, timeline } } };
}

function start(session: Session, seed: number, sink: StreamDigest): Simulation {
  const sim = new Simulation({ scenario: session.scenario, xds: session.xds, resolve: session.resolve, seed, sink: sink.add, reconfigure: createReconfigure(session.files, session.scenario) });
  sim.scheduleScenario();
  return sim;
}

const s = 1_000_000;
const CASES: Array<{ name: string; session: () => Session; seed: number; at: number }> = [
  { name: 'default story, users-v1 failing (snapshot mid-failure, requests in flight)', session: () => openFiles(['scenarios/default.yaml']), seed: 42, at: 20 * s + 3_217 },
  {
    name: 'Bookinfo with failures, a config push and an istiod outage after the snapshot',
    session: () =>
      withTimeline(openFiles(['scenarios/bookinfo.yaml']), [
        { at: 5 * s, action: { kind: 'fail', target: { workload: 'reviews-v3' }, mode: '503' } },
        { at: 12 * s, action: { kind: 'fail', target: { workload: 'ratings-v1' }, mode: 'hang' } },
        { at: 18 * s, action: { kind: 'controlPlane', up: false } },
        { at: 22 * s, action: { kind: 'controlPlane', up: true } },
        { at: 25 * s, action: { kind: 'delete', resource: { kind: 'VirtualService', name: 'reviews', namespace: 'default' } } },
        { at: 30 * s, action: { kind: 'fail', target: { workload: 'reviews-v2' }, mode: 'refuse' } },
        { at: 40 * s, action: { kind: 'recover', target: { workload: 'ratings-v1' } } },
      ]),
    seed: 7,
    at: 13 * s + 501,
  },
];

describe('snapshot and restore (the state of a simulation is plain data)', () => {
  for (const c of CASES) {
    it(`${c.name}: a restored copy emits the same stream as the original from there on`, () => {
      const session = c.session();
      const before = new StreamDigest();
      const original = start(session, c.seed, before);
      original.runUntil(c.at);
      expect(original.inFlight).toBeGreaterThan(0);
      const snapshot = original.snapshot();

      const after = new StreamDigest();
      (original as unknown as { w: { emit: unknown } }).w.emit = after.add;
      original.runUntilIdle();

      const restored = [1, 2].map(() => {
        const digest = new StreamDigest();
        const copy = Simulation.restore(snapshot, { resolve: session.resolve, sink: digest.add, reconfigure: createReconfigure(session.files, session.scenario) });
        expect(copy.now).toBe(c.at);
        copy.runUntilIdle();
        expect(copy.now).toBe(original.now);
        return digest.hex();
      });
      expect(after.count).toBeGreaterThan(1000);
      expect(restored).toEqual([after.hex(), after.hex()]);
    });
  }

  it('a snapshot is a copy: running the original on does not change it', () => {
    const session = openFiles(['scenarios/default.yaml']);
    const sim = start(session, 42, new StreamDigest());
    sim.runUntil(5 * s);
    const snapshot = sim.snapshot();
    const inFlight = snapshot.world.inFlight;
    const queued = snapshot.world.queue.size;
    sim.runUntilIdle();
    expect([snapshot.world.now, snapshot.world.inFlight, snapshot.world.queue.size]).toEqual([5 * s, inFlight, queued]);
    expect(() => Simulation.restore({ ...snapshot, format: 'something else' } as unknown as typeof snapshot, { resolve: session.resolve })).toThrow(/not a meshviz simulation snapshot/);
  });
});
