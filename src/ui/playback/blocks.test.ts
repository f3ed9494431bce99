import { describe, expect, it } from 'vitest';
import type { MeshEvent } from '../../model/index.ts';
import { MARK_BEATS, visibleMarks } from './blocks.ts';
import { deniedRequest, rejectedRequest, simpleRequest } from './fixtures.ts';
import { placeOfEvent } from './Place.ts';
import { Track } from './Track.ts';

const sidecars = (name: string) => (name === 'legacy' ? false : name === 'external' ? undefined : true);

function trackOf(events: MeshEvent[]): Track {
  const track = new Track(events[0]?.requestId ?? 1, events[0]?.requestId ?? 1, undefined);
  for (const e of events) track.add(e, e.t, placeOfEvent(e, sidecars));
  return track;
}

describe('stops by the callee’s sidecar', () => {
  it('records a STRICT reset of a plaintext caller at the callee’s sidecar, with words for the marker', () => {
    const track = trackOf(rejectedRequest(1, 'legacy', 'api'));
    expect(track.block).toMatchObject({ tau: 350, pod: 'api', kind: 'mtls', label: 'mTLS STRICT: reset' });
    expect(track.stops().map((s) => s.key)).toEqual(['app:legacy', 'wire:legacy>api', 'sidecar:api', 'wire:api>legacy', 'app:legacy']);
  });

  it('records an AuthorizationPolicy denial, naming the policy', () => {
    const track = trackOf(deniedRequest(2, 'cache', 'api'));
    expect(track.block).toMatchObject({ pod: 'api', kind: 'authz', label: '403 RBAC: denied', detail: 'denied by AuthorizationPolicy/default/api-readers: no ALLOW policy matched' });
  });

  it('a denial on a TCP port is a closed connection, not a 403', () => {
    const denial = deniedRequest(2, 'cache', 'api').map((e) => (e.kind === 'authz.deny' ? { ...e, tcp: true as const } : e));
    expect(trackOf(denial).block).toMatchObject({ kind: 'authz', label: 'RBAC: closed' });
  });

  it('marks a stop from the moment it happens for MARK_BEATS, only the latest one at each sidecar', () => {
    const tracks = [trackOf(rejectedRequest(1, 'legacy', 'api')), trackOf(rejectedRequest(2, 'legacy', 'api', 1_000)), trackOf(simpleRequest(3, 'web', 'api')), trackOf(deniedRequest(4, 'cache', 'api'))];
    expect(visibleMarks(tracks, 349)).toEqual([]);
    expect(visibleMarks(tracks, 400).map((m) => [m.tau, m.kind])).toEqual([[350, 'mtls']]);
    expect(visibleMarks(tracks, 800).map((m) => [m.tau, m.kind])).toEqual([[750, 'authz']]);
    expect(visibleMarks(tracks, 1_400).map((m) => [m.tau, m.kind])).toEqual([[1_350, 'mtls']]);
    expect(visibleMarks(tracks, 1_350 + MARK_BEATS)).toEqual([]);
  });

  it('draws the reset going back over a plaintext connection as plaintext', () => {
    const track = trackOf(rejectedRequest(1, 'legacy', 'api'));
    expect(track.sample(400)).toMatchObject({ onWire: true, mtls: false, error: true });
  });
});
