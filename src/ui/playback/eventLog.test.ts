import { describe, expect, it } from 'vitest';
import type { MeshEvent } from '../../model/index.ts';
import { eventLog } from './eventLog.ts';
import { failFastRequest, retriedRequest } from './fixtures.ts';
import { placeOfEvent } from './Place.ts';
import { Track } from './Track.ts';

function trackOf(events: MeshEvent[]): Track {
  const track = new Track(1, 1, undefined);
  events.forEach((e, i) => track.add(e, e.t, placeOfEvent(e, () => true), i));
  return track;
}

describe('eventLog', () => {
  it('tells what the app saw and, separately, what its sidecar did', () => {
    const { summary, lines } = eventLog([trackOf(retriedRequest(1, 'api', 'users-v1', 'users-v2'))], Infinity);
    expect(summary).toEqual({
      request: 'GET users-v1.default:8080/ from api',
      appSaw: '200 after 7.8ms',
      sidecarDid: ['attempt 1 → users-v1: 503', 'waited 20ms before retry 1', 'attempt 2 → users-v2: 200'],
    });
    expect(lines.filter((l) => l.kind === 'retry.backoff').map((l) => l.tone)).toEqual(['warn']);
    expect(lines.at(-1)?.current).toBe(true);
  });

  it('only shows what the picture has reached', () => {
    const { lines, summary } = eventLog([trackOf(retriedRequest(1, 'api', 'users-v1', 'users-v2'))], 700);
    expect(lines.map((l) => l.kind)).toEqual(['request.start', 'route.match', 'lb.pick', 'hop.send']);
    expect(summary?.appSaw).toBeUndefined();
  });

  it('explains a fail-fast in plain words', () => {
    const { summary, lines } = eventLog([trackOf(failFastRequest(1, 'api'))], Infinity);
    expect(summary?.sidecarDid).toEqual(['failed fast: no healthy endpoint, nothing sent (UH)']);
    expect(lines.find((l) => l.kind === 'lb.noHealthy')?.text).toMatch(/no healthy upstream.*UH/);
  });
});
