import { describe, expect, it } from 'vitest';
import { BUILT_IN_SCENARIOS } from '../state/builtInScenarios.ts';
import { Controller } from '../state/Controller.ts';
import { appStopNote, describeStop } from './describeStop.ts';

const workloads = new Map([['api-1', 'api'], ['users-v1-1', 'users-v1']]);
const pods = (pod: string): string => workloads.get(pod) ?? pod;

describe('describeStop', () => {
  it('names each kind of hop in words, by workload', () => {
    expect(describeStop('app:api-1', pods)).toBe('api app (api-1)');
    expect(describeStop('sidecar:users-v1-1', pods)).toBe("users-v1's envoy sidecar");
    expect(describeStop('wire:api-1>users-v1-1', pods)).toBe('the wire api → users-v1');
    expect(describeStop('ztunnel:ztunnel node-2', pods)).toBe('the ztunnel of node-2 (L4, HBONE)');
    expect(describeStop('waypoint:waypoint/default/waypoint', pods)).toBe('waypoint default/waypoint (Envoy, L7)');
    expect(describeStop('backoff:api-1', pods)).toBe("api's envoy sidecar, waiting out a retry back-off");
    expect(describeStop('client:external', pods)).toBe('the client outside the mesh');
  });
});

describe('appStopNote', () => {
  it('tells apart the stops at one app: sending, handling, calling onwards, getting the answer back', () => {
    const shop = BUILT_IN_SCENARIOS.find((b) => b.id === 'default');
    const c = new Controller('default', shop?.files ?? []);
    c.setPlaying(false);
    c.send(1);
    const { driver, live: sim } = c.scene;
    const seen: string[] = [];
    for (let stop = driver.currentStop(); stop; stop = driver.stepForward()) {
      const note = appStopNote(stop, driver.tracks.get(stop.requestId));
      if (note) seen.push(`${describeStop(stop.key, (pod) => sim.workloadOf(pod)).split(' (')[0]}, ${note}`);
    }
    expect(seen[0]).toBe('api app, sending users.default:8080');
    expect(seen).toContain('users-v1 app, handling the request');
    expect(seen).toContain('users-v1 app, calling db.default:8080');
    expect(seen.indexOf('users-v1 app, calling db.default:8080')).toBeGreaterThan(seen.indexOf('users-v1 app, handling the request'));
    expect(seen.at(-1)).toBe('api app, got 200 back');
  });
});

describe('the hop line and the picture', () => {
  it('never disagree while a retried request plays: the back-off is told only while the ring waits, the wire only while the dot is on it', () => {
    const shop = BUILT_IN_SCENARIOS.find((b) => b.id === 'default');
    const c = new Controller('default', shop?.files ?? []);
    const v1 = c.scene.live.scenario.pods.find((p) => p.workload === 'users-v1')?.name as string;
    c.setFailing(v1, '503');
    c.send(1);
    const { driver } = c.scene;
    const told = new Set<string>();
    for (let frame = 0; frame < 20_000 && c.scene.stats.snapshot().completed === 0; frame++) {
      c.frame(16);
      const stop = driver.currentStop();
      const track = stop ? driver.tracks.get(stop.requestId) : undefined;
      const dot = track?.sample(driver.tau);
      if (!stop || !dot) continue;
      const kind = stop.key.split(':')[0] as string;
      told.add(kind);
      if (dot.phase === 'backoff') expect(kind).toBe('backoff');
      else if (dot.onWire && dot.f > 0) expect(kind).toBe('wire');
      else expect(['app', 'sidecar', 'client']).toContain(kind);
    }
    expect([...told].sort()).toEqual(['app', 'backoff', 'sidecar', 'wire']);
  });
});
