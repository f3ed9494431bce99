import { describe, expect, it } from 'vitest';
import type { MeshEvent } from '../../model/index.ts';
import { failFastRequest, retriedRequest, simpleRequest } from './fixtures.ts';
import { placeOfEvent } from './Place.ts';
import { Track } from './Track.ts';

const sidecars = (name: string) => (name === 'external' ? undefined : true);

function trackOf(events: MeshEvent[]): Track {
  const track = new Track(events[0]?.requestId ?? 1, 1, undefined);
  // τ = t here: the warp is tested on its own.
  for (const e of events) track.add(e, e.t, placeOfEvent(e, sidecars));
  return track;
}

describe('Track.stops', () => {
  it('visits caller app → caller sidecar → wire → callee sidecar → callee app, then back', () => {
    expect(trackOf(simpleRequest(1, 'api', 'cache')).stops().map((s) => s.key)).toEqual([
      'app:api',
      'sidecar:api',
      'wire:api>cache',
      'sidecar:cache',
      'app:cache',
      'sidecar:cache',
      'wire:cache>api',
      'sidecar:api',
      'app:api',
    ]);
  });

  it('a fail-fast request turns back at its own sidecar and never touches a wire', () => {
    expect(trackOf(failFastRequest(1, 'api')).stops().map((s) => s.key)).toEqual(['app:api', 'sidecar:api', 'app:api']);
  });

  it('a retry shows the back-off as its own step before the new attempt', () => {
    const keys = trackOf(retriedRequest(1, 'api', 'users-v1', 'users-v2')).stops().map((s) => s.key);
    expect(keys.slice(6)).toEqual(['wire:users-v1>api', 'sidecar:api', 'backoff:api', 'wire:api>users-v2', 'sidecar:users-v2', 'app:users-v2', 'sidecar:users-v2', 'wire:users-v2>api', 'sidecar:api', 'app:api']);
  });

  it('puts each wire stop halfway through the crossing', () => {
    const wire = trackOf(simpleRequest(1, 'api', 'cache')).stops().find((s) => s.key === 'wire:api>cache');
    expect(wire?.tau).toBe(700);
  });
});

describe('Track.sample', () => {
  const track = trackOf(simpleRequest(1, 'api', 'cache', 503));

  it('is nothing before the start and after the end', () => {
    expect(track.sample(-1)).toBeUndefined();
    expect(track.sample(7_800)).toBeUndefined();
  });

  it('moves along the wire between send and arrival', () => {
    const s = track.sample(700);
    expect(s).toMatchObject({ from: { kind: 'sidecar', pod: 'api' }, to: { kind: 'sidecar', pod: 'cache' }, onWire: true, phase: 'request', error: false });
    expect(s?.f).toBeCloseTo(0.5);
  });

  it('waits at the app while it works, then comes back as a failed response', () => {
    expect(track.sample(3_000)).toMatchObject({ from: { kind: 'app', pod: 'cache' }, to: { kind: 'app', pod: 'cache' }, f: 0 });
    expect(track.sample(7_100)).toMatchObject({ onWire: true, phase: 'response', error: true });
  });

  it('samples correctly when time goes backwards (stepping back)', () => {
    track.sample(7_100);
    expect(track.sample(700)?.phase).toBe('request');
  });

  it('reports back-off progress while a retry waits', () => {
    const retried = trackOf(retriedRequest(1, 'api', 'users-v1', 'users-v2'));
    const s = retried.sample(7_150 + 10_000);
    expect(s?.phase).toBe('backoff');
    expect(s?.backoffDone).toBeCloseTo(0.5);
    expect(retried.sample(7_150 + 20_300)?.attempt).toBe(2);
  });
});
