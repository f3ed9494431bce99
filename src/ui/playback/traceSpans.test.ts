import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openSession, sendOne } from '../../api/index.ts';
import type { MeshEvent } from '../../model/index.ts';
import { Track } from './Track.ts';
import { traceSpans } from './traceSpans.ts';

/** The tracks the playback keeps for one request and its calls, from a real send's events (display time = virtual time). */
function tracksOf(events: MeshEvent[]): Track[] {
  const tracks = new Map<number, Track>();
  for (const e of events) {
    if (e.requestId === 0) continue;
    let track = tracks.get(e.requestId);
    if (!track) {
      const parentId = e.kind === 'request.start' && e.origin.kind !== 'traffic' ? e.origin.parentId : undefined;
      tracks.set(e.requestId, (track = new Track(e.requestId, parentId === undefined ? e.requestId : (tracks.get(parentId)?.rootId ?? parentId), parentId)));
    }
    track.add(e, e.t, undefined);
  }
  return [...tracks.values()];
}

describe('the trace waterfall of the last request', () => {
  // web → api, whose app calls cache, then users; users-v1 answers 503: four attempts, three back-offs, 503 URX.
  const opened = openSession([{ name: 'default.yaml', text: readFileSync('scenarios/default.yaml', 'utf8') }]);
  if (!opened.ok) throw new Error('default.yaml does not load');
  const events: MeshEvent[] = [];
  sendOne(opened.session, { from: 'web', to: 'api:8080/', failures: [{ target: 'users-v1', mode: '503' }], seed: 1, sink: (e) => events.push(e) });
  const tracks = tracksOf(events);
  const trace = traceSpans(tracks, Infinity)!;
  const row = (key: string) => trace.rows.find((r) => r.key === key)!;

  it('has, per request, the caller’s view, then a client span per attempt at its sidecar and a server span at the callee’s, with the back-offs between', () => {
    expect(trace.rows.map((r) => `${'  '.repeat(r.depth)}${r.kind} ${r.label}${r.outcome ? ` → ${r.outcome}` : ''}`)).toEqual([
      'request GET api:8080/ → 500',
      'client client · attempt 1 → 500',
      'server server · attempt 1 → 500',
      '  request GET cache:8080/products → 200',
      '  client client · attempt 1 → 200',
      '  server server · attempt 1 → 200',
      '  request GET users:8080/users/1 → 503 URX',
      '  client client · attempt 1 → 503',
      '  server server · attempt 1 → 503',
      '  backoff back-off before retry 1',
      '  client client · attempt 2 → 503',
      '  server server · attempt 2 → 503',
      '  backoff back-off before retry 2',
      '  client client · attempt 3 → 503',
      '  server server · attempt 3 → 503',
      '  backoff back-off before retry 3',
      '  client client · attempt 4 → 503',
      '  server server · attempt 4 → 503',
    ]);
  });

  it('times spans from the request’s start: a back-off fills the gap between two attempts exactly', () => {
    expect(row('1').start).toBe(0);
    const gap = row('3:b1');
    expect(gap.start).toBe(row('3:c1').end);
    expect(gap.end).toBe(row('3:c2').start);
    expect(row('3:s1').start).toBeGreaterThan(row('3:c1').start);
    expect(row('3:s1').end).toBeLessThan(row('3:c1').end!);
  });

  it('marks the failed spans; the request that failed carries its flags', () => {
    expect(trace.rows.filter((r) => r.failed).map((r) => r.key)).toEqual(['1', '1:c1', '1:s1', '3', '3:c1', '3:s1', '3:c2', '3:s2', '3:c3', '3:s3', '3:c4', '3:s4']);
    expect(row('3').outcome).toBe('503 URX');
  });

  it('shows only what the picture has reached: open spans have no end yet', () => {
    // Just after retry 1 left the caller's sidecar: its client span is open, its server span not begun.
    const early = traceSpans(tracks, events[0]!.t + row('3:c2').start + 1)!;
    expect(early.rows.at(-1)).toMatchObject({ key: '3:c2', end: undefined });
    expect(early.rows.find((r) => r.key === '3')?.end).toBeUndefined();
  });
});
