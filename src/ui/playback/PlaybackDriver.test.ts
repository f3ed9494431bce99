import { describe, expect, it } from 'vitest';
import type { MeshEvent } from '../../model/index.ts';
import { FakeSim } from './FakeSim.ts';
import { PlaybackDriver } from './PlaybackDriver.ts';

function setup() {
  const driver = new PlaybackDriver({ sidecarOf: (name) => (name === 'external' ? undefined : true), lookahead: 2_000 });
  const sim = new FakeSim(driver.ingest);
  driver.attach(sim);
  const revealed: MeshEvent[] = [];
  driver.onReveal((e) => revealed.push(e));
  return { driver, sim, revealed };
}

const spec = { from: 'api', host: 'cache' };

/** Plays forward in 1 µs steps until the picture shows virtual time `t`. */
function playUntil(driver: PlaybackDriver, t: number): void {
  for (let i = 0; i < 100_000 && driver.now < t; i++) driver.moveTo(driver.tau + 1);
}

describe('PlaybackDriver', () => {
  it('reveals a request in event order as the picture moves, and ends at its last event', () => {
    const { driver, revealed } = setup();
    driver.send(spec);
    expect(revealed.map((e) => e.kind)).toEqual(['request.start']);
    for (let i = 0; i < 200; i++) driver.moveTo(driver.tau + 50);
    expect(revealed.map((e) => e.kind)).toEqual([
      'request.start', 'route.match', 'lb.pick', 'hop.send', 'hop.arrive', 'app.receive', 'app.respond', 'inbound.complete', 'hop.send', 'attempt.result', 'request.end',
    ]);
    expect(driver.now).toBe(7_800);
  });

  it('never runs the engine more than the lookahead past the picture', () => {
    const { driver, sim } = setup();
    driver.send(spec);
    playUntil(driver, 1_000);
    expect(driver.now).toBeGreaterThanOrEqual(1_000);
    expect(driver.now).toBeLessThan(1_010);
    expect(sim.now).toBeLessThanOrEqual(Math.floor(driver.now) + 2_000);
  });

  it('stands still when nothing is left to happen', () => {
    const { driver } = setup();
    driver.send(spec);
    driver.finish();
    const tau = driver.tau;
    driver.moveTo(tau + 1_000_000);
    expect(driver.tau).toBe(tau);
    expect(driver.now).toBe(7_800);
  });

  it('starts a request sent mid-way through a quiet gap at the moment shown', () => {
    const { driver, sim } = setup();
    driver.send(spec);
    // Halfway through the app's 5 ms of work: nothing in the engine between 1.4 ms and 6.4 ms.
    playUntil(driver, 3_000);
    const shown = Math.floor(driver.now);
    expect(shown).toBeLessThan(3_100);
    driver.send({ from: 'web', host: 'api' });
    expect(sim.sent[1]?.at).toBe(shown);
  });

  it('steps through the featured request hop by hop, forward and back', () => {
    const { driver } = setup();
    driver.send(spec);
    const keys: string[] = [driver.currentStop()?.key ?? '-'];
    for (let stop = driver.stepForward(); stop; stop = driver.stepForward()) keys.push(stop.key);
    expect(keys).toEqual(['app:api', 'sidecar:api', 'wire:api>cache', 'sidecar:cache', 'app:cache', 'sidecar:cache', 'wire:cache>api', 'sidecar:api', 'app:api']);
    expect(driver.stepBack()?.key).toBe('sidecar:api');
    expect(driver.stepBack()?.key).toBe('wire:cache>api');
    expect(driver.stepForward()?.key).toBe('sidecar:api');
  });

  it('Send 10 spaces the requests and features the first', () => {
    const { driver, sim } = setup();
    driver.send(spec, 10, 1_000);
    driver.finish();
    expect(sim.sent.map((s) => s.at)).toEqual([0, 1_000, 2_000, 3_000, 4_000, 5_000, 6_000, 7_000, 8_000, 9_000]);
    expect(driver.featuredRoot).toBe(1);
  });

  it('Auto sends at the chosen rate in virtual time', () => {
    const { driver, sim } = setup();
    driver.setAuto(spec, 1_000);
    for (let i = 0; i < 500 && driver.now < 20_000; i++) driver.moveTo(driver.tau + 50);
    const before = sim.sent.filter((s) => s.at <= 20_000).length;
    expect(before).toBeGreaterThanOrEqual(20);
    expect(before).toBeLessThanOrEqual(21);
    expect(new Set(sim.sent.map((s, i) => s.at - i * 1_000)).size).toBe(1);
    driver.finish();
    expect(driver.autoRunning).toBe(false);
    expect(sim.inFlight).toBe(0);
  });

  it('forgets finished requests once they are far behind, but keeps the featured one', () => {
    const { driver } = setup();
    driver.send(spec);
    driver.finish();
    driver.send(spec);
    driver.finish();
    driver.tau += 10_000_000;
    driver.prune();
    expect([...driver.tracks.keys()]).toEqual([2]);
  });

  it('advance lets virtual time pass at once, running what falls due', () => {
    const { driver, revealed } = setup();
    driver.send(spec);
    driver.advance(60_000);
    expect(revealed.at(-1)?.kind).toBe('request.end');
    expect(driver.now).toBeCloseTo(60_000, 0);
  });
});
